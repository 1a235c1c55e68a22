"""Threat statements: who threatens whom, with what, on which condition."""

from __future__ import annotations

from rasid.records import Entity, ThreatStatement


def extract_threats(text: str, field: str = "content", entities: list[Entity] | None = None) -> list[ThreatStatement]:
    """Threat statements in `text`. (Extractor arrives with issue 5.)"""
    return []
