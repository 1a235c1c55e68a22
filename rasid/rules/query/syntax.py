"""The parsed form of a keyword query, before analysis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None
    column: int = 0

    def __str__(self) -> str:
        return f"{self.field + ':' if self.field else ''}{self.text}"


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None
    column: int = 0

    def __str__(self) -> str:
        return f'{self.field + ":" if self.field else ""}"{self.text}"'


@dataclass(frozen=True)
class Prefix:
    text: str
    field: str | None = None
    column: int = 0

    def __str__(self) -> str:
        return f"{self.field + ':' if self.field else ''}{self.text}*"


@dataclass(frozen=True)
class And:
    children: tuple["QueryNode", ...]

    def __str__(self) -> str:
        return "(" + " AND ".join(map(str, self.children)) + ")"


@dataclass(frozen=True)
class Or:
    children: tuple["QueryNode", ...]

    def __str__(self) -> str:
        return "(" + " OR ".join(map(str, self.children)) + ")"


@dataclass(frozen=True)
class Not:
    child: "QueryNode"

    def __str__(self) -> str:
        return f"NOT {self.child}"


@dataclass(frozen=True)
class Near:
    """Both sides within `slop` intervening tokens of each other, in either order, in one field."""

    left: "QueryNode"
    right: "QueryNode"
    slop: int

    def __str__(self) -> str:
        return f"({self.left} NEAR/{self.slop} {self.right})"


QueryNode = Union[Term, Phrase, Prefix, And, Or, Not, Near]
