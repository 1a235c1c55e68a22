"""How an entity's aggregation key is written: each word in the spelling news uses most for it.

Keys must unify spelling variants (hamza forms, ة/ه, ى/ي, أميركا/أمريكا), which Lucene
normalisation does, but its output reads badly in Kibana (الولايات المتحده الامريكيه). So each
word of a name is written in the spelling that entity names in the raw news corpus use most for
that normalised word (mined by `rasid ner spellings` into `model/spellings.json.gz`): one key per
name that reads as Arabic (الولايات المتحدة الأمريكية, إيران). A word the corpus never showed in
a name keeps the mention's own spelling, without diacritics.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from rasid.nlp.ner.mentions import unify_spelling
from rasid.nlp.ner.model_files import MODEL_DIR, read_gzip_json, write_gzip_json
from rasid.nlp.normalizer import is_deleted

SPELLINGS_FILE = "spellings.json.gz"


def plain(word: str) -> str:
    """`word` without diacritics and tatweel (what Lucene deletes), letters as written."""
    return "".join(char for char in word if not is_deleted(char))


def mine_spellings(name_words: Iterable[str], min_count: int = 2) -> dict[str, str]:
    """Normalised word -> its most frequent written form among `name_words` (seen >= `min_count` times).

    Only entries whose written form differs from the normalised word are kept (the others need none).
    """
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for word in name_words:
        written = plain(word)
        if written:
            forms[unify_spelling(written)][written] += 1
    table = {}
    for key, counter in forms.items():
        # Most frequent; ties go to the form with more hamza/ta marbuta letters kept, then alphabetical.
        written, count = max(counter.items(), key=lambda item: (item[1], -sum(c in "اهي" for c in item[0]), item[0]))
        if count >= min_count and written != key:
            table[key] = written
    return table


def mine_transliterations(person_names: Iterable[str], table: Mapping[str, str], min_count: int = 2) -> dict[str, str]:
    """Family names transliterated with and without a long vowel (ترمب / ترامب, بوتن / بوتين, بولتن / بولتون), as
    entries for the spelling table: the rarer form -> how the most frequent one is written.

    Only what news itself pairs: two family names, each seen at least `min_count` times after the same first name
    ("دونالد ترمب", "دونالد ترامب"), one of them the other with one alif, waw or ya inside it. Different names that
    share their consonants (صالح / صلاح, زياد / زايد) differ in where the vowel stands, not by one vowel more, and stay
    apart. The table spells a word wherever it stands, so a form that opens a name at least as often as it ends one
    (حسن / حسين, حسن / حسان, "ديك تشيني", "راين") is not respelled. A name written three ways takes the most frequent
    (هالي -> هايلي -> هيلي).
    """
    pairs: Counter[tuple[str, str]] = Counter()
    family: Counter[str] = Counter()
    given: Counter[str] = Counter()
    for name in person_names:
        words = [unify_spelling(plain(word)) for word in name.split()]
        if len(words) >= 2:
            pairs[(words[0], words[-1])] += 1
            family[words[-1]] += 1
            given[words[0]] += 1
    by_first: dict[str, set[str]] = defaultdict(set)
    for (first, last), count in pairs.items():
        if count >= min_count:
            by_first[first].add(last)
    out: dict[str, str] = {}
    for lasts in by_first.values():
        for a in sorted(lasts):
            for b in sorted(lasts):
                if len(b) == len(a) + 1 and any(b == a[:i] + vowel + a[i:] for i in range(1, len(a)) for vowel in "اوي"):
                    rare, common = sorted((a, b), key=lambda w: (family[w], w))
                    if given[rare] < family[rare]:
                        out.setdefault(rare, common)
    return {rare: table.get(common, common) for rare, common in ((rare, _most_frequent(out, rare)) for rare in out)}


def _most_frequent(rare_to_common: Mapping[str, str], rare: str) -> str:
    """Where a rare form's more frequent one is rarer still than a third (هالي -> هايلي -> هيلي), the last: the pairs
    are ordered by frequency, so the chain ends."""
    common = rare_to_common[rare]
    while common in rare_to_common:
        common = rare_to_common[common]
    return common


class NameSpelling:
    """Aggregation keys of entity names, written readably (see module docstring)."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = table

    def key(self, name: str) -> str:
        words = []
        for word in name.split():
            written = plain(word)
            for part in _compound_parts(written):
                words.append(self.table.get(unify_spelling(part), _own_spelling(part)))
        return " ".join(words)


def _compound_parts(written: str) -> list[str]:
    """"عبدالفتاح" as "عبد الفتاح": one key however the name's compound is written."""
    if written.startswith("عبدال") and len(written) > 6:
        return ["عبد", written[3:]]
    return [written]


def _own_spelling(written: str) -> str:
    # The only unification applied to unseen words: أميركا/أمريكا, as for every key (not ميركل).
    return re.sub(r"(?<=[اأإآ])ميرك", "مريك", written)


def entity_names(texts: Iterable[str]) -> Iterable[tuple[str, str]]:
    """(label, text) of every entity the shipped model finds in `texts` (for `mine_spellings` and
    `mine_transliterations`)."""
    from rasid.nlp.ner import extract_entities  # the package imports this module

    for text in texts:
        for entity in extract_entities(text):
            yield entity.label, entity.text


def mine_table(texts: Iterable[str]) -> dict[str, str]:
    """The spelling table of the names in `texts`: each word's most frequent spelling, then the transliterations."""
    # a hashtag's marks are no part of a name's words ("محمد #جواد_ظريف")
    names = [(label, " ".join(text.replace("#", " ").replace("_", " ").split())) for label, text in entity_names(texts)]
    table = mine_spellings(word for _, text in names for word in text.split())
    return {**table, **mine_transliterations((text for label, text in names if label == "PER"), table)}


def write_spellings(directory: Path, table: Mapping[str, str]) -> None:
    write_gzip_json(directory / SPELLINGS_FILE, dict(table))


@lru_cache(maxsize=1)
def default_name_spelling() -> NameSpelling:
    path = MODEL_DIR / SPELLINGS_FILE
    if not path.exists():  # a model directory from before spellings were mined: keys stay as written
        return NameSpelling({})
    return NameSpelling(read_gzip_json(path))
