"""A threat statement reported in an article: who threatens whom, with what, on which condition."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ThreatCategory = Literal["military", "terrorism", "political", "economic", "cyber", "other"]


class Span(BaseModel):
    """A piece of a field's original text, with offsets into that field."""

    text: str
    start: int
    end: int


class ThreatStatement(BaseModel):
    """One threat statement; every span is a substring of `field` at its offsets."""

    text: str
    start: int
    end: int
    field: str = "content"
    trigger: Span
    actor: Span | None = None
    target: Span | None = None
    # Aggregation keys of the parties the actor and target spans name (rasid.nlp.threats.role_names).
    actor_names: list[str] = Field(default_factory=list)
    target_names: list[str] = Field(default_factory=list)
    action: Span | None = None
    condition: Span | None = None
    negated: bool = False
    reported_by: Span | None = None
    severity: int = Field(default=3, ge=1, le=5)
    severity_rule: str = ""
    category: ThreatCategory = "other"
    cameo_code: str = "130"
    plover_code: str = "THREATEN"
