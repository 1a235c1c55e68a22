"""Organisation and facility names the way a news analyst lists them.

ANERcorp, on which the tagger is trained, leaves many institutions untagged
("مجلس النواب", "البرلمان", "مطار …" are O there) and tags names of quoted
groups inconsistently. An analyst filtering news wants them. This layer,
applied by `extract_entities` only (never by `rasid ner tag`, which stays
faithful to ANERcorp), adds:

1. *Mined institution names*: word sequences that start with an organisation
   head noun (حركة، حزب، مجلس، الحرس، الحشد، التحالف …) and that raw news
   (ANT corpus, no labels) uses as a fixed expression — frequent, and far
   more frequent than chance (pointwise mutual information) — e.g.
   "مجلس النواب", "الحرس الثوري", "الحشد الشعبي", "التحالف الدولي".
   Mined at training time, shipped in the model resources.
2. *Quoted organisation names*: a short quoted span whose first word is an
   organisation head noun (لـ"الهيئة التنسيقية للمقاومة العراقية").
3. *Nationality adjectives*: an ORG that starts with a head noun, followed by
   a nisba adjective of a known place (العراقي for العراق, الإيراني for إيران),
   takes it into its span ("البرلمان العراقي"); a proper name does not
   ("بنفيكا البرتغالي" stays "بنفيكا").
4. *Facilities*: مطار/قاعدة/ميناء/معبر before a place name form one LOC
   ("مطار بغداد").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from rasid.nlp.clitics import PROCLITIC_SEQUENCES, proclitic_splits
from rasid.nlp.ner.wordkey import word_key

# Written (normalised) head nouns that open an organisation's name.
ORG_HEADS: frozenset[str] = frozenset(
    word_key(w)
    for w in ["حركة", "حزب", "جبهة", "تنظيم", "جماعة", "كتائب", "كتيبة", "سرايا", "ألوية", "لواء", "فيلق", "عصائب", "هيئة", "الهيئة", "مجلس", "المجلس", "منظمة", "اتحاد", "الاتحاد", "وكالة", "شركة", "مؤسسة", "جمعية", "جامعة", "وزارة", "بنك", "البنك", "صندوق", "الحرس", "الحشد", "التحالف", "البرلمان", "الكونغرس", "محكمة", "المحكمة", "لجنة", "اللجنة", "نادي", "النادي", "منتخب", "المنتخب"]
)
# Heads whose fixed expressions are mostly not organisations (حركة المرور = traffic), and
# complements that make a generic body (مجلس الإدارة = any company's board).
_NOT_MINED_HEADS: frozenset[str] = frozenset(word_key(w) for w in ("حركة",))
_GENERIC_COMPLEMENTS: frozenset[str] = frozenset(word_key(w) for w in ("الإدارة", "المحلي", "البلد", "العامة"))
FACILITY_HEADS: frozenset[str] = frozenset(word_key(w) for w in ["مطار", "قاعدة", "ميناء", "معبر"])
_OPENERS = {"«": "»", '"': '"', "“": "”"}
MAX_QUOTED_WORDS = 6

Span = tuple[int, int, str]  # first token, end token, label


def mine_institutions(
    sentences: Iterable[Sequence[str]], min_count: int = 5, min_pmi: float = 4.0
) -> list[list[str]]:
    """Key sequences (2-3 words) from raw news that name institutions (see module docs)."""
    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    trigrams: Counter[tuple[str, str, str]] = Counter()
    total = 0
    for keys in sentences:
        unigrams.update(keys)
        total += len(keys)
        for i, key in enumerate(keys):
            if key in ORG_HEADS and key not in _NOT_MINED_HEADS and i + 1 < len(keys):
                bigrams[(key, keys[i + 1])] += 1
                if i + 2 < len(keys):
                    trigrams[(key, keys[i + 1], keys[i + 2])] += 1
    names: list[list[str]] = []
    for (head, word), count in sorted(bigrams.items()):
        if count < min_count or not word.startswith("ال") or len(word) < 4 or word in _GENERIC_COMPLEMENTS:
            continue
        pmi = math.log2(count * total / (unigrams[head] * unigrams[word]))
        if pmi < min_pmi:
            continue
        names.append([head, word])
        for (h, w, third), c3 in sorted(trigrams.items()):
            # A nationality or other fixed third word: most uses of the pair carry it.
            if h == head and w == word and c3 >= min_count and c3 >= 0.3 * count and third.startswith("ال"):
                names.append([head, word, third])
    return names


def _is_nisba_of_place(key: str, places: Mapping[str, Sequence[str]]) -> bool:
    """العراقي -> العراق, الايراني -> ايران, الامريكيه -> امريكا: a nationality adjective of a known place."""
    if not key.startswith("ال") or len(key) < 6:
        return False
    stem = key[2:]
    for ending in ("يه", "ي"):
        if stem.endswith(ending):
            stem = stem[: -len(ending)]
            break
    else:
        return False
    for place in (stem, "ال" + stem, stem + "ا", stem + "يا", stem + "ه", "ال" + stem + "ه"):
        if "LOCB" in places.get(place, ()):
            return True
    return False


@lru_cache(maxsize=100_000)
def _head_key(key: str) -> str:
    """A word key without a leading conjunction/preposition when that leaves a head noun (وكتائب -> كتائب)."""
    if key in ORG_HEADS or key in FACILITY_HEADS:
        return key
    for prefix, base in proclitic_splits(key):
        if prefix and not prefix.endswith("ال") and (base in ORG_HEADS or base in FACILITY_HEADS):
            return base
    return key


def _head_forms() -> dict[str, str]:
    """Every word key whose `_head_key()` is a head noun, with that head: the heads and their clitic forms.

    (A key outside this table is its own `_head_key()` and no head noun.)
    """
    heads = ORG_HEADS | FACILITY_HEADS
    forms = {head: head for head in heads}
    for prefix, _ in PROCLITIC_SEQUENCES:
        for head in heads:
            head_key = _head_key(prefix + head)
            if head_key in heads:
                forms[prefix + head] = head_key
    return forms


_HEAD_FORMS: dict[str, str] = _head_forms()


def head_keys(keys: Sequence[str]) -> list[str]:
    """`_head_key()` of each key; a sentence without a head noun (most) costs one set test."""
    if _HEAD_FORMS.keys().isdisjoint(keys):
        return list(keys)
    get = _HEAD_FORMS.get
    return [get(key, key) for key in keys]


def apply_conventions(
    words: Sequence[str],
    spans: list[Span],
    institutions: Mapping[str, Sequence[Sequence[str]]],
    gazetteer: Mapping[str, Sequence[str]],
    keys: Sequence[str] | None = None,
) -> list[Span]:
    """The model's spans of one sentence, with the additions described in the module docstring.

    `words`: the sentence's tokens as written; `keys`: their `word_key()`s, when the caller has them.
    """
    if keys is None:
        keys = [word_key(word) for word in words]
    heads = head_keys(keys)
    added: list[Span] = []
    n = len(words)
    # 1. mined institution names (longest first), left to right, a name's words not reused
    free = 0  # first token not inside a name found
    openers = [] if institutions.keys().isdisjoint(heads) else [i for i, h in enumerate(heads) if h in institutions]
    for i in openers:
        if i < free:
            continue
        best = 0
        for name in institutions[heads[i]]:
            m = len(name)
            if i + m <= n and all(keys[i + j] == name[j] for j in range(1, m)):
                best = max(best, m)
        if best:
            added.append((i, i + best, "ORG"))
            free = i + best
    # 2. quoted names opened by an organisation head noun
    quotes = [] if _OPENERS.keys().isdisjoint(words) else [i for i, word in enumerate(words[:-1]) if word in _OPENERS]
    for i in quotes:
        closer = _OPENERS[words[i]]
        if heads[i + 1] not in ORG_HEADS:
            continue
        for j in range(i + 2, min(n, i + 2 + MAX_QUOTED_WORDS)):
            if words[j] == closer:
                if j > i + 2:
                    added.append((i + 1, j, "ORG"))
                break
    # 4. facility + place
    for first, end, label in spans:
        if label == "LOC" and first > 0 and heads[first - 1] in FACILITY_HEADS:
            added.append((first - 1, end, "LOC"))
    if not spans and not added:  # nothing named, nothing to add (most sentences)
        return []
    merged = _merge(spans, added)
    # 3. nationality adjective after an institution named by a head noun ("البرلمان العراقي",
    # "الحرس الثوري الإيراني"); after a proper name ("بنفيكا البرتغالي") it only describes.
    out: list[Span] = []
    for first, end, label in merged:
        while label == "ORG" and heads[first] in ORG_HEADS and end < n and _is_nisba_of_place(keys[end], gazetteer):
            if any(f == end for f, _, _ in merged):
                break
            end += 1
        out.append((first, end, label))
    return out


def _merge(spans: list[Span], added: list[Span]) -> list[Span]:
    """Model spans plus added ones; an added span replaces the model spans it overlaps, unless
    a model span overlapping it is longer (the model's reading of a longer name wins)."""
    result = list(spans)
    for a in sorted(added, key=lambda s: (s[0], -(s[1] - s[0]))):
        overlapping = [s for s in result if s[0] < a[1] and a[0] < s[1]]
        if any(s[1] - s[0] > a[1] - a[0] for s in overlapping):
            continue
        result = [s for s in result if s not in overlapping] + [a]
    return sorted(result)
