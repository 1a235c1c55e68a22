"""Document memory: what a first tagging pass said about the same word elsewhere in the text.

News repeats its names: "البنك التجاري" in the headline is "البنك التجاري"
five sentences later, "بايدن" after "جو بايدن". A second CRF pass sees, for
each token, the labels the first pass gave to other occurrences of the same
word (or of its proclitic-free base: بغداد for وبغداد) in the surrounding
sentences, plus the first pass's own tags around it (stacking). During
training the first-pass tags come from models that did not see the sentence
(out-of-fold), so the second pass learns how far to trust them.

Training reads the features as strings (`memory_features`); the tagger reads
them as one integer code per token (`memory_codes`), whose feature strings
`code_features` gives, so a document costs a few numpy passes, not a Python
loop over its tokens.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

WINDOW = 40  # sentences either side that count as "the same document"


_TYPES: tuple[str, ...] = ("PER", "LOC", "ORG", "MISC", "O")
_SLOT = {t: i for i, t in enumerate(_TYPES)}
_O = _SLOT["O"]
# What the memory says of a token: nothing, "dm=O", or a type with "hi"/"lo" (2 + 2·type + lo).
DM_STATES = 2 + 2 * 4
_TYPE_IDS = np.arange(len(_TYPES))


def tag_slot(tag: str) -> int:
    """The memory's type slot of a BIO tag (PER, LOC, ORG, MISC; O for anything else)."""
    return _O if tag == "O" else _SLOT.get(tag[2:], _O)


def _document_counts(
    key_form: np.ndarray, base_form: np.ndarray, sentence: np.ndarray, slot: np.ndarray, n_sent: int, window: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per token: (most occurrences of one entity type nearby, that type, occurrences tagged O nearby).

    `key_form`/`base_form`: form ids of each token's key and proclitic-free base (-1: none; never
    equal to the key's); nearby = within `window` sentences, the token's own sentence left out.
    Counting is vectorised: occurrences sorted by (form, sentence), running counts per type, and
    binary searches for the ends of each window.
    """
    has_base = base_form >= 0
    n_tokens = len(key_form)
    occ_form = np.concatenate([key_form, base_form[has_base]])
    occ_sent = np.concatenate([sentence, sentence[has_base]])
    occ_slot = np.concatenate([slot, slot[has_base]])
    n_types = len(_TYPES)
    # counts[j][k]: occurrences of occurrence k's form with type j in the window, minus its own sentence.
    if n_tokens and sentence[0] == sentence[-1]:
        counts = np.zeros((n_types, len(occ_form)), dtype=np.int64)  # one sentence: no other occurrences
    else:
        # Occurrences sorted by (form, sentence); per type, how many of the first i are of that type.
        # A window is a range of that order (two binary searches), its count a difference.
        key = occ_form * (n_sent + 1) + occ_sent
        order = key.argsort(kind="stable")
        ordered = key[order]
        sent_ordered = occ_sent[order]
        before = np.zeros((len(key) + 1, n_types), dtype=np.int64)
        (occ_slot[order][:, None] == _TYPE_IDS).cumsum(axis=0, out=before[1:])
        base = ordered - sent_ordered  # form * (n_sent + 1), in sorted order: queries ascend
        ranges = ordered.searchsorted(np.stack([base + np.maximum(sent_ordered - window, 0), ordered]), "left")
        ends = ordered.searchsorted(np.stack([base + np.minimum(sent_ordered + window, n_sent - 1), ordered]),
                                    "right")
        in_window = before[ends[0]] - before[ranges[0]]
        in_own = before[ends[1]] - before[ranges[1]]
        counts = np.empty((n_types, len(key)), dtype=np.int64)
        counts[:, order] = (in_window - in_own).T
    occ_best = np.maximum.reduce(counts[:4], axis=0)
    occ_type = counts[:4].argmax(0)  # the first type with the most, as a strict ">" scan gives
    occ_o = counts[_O]
    # Per token, combine its (one or two) forms: the first form keeps ties.
    first = np.arange(n_tokens)
    second = first.copy()
    second[has_base] = n_tokens + np.arange(int(has_base.sum()))
    use_second = occ_best[second] > occ_best[first]
    chosen = np.where(use_second, second, first)
    return occ_best[chosen], occ_type[chosen], np.maximum(occ_o[first], occ_o[second])


def _dm_state(best_count: np.ndarray, best_type: np.ndarray, other_o: np.ndarray) -> np.ndarray:
    lo = best_count < other_o
    return np.where(best_count > 0, 2 + 2 * best_type + lo, np.where(other_o > 0, 1, 0))


def _dm_features(state: int) -> tuple[str, ...]:
    if state == 0:
        return ()
    if state == 1:
        return ("dm=O",)
    label = _TYPES[(state - 2) // 2]
    return ("dm=" + label, f"dm={label}:{'lo' if (state - 2) % 2 else 'hi'}")


def memory_features(
    forms: Sequence[Sequence[tuple[str, ...]]], first_pass: Sequence[Sequence[str]], window: int = WINDOW
) -> list[list[tuple[str, ...]]]:
    """Extra features per token; `forms[s][i]` = lookup forms of token i of sentence s (key, then base if any).

    Each token gets its own first-pass tag and its neighbours' ("t1…"), and,
    when other occurrences of its forms lie within `window` sentences, the
    type they were most often given ("dm=PER") and whether that beats "O".
    """
    form_ids: dict[str, int] = {}
    key_form: list[int] = []
    base_form: list[int] = []
    sentence: list[int] = []
    slot: list[int] = []
    for s, (sent_forms, tags) in enumerate(zip(forms, first_pass, strict=True)):
        for fs, tag in zip(sent_forms, tags, strict=True):
            key_form.append(form_ids.setdefault(fs[0], len(form_ids)))
            base_form.append(form_ids.setdefault(fs[1], len(form_ids)) if len(fs) > 1 else -1)
            sentence.append(s)
            slot.append(tag_slot(tag))
    counts = _document_counts(np.asarray(key_form, dtype=np.int64), np.asarray(base_form, dtype=np.int64),
                              np.asarray(sentence, dtype=np.int64), np.asarray(slot, dtype=np.int64),
                              len(forms), window)
    states = _dm_state(*counts).tolist()
    out: list[list[tuple[str, ...]]] = []
    flat = 0
    for tags in first_pass:
        last = len(tags) - 1
        sent_out: list[tuple[str, ...]] = []
        for i in range(len(tags)):
            left = tags[i - 1] if i > 0 else "BOS"
            right = tags[i + 1] if i < last else "EOS"
            sent_out.append(code_features(tags[i], left, right, states[flat]))
            flat += 1
        out.append(sent_out)
    return out


def code_features(tag: str, left: str, right: str, dm_state: int) -> tuple[str, ...]:
    """The memory features of a token tagged `tag` between `left` and `right` (tags, or BOS/EOS)."""
    return ("t1=" + tag, "t1-=" + left, "t1+=" + right, *_dm_features(dm_state))


def memory_codes(
    key_form: np.ndarray, base_form: np.ndarray, sentence: np.ndarray, n_sent: int, tags: np.ndarray,
    tag_slots: np.ndarray, window: int = WINDOW,
) -> np.ndarray:
    """`memory_features()` of a document as one integer per token (`code_parts()` reads it back).

    Flat over the document's tokens: form ids of each token's key and base (-1: none), its
    sentence number (of `n_sent`, empty sentences counted), its first-pass tag index;
    `tag_slots[tag index]` = `tag_slot(tag)`.
    """
    n_tags = len(tag_slots)
    if sentence[0] == sentence[-1]:
        dm = 0  # one sentence: no other occurrences, so nothing to remember
    else:
        dm = _dm_state(*_document_counts(key_form, base_form, sentence, tag_slots[tags], n_sent, window))
    boundary = sentence[1:] != sentence[:-1]  # between token i and i + 1
    left = np.empty_like(tags)
    left[0] = n_tags  # BOS
    left[1:] = np.where(boundary, n_tags, tags[:-1])
    right = np.empty_like(tags)
    right[-1] = n_tags  # EOS
    right[:-1] = np.where(boundary, n_tags, tags[1:])
    return ((tags * (n_tags + 1) + left) * (n_tags + 1) + right) * DM_STATES + dm


def code_parts(code: int, n_tags: int) -> tuple[int, int, int, int]:
    """(tag, left tag, right tag, memory state) of a `memory_codes()` code; n_tags stands for BOS/EOS."""
    rest, dm = divmod(code, DM_STATES)
    rest, right = divmod(rest, n_tags + 1)
    tag, left = divmod(rest, n_tags + 1)
    return tag, left, right, dm


def code_count(n_tags: int) -> int:
    """How many distinct `memory_codes()` codes there are for `n_tags` tags."""
    return n_tags * (n_tags + 1) ** 2 * DM_STATES
