"""Where the shipped entity model lives and how its resources are stored."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "model"
FIRST_PASS_FILE = "first_pass.crfsuite"
SECOND_PASS_FILE = "second_pass.crfsuite"
NEURAL_FILE = "neural.npz"
RESOURCES_FILE = "resources.json.gz"
REPORT_FILE = "training_report.json"


def write_gzip_json(path: Path, data: Any) -> None:
    """Compact JSON, keys sorted, gzipped with mtime=0: the same data always gives byte-identical files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    with path.open("wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(raw)


def read_gzip_json(path: Path) -> Any:
    with gzip.open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def write_resources(directory: Path, resources: dict[str, Any]) -> None:
    write_gzip_json(directory / RESOURCES_FILE, resources)


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An .npz (zip of .npy) whose bytes depend on the arrays only (fixed entry dates, fixed order)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def read_resources(directory: Path) -> dict[str, Any]:
    return read_gzip_json(directory / RESOURCES_FILE)
