"""Document memory: what a first tagging pass said about the same word elsewhere in the text.

News repeats its names: "البنك التجاري" in the headline is "البنك التجاري"
five sentences later, "بايدن" after "جو بايدن". A second CRF pass sees, for
each token, the labels the first pass gave to other occurrences of the same
word (or of its proclitic-free base: بغداد for وبغداد) in the surrounding
sentences, plus the first pass's own tags around it (stacking). During
training the first-pass tags come from models that did not see the sentence
(out-of-fold), so the second pass learns how far to trust them.
"""

from __future__ import annotations

from collections.abc import Sequence

WINDOW = 40  # sentences either side that count as "the same document"


_TYPES: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC", "O")
_SLOT = {t: i for i, t in enumerate(_TYPES)}
_O = _SLOT["O"]


def _slot(tag: str) -> int:
    return _O if tag == "O" else _SLOT.get(tag[2:], _O)


def _sentence_counts(forms: Sequence[tuple[str, ...]], tags: Sequence[str]) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for fs, tag in zip(forms, tags, strict=True):
        slot = _slot(tag)
        for f in set(fs):
            c = counts.get(f)
            if c is None:
                c = counts[f] = [0, 0, 0, 0, 0]
            c[slot] += 1
    return counts


def _add(total: dict[str, list[int]], part: dict[str, list[int]], sign: int) -> None:
    for f, c in part.items():
        t = total.get(f)
        if t is None:
            t = total[f] = [0, 0, 0, 0, 0]
        for j in range(5):
            t[j] += sign * c[j]


def memory_features(
    forms: Sequence[Sequence[tuple[str, ...]]], first_pass: Sequence[Sequence[str]], window: int = WINDOW
) -> list[list[tuple[str, ...]]]:
    """Extra features per token; `forms[s][i]` = lookup forms of token i of sentence s.

    Each token gets its own first-pass tag and its neighbours' ("t1…"), and,
    when other occurrences of its forms lie within `window` sentences, the
    type they were most often given ("dm=PER") and whether that beats "O".
    """
    n = len(forms)
    per_sentence = [_sentence_counts(f, t) for f, t in zip(forms, first_pass, strict=True)]
    around: dict[str, list[int]] = {}
    for s in range(min(n, window + 1)):
        _add(around, per_sentence[s], 1)
    out: list[list[tuple[str, ...]]] = []
    none = (0, 0, 0, 0, 0)
    for s in range(n):
        if s > 0:
            if s + window < n:
                _add(around, per_sentence[s + window], 1)
            if s - window - 1 >= 0:
                _add(around, per_sentence[s - window - 1], -1)
        own = per_sentence[s]
        tags = first_pass[s]
        last = len(tags) - 1
        sent_out: list[tuple[str, ...]] = []
        for i, fs in enumerate(forms[s]):
            best_slot, best_count, other_o = -1, 0, 0
            for f in fs:
                total = around.get(f, none)
                mine = own.get(f, none)
                for j in range(4):
                    count = total[j] - mine[j]
                    if count > best_count:
                        best_slot, best_count = j, count
                other_o = max(other_o, total[_O] - mine[_O])
            feats: tuple[str, ...] = (
                "t1=" + tags[i],
                "t1-=" + (tags[i - 1] if i > 0 else "BOS"),
                "t1+=" + (tags[i + 1] if i < last else "EOS"),
            )
            if best_count:
                label = _TYPES[best_slot]
                feats += ("dm=" + label, f"dm={label}:{'hi' if best_count >= other_o else 'lo'}")
            elif other_o:
                feats += ("dm=O",)
            sent_out.append(feats)
        out.append(sent_out)
    return out
