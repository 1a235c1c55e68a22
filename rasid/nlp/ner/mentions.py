"""From tagged tokens to entity mentions in the original text, with aggregation keys.

Span: the tagged tokens, minus a leading proclitic that is not part of the
name (وبغداد -> بغداد, للقوات -> القوات, لـ"…"), decided with the model's
word lexicon so that واشنطن or بريطانيا keep their first letter.

`normalized` (the key analysts filter and aggregate on):
- Lucene normalisation (أ إ آ -> ا, ة -> ه, ى -> ي, no diacritics/tatweel),
  so spelling by hamza or teh marbuta does not split a name;
- transliteration variants unified (أميركا/أمريكا, الأميركية/الأمريكية);
- within one text, a one-word person name equal to the first or last word of
  a longer person name becomes that longer name (بايدن -> جو بايدن).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from rasid.nlp.clitics import proclitic_splits
from rasid.nlp.ner.wordkey import word_key
from rasid.nlp.normalizer import is_deleted, normalize

_SPACE_RE = re.compile(r"\s+")


def unify_spelling(name: str) -> str:
    """The aggregation key of a name (see module docstring)."""
    key = normalize(name)
    key = key.replace("اميرك", "امريك")  # أميركا / أمريكا and derived adjectives
    return _SPACE_RE.sub(" ", key).strip()


def _skip_written(word: str, n_letters: int) -> int:
    """Index in `word` after `n_letters` letters that survive normalisation."""
    seen = 0
    for index, char in enumerate(word):
        if seen == n_letters:
            return index
        if not is_deleted(char) or char == "\u0640":
            seen += 1
    return len(word)


def leading_clitic_length(word: str, counts: Mapping[str, int], names: frozenset[str] = frozenset()) -> int:
    """How many written characters at the start of `word` are a proclitic, not part of the name.

    A bare و/ف/ب/ل/ك is cut only when the rest is a word seen in raw news at
    least as often as the whole (وبغداد -> بغداد, but كندا, واشنطن stay), and of
    two such readings the one whose rest is seen more (وبكين -> بكين, not كين); a
    prefix ending in the article leaves the article (والعراق -> العراق); لل
    (ل + ال, the article's alef dropped) cannot be cut without changing the
    word, so only a conjunction before it goes (وللقوات -> للقوات). A word that is one of `names` (the family names
    the text gives in full) is whole, and one that is a prefix and one of them loses that prefix ("باول" is no
    ب + "اول", "وباول" is و + "باول").
    """
    key = word_key(word)
    if key in names:
        return 0
    bare: list[tuple[int, int]] = []  # (how often the base is seen, letters cut) of each bare-prefix reading
    for prefix, base in proclitic_splits(key):
        if not prefix:
            break
        if prefix.endswith("\u0640"):
            return _skip_written(word, len(prefix))
        if prefix.endswith(("لل", "ال")):
            return _skip_written(word, len(prefix) - 2)
        if base in names:
            return _skip_written(word, len(prefix))
        if counts.get(base, 0) >= max(1, counts.get(key, 0)) and len(base) >= 3:
            bare.append((counts.get(base, 0), len(prefix)))
    # The reading whose base news uses most: وبكين is و + بكين, not وب + كين
    return _skip_written(word, max(bare)[1]) if bare else 0


# Words many names end with that are no one's family name ("نصر الله"، "عبد الله الثاني"), titles a tagged name may end
# with ("الملك"، "الشيخ") and pronouns ("يا محمد أنا"); as keys (`unify_spelling`, the same as `word_key` for these).
NAME_PARTICLES = frozenset(unify_spelling(word) for word in (
    "الله الدين الثاني الأول أول ثاني بن ابن عبد أبو آل الملك الشيخ الحاج السيد الأمير نجل السلام أنا أنت هو هي نحن"
).split())
# Before a father's name: "محمد بن سلمان" is not "سلمان", his father.
PATRONYMIC = frozenset(("بن", "ابن", "بنت"))


def merge_short_names(labels: Sequence[str], keys: list[str]) -> list[str]:
    """Replace a one-word PER key by the longest PER key that ends with it (a family name: "ترامب" -> "دونالد ترامب"; not
    a father's name after بن), else by one that starts with it and is named at least twice ("كيم" -> "كيم جونغ أون")
    or goes on with بن ("سلمان" -> "سلمان بن عبد العزيز").
    A key that only starts with it and is named once is most often the entity model running a name into the words
    after it ("ترامب رودي جولياني"، "صلاح نموذجي وحيوي"), which would otherwise take every mention of the short name."""
    full = Counter(k for k, lab in zip(keys, labels) if lab == "PER" and " " in k)
    out = list(keys)
    for i, (key, label) in enumerate(zip(keys, labels)):
        if label != "PER" or " " in key:
            continue
        # not the father's name after بن ("محمد بن سلمان" is not "سلمان", his father the king)
        ends = [f for f in full if f.split()[-1] == key and f.split()[-2] not in PATRONYMIC]
        starts = [f for f in full if f.split()[0] == key and (full[f] >= 2 or f.split()[1] in PATRONYMIC)]
        matches = sorted(ends or starts, key=lambda f: (-len(f), f))
        if matches:
            out[i] = matches[0]
    return out


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, label) of each BIO span (I- after O starts a span, as conlleval reads)."""
    if tags.count("O") == len(tags):  # most sentences name nothing
        return []
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, lab = tag.partition("-")
        if tag == "O" or prefix == "B" or lab != label:
            if label:
                spans.append((start, i, label))
            start, label = (i, lab) if tag != "O" else (-1, "")
    return spans
