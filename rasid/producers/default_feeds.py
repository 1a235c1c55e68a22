"""Where the curated default list of Arabic news feeds lives (`rasid feeds check --curated`)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEFAULT_FEEDS_FILE = Path(str(files("rasid.samples").joinpath("default_feeds.yaml")))
