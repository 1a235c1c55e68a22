"""A named entity found in an article field."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

EntityLabel = Literal["PER", "ORG", "LOC", "MISC"]


class Entity(BaseModel):
    """A mention: `text == field_text[start:end]` in the original, un-normalised field."""

    text: str
    label: EntityLabel
    start: int
    end: int
    field: str = "content"
    # Aggregation key: clitics stripped, spelling unified, short names merged with full ones.
    normalized: str | None = None
