"""Threat statements: who threatens whom, with what, on which condition."""

from __future__ import annotations

from rasid.nlp.threats.extractor import extract_threats

__all__ = ["extract_threats"]
