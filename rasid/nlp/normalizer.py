"""Arabic orthographic normalisation, exactly as Lucene's `ArabicNormalizer`.

Elasticsearch's `arabic_normalization` filter (and so its `arabic` analyzer)
runs Lucene's normaliser; mirroring it character for character keeps a keyword
rule matched in Python in agreement with what Kibana finds.

Lucene's rules:
- alef with madda / hamza above / hamza below (آ أ إ) -> bare alef (ا)
- alef maksura (ى) -> yeh (ي)
- teh marbuta (ة) -> heh (ه)
- tatweel (ـ) and the harakat (fathatan, dammatan, kasratan, fatha, damma,
  kasra, shadda, sukun) are deleted.

Nothing else changes (other letters, digits, Latin script, punctuation). Lucene
operates on UTF-16 code units; every character concerned is in the BMP, so a
Python `str` gives the same result.
"""

from __future__ import annotations

ALEF = "\u0627"
YEH = "\u064a"
HEH = "\u0647"

_REPLACED: dict[str, str] = {
    "\u0622": ALEF,  # alef madda
    "\u0623": ALEF,  # alef hamza above
    "\u0625": ALEF,  # alef hamza below
    "\u0649": YEH,  # alef maksura (dotless yeh)
    "\u0629": HEH,  # teh marbuta
}
_DELETED: frozenset[str] = frozenset(
    "\u0640"  # tatweel
    "\u064b\u064c\u064d"  # fathatan, dammatan, kasratan
    "\u064e\u064f\u0650"  # fatha, damma, kasra
    "\u0651\u0652"  # shadda, sukun
)
_TABLE = str.maketrans({**_REPLACED, **{c: None for c in _DELETED}})


def normalize(text: str) -> str:
    """Lucene `ArabicNormalizer` applied to `text`."""
    return text.translate(_TABLE)


def is_deleted(char: str) -> bool:
    """True for the characters normalisation removes (tatweel, harakat)."""
    return char in _DELETED


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index it came from in `text`.

    A match found at `[i, j)` in the normalised text covers
    `text[offsets[i] : offsets[j - 1] + 1]` in the original.
    """
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char in _DELETED:
            continue
        out.append(_REPLACED.get(char, char))
        offsets.append(index)
    return "".join(out), offsets


def original_span(offsets: list[int], start: int, end: int, text_length: int) -> tuple[int, int]:
    """Map a half-open span of the normalised text back onto the original text.

    Trailing deleted characters (diacritics on the last letter) are included,
    so the span covers the whole written word.
    """
    if start >= end:
        raise ValueError("empty span")
    orig_start = offsets[start]
    orig_end = offsets[end] if end < len(offsets) else text_length
    return orig_start, orig_end
