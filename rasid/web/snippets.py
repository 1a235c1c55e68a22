"""Highlighted snippets as segments (plain text, matched or not), so templates never build HTML from text.

Same matching as `rasid.search.highlighter` (Lucene-style Arabic analysis, offsets into the original
text), but without inline «» marks: Arabic news uses «» as quotation marks, so a mark character
could not tell a match from a quote. The template wraps matched segments in <mark>, autoescaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasid.nlp.analyzer import analyze


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool = False


Snippet = list[Segment]


def snippet(text: str, terms: set[str], fragment_chars: int = 200) -> Snippet | None:
    """A fragment of `text` around the first match with every match as its own segment, or None."""
    matches = [(t.start, t.end) for t in analyze(text) if t.stem in terms] if terms else []
    if not matches:
        return None
    start = max(0, matches[0][0] - fragment_chars // 3)
    end = min(len(text), start + fragment_chars)
    while start > 0 and not text[start - 1].isspace():  # whole words only
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    segments: Snippet = [Segment("… ")] if start > 0 else []
    cursor = start
    for m_start, m_end in matches:
        if m_start < start or m_end > end:
            continue
        segments += [Segment(_flat(text[cursor:m_start])), Segment(_flat(text[m_start:m_end]), match=True)]
        cursor = m_end
    segments.append(Segment(_flat(text[cursor:end])))
    if end < len(text):
        segments.append(Segment(" …"))
    return [s for s in segments if s.text]


def lead(text: str, chars: int = 200) -> Snippet:
    """The start of a text, cut at a word boundary: the snippet when nothing matched (or no query)."""
    if len(text) <= chars:
        return [Segment(_flat(text))] if text else []
    cut = text.rfind(" ", 0, chars)
    return [Segment(_flat(text[: cut if cut > 0 else chars])), Segment(" …")]


def _flat(text: str) -> str:
    return text.replace("\n", " ")
