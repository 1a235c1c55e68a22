"""Which articles were already sent: survives restarts, bounded in memory."""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from pathlib import Path


class SeenArticles:
    """An insertion-ordered set of article ids persisted to a JSON file; the oldest are forgotten first."""

    def __init__(self, path: Path, capacity: int = 500_000) -> None:
        self.path = path
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()
        if path.exists():
            try:
                for article_id in json.loads(path.read_text(encoding="utf-8")):
                    self._ids[str(article_id)] = None
            except (OSError, ValueError):
                # A damaged state file only costs re-sending; the index dedups by id.
                self._ids.clear()

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add_all(self, article_ids: list[str]) -> None:
        for article_id in article_ids:
            self._ids[article_id] = None
            self._ids.move_to_end(article_id)
        while len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(list(self._ids)), encoding="utf-8")
        os.replace(tmp, self.path)
