"""Where the shipped entity model lives and how its resources are stored."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent / "model"
FIRST_PASS_FILE = "first_pass.crfsuite"
SECOND_PASS_FILE = "second_pass.crfsuite"
RESOURCES_FILE = "resources.json.gz"
REPORT_FILE = "training_report.json"


def write_resources(directory: Path, resources: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(resources, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same training run writes byte-identical files.
    with (directory / RESOURCES_FILE).open("wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(raw)


def read_resources(directory: Path) -> dict[str, Any]:
    with gzip.open(directory / RESOURCES_FILE, "rb") as f:
        return json.loads(f.read().decode("utf-8"))
