"""Bundled samples: offline feeds (with attribution) so a first run needs no internet."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE_FEEDS_FILE = Path(str(files("rasid.samples").joinpath("feeds.yaml")))
