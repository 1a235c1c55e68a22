"""Aho-Corasick prefilter: one pass over an article's terms picks the rules worth evaluating.

Each keyword query yields literals of which at least one must occur for it to
match (see `CompiledQuery.literals`). The automaton holds them all; scanning
the article's space-joined terms once (in C) names the candidate rules, so a
thousand rules cost about what the few candidates cost.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

import ahocorasick

from rasid.rules.analysed import AnalysedArticle
from rasid.rules.query.compiled import Literal

K = TypeVar("K", bound=Hashable)


class KeywordPrefilter(Generic[K]):
    def __init__(self, entries: Iterable[tuple[K, frozenset[Literal] | None]]) -> None:
        self._always: list[K] = []
        by_pattern: dict[str, list[K]] = {}
        for key, literals in entries:
            if literals is None:
                self._always.append(key)
                continue
            for kind, text in literals:
                pattern = f" {text} " if kind == "term" else f" {text}"
                by_pattern.setdefault(pattern, []).append(key)
        self._automaton: ahocorasick.Automaton | None = None
        if by_pattern:
            automaton = ahocorasick.Automaton()
            for pattern, keys in by_pattern.items():
                automaton.add_word(pattern, tuple(keys))
            automaton.make_automaton()
            self._automaton = automaton
        self.patterns = len(by_pattern)

    def candidates_without_text(self) -> set[K]:
        """When no rule has a literal, there is nothing to scan: every rule is a candidate."""
        return set(self._always)

    def candidates(self, doc: AnalysedArticle) -> set[K]:
        found: set[K] = set(self._always)
        if self._automaton is not None:
            for _, keys in self._automaton.iter(doc.haystack()):
                found.update(keys)
        return found
