"""A memo for per-word results on the tagger's hot path: a plain dict, cleared when full.

A lookup is a bare `dict.get` (cheaper than an LRU cache's call, for every token), and memory
stays bounded: a full memo starts afresh, as a new vocabulary would.
"""

from __future__ import annotations

from typing import Generic, TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")


class BoundedMemo(dict[Key, Value], Generic[Key, Value]):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, key: Key, value: Value) -> Value:
        """Store `value` under `key` (clearing the memo first when it is full) and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
