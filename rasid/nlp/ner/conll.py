"""Reading CoNLL-style token files (token first column, tag last, blank line between sentences)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TaggedSentence:
    tokens: list[str]
    tags: list[str]


def read_conll(lines: Iterable[str]) -> Iterator[TaggedSentence]:
    """Sentences from CoNLL lines; a line with one column gets the tag "O"."""
    tokens: list[str] = []
    tags: list[str] = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if tokens:
                yield TaggedSentence(tokens, tags)
                tokens, tags = [], []
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        tokens.append(cols[0])
        tags.append(cols[-1] if len(cols) > 1 else "O")
    if tokens:
        yield TaggedSentence(tokens, tags)


def read_conll_file(path: Path) -> list[TaggedSentence]:
    with path.open(encoding="utf-8") as f:
        return list(read_conll(f))


def entity_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """(start, end, label) spans of a BIO/IO tag sequence, read as conlleval.py reads them."""
    out: set[tuple[int, int, str]] = set()
    start, label = 0, None  # label None: no span open
    for i, tag in enumerate(tags):
        if tag == "O":  # most tokens: close the open span, if any
            if label is not None:
                out.add((start, i, label))
                label = None
            continue
        prefix, _, lab = tag.partition("-") if "-" in tag else (tag, "", "")
        if prefix == "B" or lab != label:
            if label is not None:
                out.add((start, i, label))
            start, label = i, lab
    if label is not None:
        out.add((start, len(tags), label))
    return out
