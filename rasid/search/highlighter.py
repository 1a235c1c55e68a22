"""Highlight query terms in original text, with the same analysis Elasticsearch's `arabic` analyzer applies.

Done in Python so snippets look the same on every server (the embedded one's
Arabic analysis is weaker than Elasticsearch's) and agree with keyword rules.
"""

from __future__ import annotations

from rasid.nlp.analyzer import analyze, analyze_terms

MARK_START, MARK_END = "«", "»"


def query_terms(query: str) -> set[str]:
    return set(analyze_terms(query))


def highlight(text: str, terms: set[str], fragment_chars: int = 160) -> str | None:
    """A fragment of `text` around the first matching term with every match marked, or None."""
    matches = [(t.start, t.end) for t in analyze(text) if t.stem in terms]
    if not matches:
        return None
    first = matches[0][0]
    start = max(0, first - fragment_chars // 3)
    end = min(len(text), start + fragment_chars)
    # Widen to word boundaries so no word is cut in half.
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    pieces: list[str] = []
    cursor = start
    for m_start, m_end in matches:
        if m_start < start or m_end > end:
            continue
        pieces += [text[cursor:m_start], MARK_START, text[m_start:m_end], MARK_END]
        cursor = m_end
    pieces.append(text[cursor:end])
    fragment = "".join(pieces).replace("\n", " ")
    return ("… " if start > 0 else "") + fragment + (" …" if end < len(text) else "")
