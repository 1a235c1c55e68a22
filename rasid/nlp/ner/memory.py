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

from collections import Counter
from collections.abc import Sequence

WINDOW = 40  # sentences either side that count as "the same document"


def _label(tag: str) -> str:
    return "O" if tag == "O" else tag[2:]


def memory_features(
    forms: Sequence[Sequence[tuple[str, ...]]], first_pass: Sequence[Sequence[str]], window: int = WINDOW
) -> list[list[list[str]]]:
    """Extra features per token; `forms[s][i]` = lookup forms of token i of sentence s."""
    n = len(forms)
    per_sentence: list[Counter[tuple[str, str]]] = []
    for sent_forms, tags in zip(forms, first_pass, strict=True):
        c: Counter[tuple[str, str]] = Counter()
        for fs, tag in zip(sent_forms, tags, strict=True):
            label = _label(tag)
            for f in set(fs):
                c[(f, label)] += 1
        per_sentence.append(c)
    around: Counter[tuple[str, str]] = Counter()
    for s in range(min(n, window + 1)):
        around.update(per_sentence[s])
    out: list[list[list[str]]] = []
    for s in range(n):
        if s > 0:
            if s + window < n:
                around.update(per_sentence[s + window])
            if s - window - 1 >= 0:
                around.subtract(per_sentence[s - window - 1])
        own = per_sentence[s]
        tags = first_pass[s]
        sent_out: list[list[str]] = []
        for i, fs in enumerate(forms[s]):
            feats = ["t1=" + tags[i]]
            feats.append("t1-=" + (tags[i - 1] if i > 0 else "BOS"))
            feats.append("t1+=" + (tags[i + 1] if i + 1 < len(tags) else "EOS"))
            best_label, best_count, other_o = "", 0, 0
            for f in fs:
                for label in ("PER", "LOC", "ORG", "MISC", "O"):
                    count = around[(f, label)] - own[(f, label)]
                    if label == "O":
                        other_o = max(other_o, count)
                    elif count > best_count:
                        best_label, best_count = label, count
            if best_count:
                strength = "hi" if best_count >= other_o else "lo"
                feats += ["dm=" + best_label, f"dm={best_label}:{strength}"]
            elif other_o:
                feats.append("dm=O")
            sent_out.append(feats)
        out.append(sent_out)
    return out
