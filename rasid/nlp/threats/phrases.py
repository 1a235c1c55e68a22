"""Noun phrases and complements of a sentence, syntax-light (the extractor's view of Arabic clauses).

A noun phrase here is a run of content words: it ends at punctuation, a function
word, a time word, a preposition, or the بـ-complement that names a threatened
act ("هدد ترامب الصين بفرض…"). Entities (token ranges from the NER model) decide
where one name ends and the next begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasid.nlp.threats import lexicon as lx
from rasid.nlp.threats.words import Word

QUOTES = frozenset('"«»“”')
_B_NAMES = frozenset(
    "بريطانيا بغداد بوتين بومبيو بكين بيروت بشار بنيامين باريس برلين بروكسل بولندا بلجيكا بنما بيرو باكستان"
    " بنغلادش بوركينا بلغاريا بوريس بايدن بيونغيانغ بن بنك بيان بيانا بلير بوش برشلونه بيكيت بيرنز بانيلا"
    " برانسون بارزين بارز باراك بيل بيتر بول بيني بيرني بنس".split()
)
_B_NATIONALITY = re.compile(r"^ب(?:ريطاني|لجيكي|اكستاني|ولندي|رازيلي|حريني|رتغالي|لغاري|يلاروسي|ورمي|يروفي|نغلادشي|وسني)(?:ه|ين|ون|ان)?$")
# Short بـ-words that are a threatened act ("برد سريع", "بحرب").
_SHORT_B_ACTS = frozenset("برد بحرب بقصف بضرب بعمل بشن بغزو بسحق بقتل بطرد بحظر بسجن".split())
# Prepositions that open a phrase which is not the target (where, when, how, through what).
PLACE_PREPOSITIONS = lx.normalised("في خلال عبر امام عقب اثناء بعيد لدي لدى وسط قبيل منذ حتى مع حول".split())
# Words that, right after a threatened act, introduce who it is aimed at.
TARGET_PREPOSITIONS = frozenset("علي على ضد عن امام بحق تجاه ازاء".split())
COMPLEMENTIZERS = frozenset("ان انه انها فان فانه فانها بان بانه بانها لان وان وانه وانها".split())
PRONOUN_ONLY = frozenset("بلاده بلادها انها انه انهم اننا انا نحن هي هو هم انت انتم لكنها لكنه لكنهم".split())
# A pronoun alone, which the annotation guidelines leave unnamed ("بلاده" is a country and may be annotated).
PERSONAL_PRONOUNS = PRONOUN_ONLY - {"بلاده", "بلادها"} | {"فاننا", "واننا"}

_DURATIONS = ("يوم", "ساع", "اسبوع", "اسابيع", "شهر", "اشهر", "سنه", "سنوات", "دقيق", "عام")


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity as a token range of the sentence."""

    first: int
    last: int
    label: str
    conjoined: bool = False  # the name's first word carries a و/ف that is not part of the name ("والاتحاد")


def is_b_complement(words: list[Word], index: int, entity_tokens: set[int]) -> bool:
    """A بـ-phrase naming the threatened act (بفرض، بالانسحاب، بـ"الانتقام"، برد سريع)."""
    word = words[index]
    norm = word.norm
    if not norm.startswith("ب") or norm in lx.NOT_ACTION_B or norm in _B_NAMES or norm.startswith(("بعض", "بين")):
        return False
    if _B_NATIONALITY.match(norm):
        return False  # "وسيلة إعلام بريطانية": a nationality adjective, not an act
    if norm in _SHORT_B_ACTS or word.text.startswith("بـ") or norm.startswith("بال"):
        return True
    return len(norm) > 3 and index not in entity_tokens


def is_stop(word: Word) -> bool:
    """A word that cannot be inside a noun phrase."""
    if word.norm in ("#", "_"):
        return False  # hashtags: "#منتجات_صينية"
    if word.is_punct and word.norm not in QUOTES:
        return True
    if word.norm in lx.FUNCTION_WORDS or word.norm in COMPLEMENTIZERS or word.norm in PLACE_PREPOSITIONS:
        return True
    if any(b in lx.TIME_WORDS for b in word.bases):
        return True
    return word.has_conjunction and any(b in lx.FUNCTION_WORDS for b in word.bases[1:])


def np_after(words: list[Word], j: int, limit: int, entity_tokens: set[int], stop_at_b: bool = True) -> tuple[int, int] | None:
    """The noun phrase starting at word j (quotes inside a name are kept, trailing ones dropped)."""
    k = j
    while k < len(words) and k - j < limit:
        w = words[k]
        if is_stop(w) or w.bases[0] == "من":
            break
        if stop_at_b and is_b_complement(words, k, entity_tokens):
            break
        if w.norm in QUOTES and k + 1 < len(words) and is_b_complement(words, k + 1, entity_tokens):
            break
        if k > j and w.norm.isdigit() and k + 1 < len(words) and words[k + 1].norm.startswith(_DURATIONS):
            break  # "الدول الأوروبية | 120 يوما": a deadline's length is no part of the name
        if k > j and (_condition_word(w) or lx.REPORTING_VERBS.match(w.norm)):
            break  # "دمشق قائلا …": the reporting participle opens the quote
        k += 1
    while k > j and words[k - 1].is_punct:
        k -= 1
    return (j, k - 1) if k > j else None


def _condition_word(word: Word) -> bool:
    return word.norm in ("حال", "بحال", "لو", "شريطه", "والا")


def np_before(words: list[Word], i: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase ending right before word i (a subject before its verb: "ترامب يهدد")."""
    k = i - 1
    if k >= 0 and words[k].norm in ("قد", "وقد", "لقد", "سوف", "وسوف"):
        k -= 1  # "دمشق سوف تواجه": a particle of the verb, not of its subject
    end = k
    while k >= 0 and end - k < limit:
        w = words[k]
        if is_stop(w) or lx.REPORTING_VERBS.match(w.norm):
            break
        if w.has_conjunction and lx.REPORTING_VERBS.match(w.bases[-1]):
            break
        k -= 1
    while end > k and words[end].is_punct:
        end -= 1
    first = k + 1
    while first < end and words[first].is_punct:
        first += 1
    return (first, end) if end >= first else None


_WHETHER = frozenset(("هل", "وهل", "ماذا"))


def indirect_question_before(words: list[Word], first: int) -> bool:
    """An indirect question opens the clause: "ما إذا كان"، "هل" within four words before `first`."""
    near = [x.norm for x in words[max(0, first - 4) : first]]
    return any(n in _WHETHER or (n == "اذا" and k > 0 and near[k - 1] in ("ما", "عما")) for k, n in enumerate(near))


def is_pronoun(words: list[Word], span: tuple[int, int], personal: bool = False) -> bool:
    return span[0] == span[1] and words[span[0]].norm in (PERSONAL_PRONOUNS if personal else PRONOUN_ONLY)


def verb_like(words: list[Word], k: int, entity_tokens: set[int]) -> bool:
    """A guess that word k is a finite verb: و+word that is no name, or an imperfect (يـ/تـ) form."""
    w = words[k]
    if k in entity_tokens or w.is_punct or w.norm.startswith("ال") or w.norm in lx.FUNCTION_WORDS or w.norm in COMPLEMENTIZERS:
        return False
    base = w.without_conjunction
    if base.startswith("ال") or any(b.startswith("ال") for b in w.bases):
        return False
    if w.has_conjunction and len(base) >= 3:
        return True
    return len(base) >= 4 and base[0] in "يت" and not base.endswith(("ه", "ات", "يه"))


# Past verbs that news puts before their subject ("بحث الرئيس …"، "وأضاف الوزير …", VSO order).
_PAST_VERBS = lx.normalised(
    "قال اكد اضاف اعلن دعا طالب اعتبر شدد اوضح اشار كشف نقل ذكر رد صعد بحث هاجم جعل جاء نفذ اجاب حدث اقترب"
    " ارسل اختتم بات ظل عاد واصل تابع ختم زعم شجع نشر واجه تجنب تعهد توعد هدد حذر".split()
) | lx.ISSUING_VERBS  # issuing a warning: "بعد أن وجه ترمب تحذيرا إلى روسيا"
SUBJECT_HEADS = lx.AGENT_BODIES | frozenset(b.removeprefix("ال") for b in lx.AGENT_BODIES)


def _verb_shaped(base: str) -> bool:
    """A past verb of the list (with a feminine ت or not: صعدت، نفذت), or an imperfect (يـ، تتـ، تنـ)."""
    if base in _PAST_VERBS or (base.endswith("ت") and base[:-1] in _PAST_VERBS):
        return True
    return len(base) >= 4 and (base[0] == "ي" or base[:2] in ("تت", "تن")) and not base.endswith(("ه", "ات", "يه"))


def opens_with_verb(words: list[Word], k: int, entity_tokens: set[int], titles: frozenset[str]) -> bool:
    """Word k is a verb standing before its subject ("صعدت الرئيس …"، "وتعهد الأسد …"), not a head noun
    ("إدارة الرئيس …"، "وزير الخارجية"): the word is no name, no title or body, and has a verb's shape."""
    w = words[k]  # w.bases holds the word itself and each proclitic-free form
    if k in entity_tokens or w.is_punct or any(b in titles or b in SUBJECT_HEADS or b.startswith("ال") for b in w.bases):
        return False
    return _verb_shaped(w.without_conjunction)
