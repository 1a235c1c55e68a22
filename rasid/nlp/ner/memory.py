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

import numpy as np

WINDOW = 40  # sentences either side that count as "the same document"


_TYPES: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC", "O")
_SLOT = {t: i for i, t in enumerate(_TYPES)}
_O = _SLOT["O"]


def _slot(tag: str) -> int:
    return _O if tag == "O" else _SLOT.get(tag[2:], _O)


def memory_features(
    forms: Sequence[Sequence[tuple[str, ...]]], first_pass: Sequence[Sequence[str]], window: int = WINDOW
) -> list[list[tuple[str, ...]]]:
    """Extra features per token; `forms[s][i]` = lookup forms of token i of sentence s.

    Each token gets its own first-pass tag and its neighbours' ("t1…"), and,
    when other occurrences of its forms lie within `window` sentences, the
    type they were most often given ("dm=PER") and whether that beats "O".
    Counting is vectorised: for every (form, type) the sorted sentence
    numbers of its occurrences, and two binary searches per query.
    """
    form_ids: dict[str, int] = {}
    occ_form: list[int] = []  # one entry per distinct form of a token
    occ_sent: list[int] = []
    occ_slot: list[int] = []
    token_forms: list[list[int]] = []  # per token (flattened), its occurrence indices
    for s, (sent_forms, tags) in enumerate(zip(forms, first_pass, strict=True)):
        for fs, tag in zip(sent_forms, tags, strict=True):
            slot = _slot(tag)
            mine = []
            for f in fs:  # a word's key and its proclitic-free base: never equal (`lookup_forms`)
                fid = form_ids.setdefault(f, len(form_ids))
                mine.append(len(occ_form))
                occ_form.append(fid)
                occ_sent.append(s)
                occ_slot.append(slot)
            token_forms.append(mine)
    n_sent = len(forms)
    fid_arr = np.asarray(occ_form, dtype=np.int64)
    sent_arr = np.asarray(occ_sent, dtype=np.int64)
    slot_arr = np.asarray(occ_slot, dtype=np.int64)
    base = fid_arr * (n_sent + 1)
    lo = base + np.maximum(sent_arr - window, 0)
    hi = base + np.minimum(sent_arr + window, n_sent - 1)
    own_key = base + sent_arr
    # counts[j][k]: occurrences of occurrence k's form with type j in the window, minus its own sentence.
    counts = np.zeros((len(_TYPES), len(occ_form)), dtype=np.int64)
    for j in range(len(_TYPES)):
        keys = np.sort((base + sent_arr)[slot_arr == j])
        in_window = np.searchsorted(keys, hi, "right") - np.searchsorted(keys, lo, "left")
        in_own = np.searchsorted(keys, own_key, "right") - np.searchsorted(keys, own_key, "left")
        counts[j] = in_window - in_own
    occ_best = counts[:4].max(0)
    occ_type = counts[:4].argmax(0)  # the first type with the most, as a strict ">" scan gives
    occ_o = counts[_O]
    # Per token, combine its (one or two) forms: the first form keeps ties.
    first = np.asarray([ks[0] for ks in token_forms], dtype=np.int64)
    second = np.asarray([ks[1] if len(ks) > 1 else ks[0] for ks in token_forms], dtype=np.int64)
    use_second = occ_best[second] > occ_best[first]
    chosen = np.where(use_second, second, first)
    tok_best = occ_best[chosen].tolist()
    tok_type = occ_type[chosen].tolist()
    tok_o = np.maximum(occ_o[first], occ_o[second]).tolist()

    out: list[list[tuple[str, ...]]] = []
    flat = 0
    for s, tags in enumerate(first_pass):
        last = len(tags) - 1
        sent_out: list[tuple[str, ...]] = []
        for i in range(len(tags)):
            best_count, best_slot, other_o = tok_best[flat], tok_type[flat], tok_o[flat]
            flat += 1
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
