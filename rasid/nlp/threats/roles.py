"""Who threatens whom: the actor and target of a threat trigger, from entities and word order.

Arabic news writes a threat in a few shapes, and each decides where the roles are:
- verb first (VSO): "هدد <actor> [time, place] <target> بـ<act>", "حذر <actor> <target> من…";
- subject first (SVO, headlines): "<actor> يهدد <target> بـ<act>";
- coordinated verb with the subject dropped: "اتهمت إسرائيل فيلق القدس … وتوعدته" (the actor is the
  subject of the earlier verb, an attached pronoun is the target);
- participle (حال): "…، ملوحة بـ…" / "…، محذرا إيران من…" (the actor is the clause's subject);
- nominal: "تهديد <actor> <target> بـ<act>", "تهديده" (the possessor threatens).
The target is otherwise found inside the act ("بضرب X"، "بفرض عقوبات على X").
Entities (NER) bound names: the actor ends where its first name ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasid.nlp.threats import lexicon as lx
from rasid.nlp.threats.kinds import CONSEQUENCES, OWN_ACTS, PARTICIPIAL, THREAT_VERBS
from rasid.nlp.threats.phrases import (
    COMPLEMENTIZERS,
    PLACE_PREPOSITIONS,
    QUOTES,
    TARGET_PREPOSITIONS,
    Mention,
    is_b_complement,
    is_pronoun,
    is_stop,
    np_after,
    np_before,
    opens_with_verb,
    verb_like,
)
from rasid.nlp.threats.words import Word

Range = tuple[int, int]  # first and last word index
TITLES = frozenset(
    "الرئيس رئيس وزير وزيره زعيم المتحدث المتحدثه الناطق الناطقه قائد السفير سفيره نائب الامين المرشد ملك الملك"
    " امير وزاره حكومه الحكومه الجيش جيش حزب قوات القوات مسؤول مسؤولون المسؤولين المسؤول العاهل المستشار"
    " المستشاره الرئاسه مجلس المجلس منظمه تنظيم جماعه حركه"
    " رئيسه الرئيسه زعيمه قائده ملكه الملكه اميره الاميره نائبه".split()  # feminine: "أمهلت رئيسة الحكومة البريطانية"
)
_OBJECT_PRONOUN = re.compile(r"^[يتنا]?(?:هدد|توعد|حذر|امهل|انذر|مهل)(?:ت|وا|و|ون|ان|ن|تا)?(ه|ها|هم|هما|هن|نا|ني|كم|ك)$")
_CLAUSE_MARKERS = frozenset("حيث بينما فيما اذ".split())
_TARGETING_ACTS = frozenset(
    "ضرب مهاجمه استهداف ازاله قصف اعتقال مقاضاه الضغط اغتيال طرد معاقبه الاقتصاص محاسبه ملاحقه القبض سحق"
    " تدمير ابعاد ترحيل اسقاط محاكمه اقتحام انسحاب خروج مقاطعه معاقبه ملاحقه مصادره تجميد طرد".split()
)

_PREPOSITION_PRONOUN = re.compile(r"^(?:في|فيه|فيها|فيهم|له|لها|لهم|منه|منها|منهم|عنه|عنها|به|بها|بهم|معه|معها)$")
_AGREEMENTS = ("اتفاق", "معاهده", "صفقه", "ميثاق")


@dataclass(frozen=True, slots=True)
class Roles:
    """Character offsets (into the field) of actor, target and reporter; None where unknown."""

    actor: tuple[int, int] | None
    target: tuple[int, int] | None
    reported_by: tuple[int, int] | None


def find_roles(words: list[Word], kind: str, first: int, last: int, mentions: list[Mention],
               entity_tokens: set[int], action: Range | None, condition: Range | None = None) -> Roles:
    trigger_base = words[first].without_conjunction
    participle = trigger_base.startswith("م") and kind in PARTICIPIAL
    nominal = kind == "noun" or bool(lx.THREAT_NOUN_FORMS.match(trigger_base))
    verbal = kind in THREAT_VERBS and not participle and not nominal
    actor = target = None
    if kind == "ultimatum" and trigger_base.endswith(("مهله", "انذار", "انذارا")):
        actor, target = _ultimatum_noun_roles(words, first, last, entity_tokens)
    elif nominal:
        actor, target = _nominal_roles(words, first, last, mentions, entity_tokens)
    elif verbal:
        actor, target = _verbal_roles(words, first, last, mentions, entity_tokens)
    elif participle:
        target = _object_after(words, last, entity_tokens)
        before = np_before(words, first, 3)
        if before is not None and not is_pronoun(words, before) and not _is_adjunct(words, before) \
                and (first == before[1] + 1) and (before[0] == 0 or words[before[0] - 1].is_punct):
            actor = before  # headline "ترامب متوعداً تركيا بعقوبات": the participle's subject right before it
    elif kind == "retaliate":
        actor = None  # "في فرض إجراءات انتقامية": the measures' imposer is the clause's subject or the speaker
    elif kind in CONSEQUENCES:
        # "أعلن روحاني أن الإدارة الأمريكية ستندم": who will regret, pay or face it is the one threatened
        target = _sufferer(words, first, last, entity_tokens)
    else:
        named = next((m for m in mentions if m.first == last + 1 and m.label in ("PER", "ORG", "LOC")), None)
        if named is not None and (kind in OWN_ACTS or kind == "measure"):
            actor = named.first, named.last  # VSO: "فسترد الصين بإجراءات…"، "ستفرض الولايات المتحدة عقوبات"
        else:
            actor = np_before(words, first, 5)
            if actor is not None and condition is not None and condition[0] <= actor[1] and actor[0] <= condition[1]:
                # "إن السعودية … إذا تلقت أي إجراء فسوف ترد": the one who acts is not inside a condition put first
                actor = np_before(words, _before_condition(words, condition), 5)
        if actor is not None and words[actor[0]].norm.startswith(("مستعد", "جاهز")):
            actor = None  # "وأنه مستعد للرد": the subject is the pronoun's antecedent
    issued_by = issuer(words, first, mentions) if nominal or _WARNING_NOUN.match(trigger_base) else None
    if issued_by is not None:
        # "بعد أن وجه ترمب تحذيرا إلى روسيا": the issuer threatens, whom it is addressed to is threatened
        actor = issued_by
        target = target or _addressed(words, last, mentions, entity_tokens)
    if actor is not None and is_pronoun(words, actor):
        actor = None
    if actor is not None and actor[0] == actor[1] and words[actor[0]].norm in ("الاخيره", "الاخير"):
        actor = _latter(actor[0], mentions, words) or actor  # "بل هددت الأخيرة": the last name mentioned before
    if actor is not None and actor[1] < first and actor[0] not in entity_tokens and _plain_verb(words[actor[0]]):
        # "ترامب يهاجم أوبرا ويتوعدها"، "وكرر تهديداته": a verb is no actor; the clause's subject is
        actor = np_before(words, actor[0], 5) or clause_subject(words, actor[0], mentions, entity_tokens) or actor
    speaker = speaker_of(words, first, mentions, entity_tokens)
    if actor is None and verbal and first and words[first - 1].norm in _SUBORDINATORS:
        # "…سيدفع الصين … بعد أن توعدت بالرد"، "ووضع ترامب … بعد أن حذر": the dropped subject agrees with a name before
        actor = _nearest_party(words, first - 1, mentions, target, _feminine(words[first])) \
            or _subject_between(words, 0, first - 1, mentions, entity_tokens)
    if actor is None:
        actor = _complement_clause_subject(words, first, mentions, entity_tokens)
        if actor is not None and target is not None and _overlaps(actor, target):
            actor = None
        actor = actor or speaker
    if actor is None and not (kind == "measure" and last > first):
        # "سيتم توسيع العقوبات": the passive names no imposer in its clause (the one who announces it may still be)
        actor = clause_subject(words, first, mentions, entity_tokens)
    if actor is not None and target is not None and _overlaps(actor, target):
        actor = speaker if speaker is not None and not _overlaps(speaker, target) else None
    if actor is not None:
        actor = _cap_at_entity(words, actor, mentions)
    if kind == "or_else":
        # "وأوصت الدول الأخرى بضرورة وقف … وإلا ستصبح عرضة …"، "عليهم (المكسيك) وقف … وإلا": whoever must comply,
        # named before وإلا (the consequence after it names what befalls them, not whom)
        target = _addressee(words, first, actor, mentions, entity_tokens) or _obliged(words, first, actor, mentions,
                                                                                      entity_tokens)
        if target is not None and _overlaps(target, actor):
            target = None
    if target is None and kind == "warn" and action is not None and \
            any(p.match(words[action[0]].bases[-1]) for p in (lx.FACE, lx.REGRET, lx.PAY)):
        target = _complement_clause_subject(words, action[0], mentions, entity_tokens)  # "حذر من أن X سيواجه عواقب"
    if target is None and nominal:
        target = _responder(words, first)
    # the act names whom it hits, except after وإلا, where it names what befalls them
    act = None if kind == "or_else" else action
    if target is None and act is not None:
        target = _expelled(words, kind, last, act, entity_tokens)
    if target is None and act is not None:
        target = _target_in_action(words, act, mentions, entity_tokens)
    if target is None and condition is not None:
        target = _condition_subject(words, condition, actor, mentions)
    if target is None and act is not None:
        target = _provoker(words, act, actor, mentions)
    if target is None and act is not None:
        target = _lam_target(words, act, entity_tokens)
    if target is None and act is not None:
        target = _named_in_action(words, act, actor, mentions)
    if target is None and (verbal or participle) and words[first].has_conjunction:
        target = _shared_object(words, first, entity_tokens)
    if target is None and act is not None:
        target = _anaphor_in_action(words, first, act, actor, mentions, entity_tokens)
    if target is None:
        target = _addressee(words, first, actor, mentions, entity_tokens)
    if target is not None:
        target = _resolve_target(words, first, target, actor, mentions, entity_tokens)
    chars = lambda r: (words[r[0]].start, words[r[1]].end) if r is not None else None  # noqa: E731
    target_chars = chars(target)
    if target_chars is None and verbal:
        target_chars = _pronoun_target(words, first, actor, mentions)
    reported_by = speaker if speaker is not None and speaker != actor else None
    return Roles(chars(actor), target_chars, chars(reported_by))


def _before_condition(words: list[Word], condition: Range) -> int:
    """The first word of a condition with its preposition ("وفي حال …")."""
    k = condition[0]
    return k - 1 if k and words[k - 1].norm in ("في", "وفي", "ب", "وب") else k


def _latter(k: int, mentions: list[Mention], words: list[Word]) -> Range | None:
    """The last of the names coordinated before (…اليابان والاتحاد الأوروبي…), else the last name."""
    earlier = [m for m in mentions if m.last < k and m.label != "MISC"]
    coordinated = [m for m in earlier if m.conjoined]
    chosen = coordinated[-1] if coordinated else earlier[-1] if earlier else None
    return (chosen.first, chosen.last) if chosen else None


# --- shapes ------------------------------------------------------------------------------


def _verbal_roles(words: list[Word], first: int, last: int, mentions: list[Mention],
                  entity_tokens: set[int]) -> tuple[Range | None, Range | None]:
    before = None if words[first].has_conjunction else np_before(words, first, 5)
    if first and any(b in lx.RELATIVES for b in words[first - 1].bases):
        return _relative_roles(words, first, last, mentions, entity_tokens)
    if before is None and first >= 2 and words[first - 1].norm in ("،", ","):
        before = _fronted_subject(words, first - 1, mentions)  # "الرئيس الأمريكي، دونالد ترامب، يحذر …"
    if before is not None and _is_adjunct(words, before):
        before = None  # "وفي أغسطس 2012 حذر الرئيس …": a time or place phrase, not the subject
    if before is None and first and words[first - 1].norm in ("انه", "انها", "انهم", "فانه", "فانها", "بانه", "بانها"):
        return None, _object_after(words, last, entity_tokens)  # "أكد أنه حذر الرئيس الأمريكي": pronoun subject
    if before is not None and is_pronoun(words, before):
        return None, _object_after(words, last, entity_tokens)
    if first > 1 and words[first - 1].norm == "ما" and last + 1 < len(words) and words[last + 1].norm in ("به", "بها"):
        before = np_before(words, first - 1, 5)
        return (_from_first_definite(words, before, mentions) if before else None), None  # "تنفيذ الحكومة السورية ما هددت به"
    if last + 2 < len(words) and words[last + 1].norm in ("عدد", "بعض") and words[last + 2].norm == "من":
        rest = np_after(words, last + 3, 6, entity_tokens)
        if rest is not None:
            return (last + 1, rest[1]), None  # "حذر عدد من كبار المسؤولين في روسيا"
    if last + 2 < len(words) and words[last + 1].norm in _SOME and words[last + 2].norm.startswith("ال"):
        rest = np_after(words, last + 2, 6, entity_tokens)  # "هددت بعض النقابات بالتصعيد": the unions, not "some"
        if rest is not None:
            return rest, _target_after_actor(words, rest[1], mentions, entity_tokens, _is_warning(words[first]))
    if before is None and first and words[first - 1].norm in ("من", "ومن"):
        return None, _object_after(words, last, entity_tokens)  # "ثمة من يهدد تركيا": whoever threatens
    if before is not None:
        return before, _object_after(words, last, entity_tokens)
    # "كما توعدتها بذلك الولايات المتحدة": the act referred back to sits between the verb and its subject
    skip = 1 if last + 1 < len(words) and words[last + 1].norm in _ACT_REFERENCES else 0
    after = np_after(words, last + 1 + skip, 8, entity_tokens)
    if _coordinated(words, first, after, mentions):
        subject = _previous_verb_subject(words, first, mentions) or clause_subject(words, first, mentions, entity_tokens)
        return subject, _object_after(words, last, entity_tokens)
    if after is None:
        return None, None
    actor_end = _actor_end(words, after, mentions)
    actor = _appositive((after[0], actor_end), words, mentions)
    return actor, _target_after_actor(words, actor[1], mentions, entity_tokens, _is_warning(words[first]))


# The act referred back to, between a verb and its subject ("كما توعدتها بذلك الولايات المتحدة").
_ACT_REFERENCES = frozenset(("بذلك", "بهذا", "بها", "به"))
# Acts of removal (expel, deport, evacuate), as a future verb or a verbal noun.
_REMOVAL = re.compile(r"^(?:س[يتن])?(?:طرد|ابعاد|ترحيل|اخراج|اجلاء)")


def _expelled(words: list[Word], kind: str, last: int, action: Range, entity_tokens: set[int]) -> Range | None:
    """Whom an act of removal names: "ستطرد موظفين بريطانيين | من موسكو" (the place after "من" is only where from);
    the act opens the action, or follows a refusal ("لن نتردد بإبعاد الإرهابيين")."""
    k = action[0] if kind != "refuse" else last + 1
    if k + 1 >= len(words) or k > action[1] or not _REMOVAL.match(words[k].without_conjunction.removeprefix("ب")):
        return None
    np = np_after(words, k + 1, 6, entity_tokens)
    return (np[0], min(np[1], action[1])) if np is not None and np[0] <= action[1] else None


def _is_warning(word: Word) -> bool:
    """حذر and its forms: the object after a warning is whom it warns."""
    return word.bases[-1].endswith("حذر") or "حذر" in word.norm


def _fronted_subject(words: list[Word], comma: int, mentions: list[Mention]) -> Range | None:
    """A sentence that opens with a name and its apposition between commas, then the verb: that is the subject."""
    start = 0
    while start < comma and words[start].is_punct:
        start += 1
    if start >= comma or not any(m.label in ("PER", "ORG") and start <= m.first and m.last < comma for m in mentions):
        return None
    if any(is_stop(w) and w.norm not in ("،", ",") for w in words[start:comma]):
        return None
    return start, comma - 1


def _previous_verb_subject(words: list[Word], first: int, mentions: list[Mention]) -> Range | None:
    """"فأظهر ترامب الجانب الآخر … وهدد بتدمير…": a coordinated verb shares the subject named right after
    the verb before it in the same clause."""
    for k in range(first - 1, max(-1, first - 14), -1):
        w = words[k]
        if w.norm in ("،", ",", ".", ":", "؛") or any(b in COMPLEMENTIZERS for b in w.bases):
            return None
        if w.has_conjunction and not w.norm.startswith(("وال", "فال")) and k + 1 < first and len(w.bases[-1]) >= 3:
            named = next((m for m in mentions if m.first == k + 1 and m.label in ("PER", "ORG", "LOC")), None)
            if named is not None:
                return named.first, named.last
            if _bare_name_word(words[k + 1]) and k + 2 < first and words[k + 2].norm.startswith("ال"):
                return k + 1, k + 1
    return None


def _relative_roles(words: list[Word], first: int, last: int, mentions: list[Mention],
                    entity_tokens: set[int]) -> tuple[Range | None, Range | None]:
    """A verb right after الذي/التي: with its own subject after it, the antecedent is its object
    ("مضيق هرمز الذي هدد الرئيس الإيراني … بإغلاقه"); without one, the antecedent is its subject
    ("ترامب الذي هدد بفرض رسوم")."""
    rel = first - 1
    while rel > 0 and words[rel - 1].norm in ("،", ","):
        rel -= 1  # "الرئيس الإيراني، حسن روحاني، الذي هدد": the name before the apposition's comma
    antecedent = np_before(words, rel, 5)
    if antecedent is not None:
        antecedent = _subject_in(words, antecedent, mentions) if antecedent[0] in entity_tokens else antecedent
    after = np_after(words, last + 1, 8, entity_tokens)
    if after is not None and (after[0] in entity_tokens or any(b in TITLES for b in words[after[0]].bases)):
        return _appositive((after[0], _actor_end(words, after, mentions)), words, mentions), antecedent
    return antecedent, _object_after(words, last, entity_tokens)


def _is_adjunct(words: list[Word], np: Range) -> bool:
    """A phrase opened by a preposition of time or place, a discourse opener ("ومن جهة أخرى"), or a phrase holding a
    year: where, when or how the text goes on, never who."""
    opener = words[np[0] - 1] if np[0] else None
    if opener is not None and (opener.norm in PLACE_PREPOSITIONS or opener.bases[-1] in PLACE_PREPOSITIONS):
        return True
    if discourse_side(words, np):
        return True
    return any(words[k].norm.isdigit() and len(words[k].norm) == 4 for k in range(np[0], np[1] + 1))


# "من جهة ثانية"، "من ناحية أخرى"، "من جانبه": "on the other hand", "for his part".
_DISCOURSE_SIDES = frozenset("جهه ناحيه جانب جانبه جانبها جانبهم جهته جهتها جهتهم ناحيته ناحيتها".split())


def discourse_side(words: list[Word], span: Range) -> bool:
    """The span is the side of a discourse opener: "ومن جهة أخرى" whole, or "جهة ثانية" after its "من"."""
    side = span[0] + 1 if words[span[0]].bases[-1] == "من" and span[1] > span[0] else span[0]
    return (side > span[0] or (side > 0 and words[side - 1].bases[-1] == "من")) and any(
        b in _DISCOURSE_SIDES for b in words[side].bases)


# "خلال"، "أثناء" (during): a phrase of when and where something was said or done.
_CIRCUMSTANCE_OPENERS = frozenset("خلال اثناء".split())
_CIRCUMSTANCE_WORDS = 7


def _opens_circumstance(word: Word) -> bool:
    return any(b in _CIRCUMSTANCE_OPENERS for b in word.bases)


def in_circumstance(words: list[Word], span: Range, trigger: Range, entity_tokens: set[int]) -> bool:
    """The span lies in a "during" phrase that punctuation or the trigger closes: "وتوعد العبادي خلال حفل انتخابي
    بمحافظة النجف، بكشف …"، "وتابعت، خلال إلقائها كلمة أمام البرلمان البريطاني "سنعلق …": where, never who. A verb
    inside the phrase ("خلال الاجتماع قال ترامب") means it is no such phrase."""
    opener = next((k for k in range(span[0], max(-1, span[0] - _CIRCUMSTANCE_WORDS), -1)
                   if words[k].is_punct or trigger[0] <= k <= trigger[1] or _opens_circumstance(words[k])), None)
    if opener is None or not _opens_circumstance(words[opener]):
        return False
    if opener and words[opener - 1].without_conjunction == "من":
        return False  # "من خلال محاولتهم اقتحام السياج": by what means, whose object may be the target
    for k in range(opener + 1, min(len(words), opener + 1 + _CIRCUMSTANCE_WORDS)):
        if words[k].is_punct or trigger[0] <= k <= trigger[1]:
            return span[1] < k
        if opens_with_verb(words, k, entity_tokens, TITLES):
            return False
    return False


def _ultimatum_noun_roles(words: list[Word], first: int, last: int, entity_tokens: set[int]) -> tuple[Range | None, Range | None]:
    """"ووضع ترامب مهلة للأوروبيين": the giver's subject sits between the verb and the noun; the لـ-phrase is the target."""
    actor = None
    k = first - 1
    while k >= 0 and not is_stop(words[k]) and first - k <= 5:
        k -= 1
    if first - 1 > k + 1:
        actor = (k + 2, first - 1)  # the word right after the stop is the giving verb (وضع، وجه…)
    target = None
    if last + 1 < len(words) and words[last + 1].norm.startswith("ل") and not is_stop(words[last + 1]):
        target = np_after(words, last + 1, 5, entity_tokens)
    return actor, target


_WARNING_NOUN = re.compile(r"^(?:ال)?(?:تحذير|انذار|تلويح)")


def issuer(words: list[Word], first: int, mentions: list[Mention]) -> Range | None:
    """The subject between an issuing verb and the threat noun it issues (VSO): "بعد أن وجه ترمب تحذيرا إلى روسيا".
    A noun after a preposition is not what the verb issued ("ووجهت طهران انتقادات حادة لتهديدات ترامب")."""
    base = words[first].without_conjunction
    if base.startswith(("ل", "ب")) and not base.startswith("ال"):
        return None
    for k in range(first - 1, max(-1, first - 8), -1):
        if words[k].is_punct:
            return None
        if any(b in lx.ISSUING_VERBS for b in words[k].bases):  # "وجه" (its bases: وجه، جه)، "ووجه"
            end = first - 1
            while end > k and _time_like(words[end]):
                end -= 1  # "وأصدرت الخارجية الأمريكية أمس تحذيرا": when, not who
            if end <= k:
                return None
            span = (k + 1, end)
            return _name_in(span, mentions) or _definite_cut(words, span, mentions, after_verb=True)
    return None


def _addressed(words: list[Word], last: int, mentions: list[Mention], entity_tokens: set[int]) -> Range | None:
    """Whom an issued warning is sent to: the party after إلى ("تحذيرا إلى روسيا لدعمها …": روسيا)."""
    if last + 2 >= len(words) or words[last + 1].norm not in ("الى", "الي"):
        return None
    np = np_after(words, last + 2, 6, entity_tokens)
    return None if np is None else _name_in(np, mentions) or _definite_cut(words, np, mentions)


def _nominal_roles(words: list[Word], first: int, last: int, mentions: list[Mention],
                   entity_tokens: set[int]) -> tuple[Range | None, Range | None]:
    """تهديد <actor> <target> بـ…; a possessive (تهديده، تهديداتها) points back to the threatener."""
    if re.search(r"(?:ه|ها|هم)$", words[first].norm):
        if _instrumental(words, first):
            # "يقول لآلاف الأسر … من خلال تهديدهم بمصادرة أملاكهم": by threatening them, the pronoun is the object
            return None, _plural_antecedent(words, first) if words[first].norm.endswith("هم") else None
        before = np_before(words, first, 5) if first and not words[first - 1].is_punct else None
        if before is None or words[before[0]].norm in TARGET_PREPOSITIONS:
            # "أن تتخلى إدارة ترامب عن تهديدها": the possessor is the clause's subject
            before = clause_subject(words, first, mentions, entity_tokens)
        return before, None
    after = np_after(words, last + 1, 8, entity_tokens)
    if after is not None and adjective_of(words, last, after[0], entity_tokens):
        # "وتضمنت تهديدا مبطنا": the adjective describes the threat; whoever follows it may still be its author
        after = np_after(words, after[0] + 1, 8, entity_tokens) if after[0] + 1 < len(words) else None
    if after is None:
        return None, None
    if words[after[0]].text[:1] == "ل" and words[after[0]].norm.startswith("ل") and not words[after[0]].norm.startswith("لل") \
            and (after[0] in entity_tokens or words[after[0]].norm[1:].startswith("ال") is False):
        return None, after  # "تهديد لفيسبوك إن لم تتوقف": the لـ-phrase is the one threatened
    actor_end = _actor_end(words, after, mentions)
    actor = _appositive((after[0], actor_end), words, mentions)
    return actor, _target_after_actor(words, actor[1], mentions, entity_tokens)


def adjective_of(words: list[Word], noun: int, k: int, entity_tokens: set[int]) -> bool:
    """Word k is an adjective of the threat noun right before it: one that says how or when a threat is made, agreeing
    in definiteness (تهديد مبطن، التهديدات الأخيرة، تهديدا آخر), or an indefinite one agreeing with an indefinite noun
    (تهديدا مبطنا، تهديدات صريحة); a relational adjective names a party and is kept (تهديدا أميركيا، تهديدات إيرانية)."""
    if k != noun + 1 or k in entity_tokens:
        return False
    head, adj = words[noun].norm, words[k].norm
    if describes_a_threat(adj) and head.startswith("ال") == adj.startswith("ال"):
        return True  # "تهديد مبطن"، "التهديدات الأخيرة التي أطلقتها إيران"، "التهديد المستمر"
    if adj.startswith("ال") or adj.endswith(("يا", "يه")) or adj in lx.FUNCTION_WORDS:
        return False
    return (head.endswith("ا") and adj.endswith("ا")) or (head.endswith("ات") and adj.endswith("ه"))


# How a threat is made or when: "تهديد مبطن"، "التهديدات الأخيرة"، "التهديد المستمر" (each stem bare or with a feminine,
# accusative or plural ending).
_THREAT_DESCRIPTORS = frozenset(stem + ending
                                for stem in ("مبطن صريح واضح مباشر جديد خطير شديد حقيقي ضمني علني مستمر متكرر اخير متزايد"
                                             " متبادل سابق عنيف مماثل اخر اخري").split()
                                for ending in ("", "ه", "ا", "ات", "ين", "ون"))


def describes_a_threat(adj: str) -> bool:
    return adj.removeprefix("ال") in _THREAT_DESCRIPTORS


def _instrumental(words: list[Word], first: int) -> bool:
    """من خلال / عن طريق / عبر before a verbal noun: the means by which the clause's subject acts."""
    pair = tuple(w.norm for w in words[max(0, first - 2) : first])
    return pair in (("من", "خلال"), ("عن", "طريق")) or (first > 0 and words[first - 1].norm == "عبر")


_QUANTITIES = ("الاف", "آلاف", "عشرات", "مئات", "ملايين", "الاف")


def _plural_antecedent(words: list[Word], first: int) -> Range | None:
    """The nearest earlier noun phrase that a plural pronoun (هم) can point to: a plural or a quantity of people."""
    for k in range(first - 1, -1, -1):
        w = words[k]
        if w.norm in (".", ":", "؛"):
            return None
        base = w.bases[-1]
        plural = base.startswith("ال") and base.endswith(("ين", "ون")) or any(b.startswith(_QUANTITIES) for b in w.bases)
        if plural and not is_stop(w):
            np = np_after(words, k, 5, set())
            if np is not None:
                return np
    return None


def _coordinated(words: list[Word], first: int, after: Range | None, mentions: list[Mention]) -> bool:
    """"… وتوعدت باعتقال…" / "… وتحذر الإيرانيين من…": a و-verb inside a clause shares its subject."""
    if first and words[first - 1].norm == "ثم":
        return True  # "…، ثم تهدد الضحية بالعقاب": same subject as the clause before
    if not words[first].has_conjunction or first == 0 or words[first - 1].is_punct:
        return False
    if words[first - 1].norm in ("هذا", "هذه") and (first == 1 or words[first - 2].is_punct):
        return False  # "هذا وتتوعد دول غربية": a discourse opener, not a coordinated clause
    if after is None:
        return True
    head = words[after[0]]
    starts_name = any(m.first == after[0] and m.label in ("PER", "ORG") for m in mentions)
    return not (starts_name or any(b in TITLES for b in head.bases))


def _actor_end(words: list[Word], np: Range, mentions: list[Mention]) -> int:
    """Where the actor ends in the words after a verb: the end of its first name, else a title phrase."""
    first, last = np
    inside = [m for m in mentions if first <= m.first <= last]
    if first < last and _bare_name_word(words[first]) and first not in {k for m in inside for k in range(m.first, m.last + 1)}:
        nxt = words[first + 1]
        if nxt.norm in TITLES or (not nxt.norm.startswith("ال") and nxt.norm.endswith("ا") and len(nxt.norm) > 3):
            return first  # "حذر صالحي الرئيسَ الأميركي"، "حذر ترامب أشخاصا بارزين": a name, then the object
    if inside and inside[0].first > first and inside[0].label != "PER" and any(b in TITLES for b in words[first].bases):
        cut = _definite_cut(words, (first, last), mentions, after_verb=True)[1]
        if cut < inside[0].first:
            return cut  # "الرئيس الأميركي السابق باراك أوباما | سوريا": a person the entity model missed, then a place
        if inside[0].label == "LOC" and all(words[k].norm.startswith("ال") for k in range(first, inside[0].first)):
            return inside[0].first - 1  # "أنذر الرئيس الأمريكي | إيران": a title and its adjectives, then a country
    if inside and inside[0].first > first and inside[0].label in ("LOC", "ORG") and inside[0].first - first <= 2 \
            and all(_bare_name_word(words[k]) for k in range(first, inside[0].first)):
        return inside[0].first - 1  # "وحذر ترمب إيران من…": a name the entity model missed, then the object
    if inside:
        return min(max(inside[0].last, first), last)
    if last - first == 1 and not words[first].norm.startswith("ال") and words[first].norm not in TITLES \
            and not words[last].norm.endswith(("يه", "يين", "يون")):
        return first  # "يهدد ترامب الصين": two bare names (but "دول غربية": a noun and its adjective)
    return _definite_cut(words, (first, last), mentions, after_verb=True)[1]


def _bare_name_word(word: Word) -> bool:
    """A word that can be a whole name on its own: no article, no title, no plural or construct ending."""
    norm = word.norm
    return not norm.startswith(("ال", "لل")) and not any(b in TITLES for b in word.bases) and not word.is_punct \
        and not norm.endswith(("و", "ات", "ون", "ين", "يه")) and norm not in QUOTES and len(norm) >= 3


_CONSTRUCT_LINKS = frozenset("باسم بن ابن ابو عبد ال".split())


def _definite_cut(words: list[Word], span: Range, mentions: list[Mention], after_verb: bool = False) -> Range:
    """A definite noun is never followed by an indefinite one in the same phrase: "السلطات | سعر صرف"، "السعودية | دعت"."""
    names = {k for m in mentions for k in range(m.first, m.last + 1)}
    starts = {m.first for m in mentions}
    # "وزير الخارجية الأمريكي مايك بومبيو": when the entity model found no person here, a title's
    # indefinite words are taken for a name (up to three of them; a name found after them is the next phrase).
    titled = any(b in TITLES for b in words[span[0]].bases) and (not mentions or after_verb and
                                                                   not any(m.label == "PER" and span[0] <= m.first <= span[1] for m in mentions))
    definite = False
    bare_name = 0
    for k in range(span[0], span[1] + 1):
        w = words[k]
        is_def = w.norm.startswith(("ال", "لل")) or k in names or w.norm in QUOTES or w.norm in ("#", "_")
        if titled and bare_name and (k in starts or bare_name == 3):
            return span[0], k - 1  # "الرئيس الأميركي السابق باراك أوباما | سوريا"
        if definite and titled and not is_def:
            bare_name += 1
        if definite and not titled and not is_def and w.norm not in _CONSTRUCT_LINKS and words[k - 1].end != w.start:
            return span[0], k - 1
        if w.norm.startswith("ل") and not w.norm.startswith("لل") and k > span[0] and k not in names:
            return span[0], k - 1  # "وزارة الداخلية | لعدم إطلاق"
        definite = definite or is_def
    return span


def _glued(words: list[Word], end: int, mentions: list[Mention]) -> int:
    """A name written as one hashtag ("#شيماء_سبت"، "رجب طيب #أردوغان") continues past the tokeniser's cuts."""
    while end + 1 < len(words):
        nxt = words[end + 1]
        if nxt.start == words[end].end and nxt.norm not in ("،", ",", ".", ":", "؛") and nxt.norm not in QUOTES:
            end += 1
        elif nxt.norm == "#" and any(m.first == end + 2 for m in mentions):
            end = next(m.last for m in mentions if m.first == end + 2)
        else:
            break
    return end


def _appositive(actor: Range, words: list[Word], mentions: list[Mention]) -> Range:
    """A phrase between commas right after the actor is in apposition to it and belongs to it:
    a name after a title ("الرئيس التركي، رجب طيب #أردوغان،") or a title after a name
    ("سارة ساندرز، المتحدثة باسم البيت الأبيض،")."""
    actor = actor[0], _glued(words, actor[1], mentions)
    k = actor[1] + 1
    if k + 1 >= len(words) or words[k].norm not in ("،", ","):
        return actor
    close = k + 1
    entity_tokens = {x for m in mentions for x in range(m.first, m.last + 1)}
    while close < len(words) and close - k <= 8 and (words[close].norm in ("#", "_") or not is_stop(words[close])) \
            and not (close > k + 1 and is_b_complement(words, close, entity_tokens)):
        close += 1
    closed_by_act = close < len(words) and close > k + 1 and is_b_complement(words, close, entity_tokens) \
        and any(m.label == "PER" and m.first == k + 1 and m.last == close - 1 for m in mentions)
    if closed_by_act:
        return actor[0], close - 1  # "وهدد الرئيس الأمريكي، دونالد ترامب بفرض…": the name ends at the act
    if close >= len(words) or words[close].norm not in ("،", ",") or close == k + 1:
        return actor
    first, last = k + 1, close - 1
    names_a_person = any(m.label == "PER" and first <= m.first <= last for m in mentions)
    actor_is_person = any(m.label == "PER" and actor[0] <= m.first <= actor[1] for m in mentions)
    titled = any(b in TITLES for b in words[first].bases)
    if names_a_person and not any(m.label != "PER" and m.first == first for m in mentions):
        return actor[0], _glued(words, last, mentions)
    if actor_is_person and titled:
        return actor[0], last
    return actor


def _complement_index(words: list[Word], start: int, entity_tokens: set[int], warning: bool = False) -> int | None:
    """The first word after `start` that opens the threatened act or the warning's content (حذر X من…)."""
    for k in range(start, min(len(words), start + 20)):
        w = words[k]
        if w.norm in (".", "؟", "?", "!", "؛"):
            return None
        if w.norm in ("من", "بان", "بانه", "بانها", "بانهم", "حال", "اذا") or w.norm.startswith("بضروره"):
            return k
        if not warning and is_b_complement(words, k, entity_tokens):
            return k
    return None


def _target_after_actor(words: list[Word], actor_end: int, mentions: list[Mention],
                        entity_tokens: set[int], warning: bool = False) -> Range | None:
    """"هدد <actor> [الاثنين، في تغريدة…] <target> بـ…": the noun phrase before the act."""
    k = actor_end + 1
    in_time = False  # "هدد X [الاثنين، في حزيران/يونيو الماضي، في وقت سابق] Y بـ…"
    while k < len(words):
        w = words[k]
        if w.norm in ("في", "منذ") and k + 1 < len(words) and _time_like(words[k + 1]):
            in_time = True
        elif in_time and (_time_like(w) or w.norm in ("/", "سابق", "لاحق", "مبكر")):
            pass
        elif w.norm in ("،", ",") or w.norm in QUOTES or any(b in lx.TIME_WORDS for b in w.bases):
            in_time = False
        else:
            break
        k += 1
    if k < len(words) and any(b in lx.RELATIVES for b in words[k].bases):
        close = next((x for x in range(k + 1, min(len(words), k + 14)) if words[x].norm in ("،", ",")), None)
        if close is None:
            return None
        k = close + 1  # "وحذرت الولايات المتحدة، التي توسطت في الاتفاق…، من أنها": the relative clause is no object
        while k < len(words) and words[k].has_conjunction and not words[k].norm.startswith("وال"):
            close = next((x for x in range(k + 1, min(len(words), k + 10)) if words[x].norm in ("،", ",")), None)
            if close is None:
                return None
            k = close + 1
    if k >= len(words):
        return None
    comp = _complement_index(words, k, entity_tokens, warning)
    if not is_stop(words[k]) and words[k].norm not in QUOTES and (comp is None or k < comp):
        np = np_after(words, k, 8, entity_tokens)
        if np is not None and not is_b_complement(words, np[0], entity_tokens):
            return np
    if comp is None or comp <= k:
        return None
    end = comp - 1
    while end > k and (words[end].norm in QUOTES or words[end].norm in ("،", ",")):
        end -= 1
    start = end
    while start - 1 >= k and not is_stop(words[start - 1]) and words[start - 1].norm not in QUOTES:
        start -= 1
    if start > end or is_stop(words[end]) or words[end].norm in QUOTES:
        return None
    opener = words[start - 1].norm if start - 1 >= 0 else ""
    if opener in PLACE_PREPOSITIONS or opener in lx.FUNCTION_WORDS:
        return None
    return start, end


_PERIODS = frozenset("عام عاما سنه سنوات اعوام شهر اشهر شهرا ايام يوما اسبوع اسابيع".split())


def names_a_time(words: list[Word], span: Range) -> bool:
    """The span is only a time ("عام 1996"، "الأربعاء الماضي"): when, never who."""
    return all(_time_like(w) or w.norm in _PERIODS or w.is_punct for w in words[span[0] : span[1] + 1])


def _time_like(word: Word) -> bool:
    return any(b in lx.TIME_WORDS for b in word.bases) or word.norm.isdigit() or word.norm in ("وقت", "اواخر", "اوائل", "منتصف", "مطلع", "نهايه", "بدايه")


def _object_after(words: list[Word], last: int, entity_tokens: set[int]) -> Range | None:
    """The direct object right after a verb whose subject came before it ("روسيا تحذر الولايات المتحدة من…")."""
    k = last + 1
    while k < len(words) and words[k].norm in ("،", ","):
        k += 1
    while k + 1 < len(words) and _time_like(words[k]) and words[k + 1].norm in ("،", ","):
        k += 2  # "حذر، الأربعاء، روسيا من …": a time between commas, then the object
    if k >= len(words) or is_b_complement(words, k, entity_tokens) or _PREPOSITION_PRONOUN.match(words[k].norm):
        return None  # "الذي هدد فيها بمنع…": a preposition with a pronoun is no object
    return np_after(words, k, 8, entity_tokens)


def _target_in_action(words: list[Word], action: Range, mentions: list[Mention], entity_tokens: set[int]) -> Range | None:
    """The target named inside the act: "بضرب X"، "بشن هجوم على X"، "بفرض رسوم على X"، "للقوات الأميركية"."""
    a, b = action
    for k in range(a, b):
        if words[k].norm in ("لاي", "لكل", "لجميع") and k < b:
            np = np_after(words, k + 1, 6, entity_tokens)
            if np is not None:
                return k, np[1]  # "لن يسمح لأي وسيلة إعلام بريطانية": the indirect object
        future = lx.ATTACK_FUTURE.match(words[k].bases[-1]) or (words[k].norm == "سوف" and k + 2 <= b)
        if future:
            j = k + 2 if words[k].norm == "سوف" else k + 1
            lead = j
            if j <= b and words[j].norm in ("تلك", "هذه", "هذا", "ذلك", "هؤلاء"):
                j += 1
            np = np_after(words, j, 6, entity_tokens) if j <= b else None
            if np is not None:
                return lead, np[1]  # "بأنها ستستهدف تلك القوات"، "سوف تسقط الصواريخ الأمريكية"
    head = a
    while head <= b and (words[head].norm in ("ب",) or words[head].norm in QUOTES or lx.CONTINUE.match(words[head].bases[-1])):
        head += 1  # "ستواصل استهداف …": the act after the continuing verb
    if head < b and any(base.removeprefix("ب").removeprefix("ال") in _TARGETING_ACTS or base.removeprefix("ب") in _TARGETING_ACTS
                        for base in words[head].bases):
        k = head + 1
        while k <= b and (words[k].norm in QUOTES or words[k].norm in ("علي", "على", "من")):
            k += 1
        np = np_after(words, k, min(6, b - k + 1), entity_tokens) if k <= b else None
        if np is not None and not words[np[0]].norm.removeprefix("ال").startswith(_AGREEMENTS):
            return np  # (an agreement one leaves is no party: "الانسحاب من الاتفاق النووي، إذا انسحبت منه أميركا")
    for m in mentions:
        if a < m.first <= b and m.label in ("PER", "ORG", "LOC"):
            prev = words[m.first - 1].norm
            if prev in TARGET_PREPOSITIONS or words[m.first].norm.startswith("ل") and words[m.first].text[:1] == "ل" and len(words[m.first].norm) > 4:
                return m.first, m.last
    for k in range(a + 1, b + 1):
        w = words[k]
        if w.norm in TARGET_PREPOSITIONS and k + 1 <= b:
            np = np_after(words, k + 1, 6, entity_tokens)
            if np is not None:
                origin = _goods_origin(words, np, mentions)
                return origin or np
    return None


def _lam_target(words: list[Word], action: Range, entity_tokens: set[int]) -> Range | None:
    """A لـ-phrase in the act ("للقوات الأميركية"، "لرئيسهم"): weaker than على/ضد and than the condition's
    subject, since لـ also opens purposes ("للدفاع عن مصالحه"، "باللجوء للقوة")."""
    for k in range(action[0] + 1, action[1] + 1):
        w = words[k]
        if w.norm.startswith("لل") and w.norm not in ("للرد",) and len(w.norm) > 4 and not is_purpose(w):
            return np_after(words, k, 6, entity_tokens)
        rest = w.norm[1:]
        if w.text[:1] == "ل" and not w.norm.startswith("لل") and (k in entity_tokens or rest in TITLES or rest in _PEOPLE_HEADS):
            return np_after(words, k, 6, entity_tokens)  # "سلاح الاغتيالات لقادة حماس"
        if w.norm.startswith("ل") and re.search(r"(?:ه|ها|هم)$", w.text) and len(w.norm) > 4 and not is_stop(w):
            return k, k  # "وتلوح بالعصا لرئيسهم" (the written ه of a pronoun, not a ة folded to ه: "لحماية")
    return None


_PEOPLE_HEADS = frozenset("قاده زعماء قيادات عناصر مسلحي مقاتلي افراد اعضاء مسؤولي جنود قوات سكان المدنيين".split())
_PURPOSES = frozenset("دفاع حمايه تعويض استخدام ضمان منع ردع مواجهه حفاظ تحقيق قوه اجبار ضغط وقف انهاء تصدي رد".split())


def _verbal_noun(norm: str) -> bool:
    """Common shapes of a masdar (دفاع، حماية، تعويض، استخدام، انسحاب…) that follow لـ as a purpose, not a party."""
    return norm in _PURPOSES


def is_purpose(word: Word) -> bool:
    """A لـ-word that opens a purpose ("لحماية مصالحها"، "لمنعهم"، "للدفاع عن مصالحه"), which names no party."""
    norm = word.norm
    if not norm.startswith("ل") or norm.startswith("ال"):
        return False
    rest = norm[2:] if norm.startswith("لل") else norm[1:]
    return _verbal_noun(rest) or _verbal_noun(re.sub(r"(?:هم|ها|ه)$", "", rest))


def _condition_subject(words: list[Word], condition: Range, actor: Range | None, mentions: list[Mention]) -> Range | None:
    """"سترد في حال قررت الولايات المتحدة…"، "إذا ما قامت الصين بالرد": whoever the condition is about."""
    taken = set(range(actor[0], actor[1] + 1)) if actor else set()
    for m in mentions:
        if condition[0] < m.first <= condition[0] + 4 and m.label != "MISC" and m.first not in taken:
            actor_norms = {words[k].norm for k in taken}
            if not {words[k].norm for k in range(m.first, m.last + 1)} <= actor_norms:
                return m.first, m.last
    # no name: the definite noun phrase right after the condition's verb ("ما لم ينجح الحلفاء الأوروبيون")
    k = condition[0]
    while k <= condition[1] and (words[k].norm in ("اذا", "ان", "ما", "لم", "في", "حال", "حاله", "لو") or words[k].is_punct):
        k += 1
    if k + 1 <= condition[1] and words[k].norm[:1] in "يت" and words[k].norm != "تم" and words[k + 1].norm.startswith("ال") and k + 1 not in taken:
        np = np_after(words, k + 1, 4, set())
        if np is not None and np[1] <= condition[1] and not words[np[0]].norm.startswith(("الي", "الا")):
            return _definite_cut(words, np, mentions)
    return None


def _provoker(words: list[Word], action: Range, actor: Range | None, mentions: list[Mention]) -> Range | None:
    """"هددت روسيا بـ"رد صارم" عقب قرار الولايات المتحدة فرض عقوبات": a response is aimed at whoever provoked it."""
    k = action[1] + 1
    if k >= len(words) or words[k].norm not in lx.REASON_OPENERS:
        return None
    taken = set(range(actor[0], actor[1] + 1)) if actor else set()
    for m in mentions:
        if k < m.first <= k + 3 and m.label != "MISC" and m.first not in taken:
            return m.first, m.last
    return None


_GOODS = frozenset("واردات صادرات منتجات سلع بضائع السيارات السلع البضائع المنتجات".split())


def _goods_origin(words: list[Word], np: Range, mentions: list[Mention]) -> Range | None:
    """"رسوم على واردات السيارات من الاتحاد الأوروبي": the tariff's target is where the goods come from."""
    if words[np[0]].norm not in _GOODS:
        return None
    k = np[1] + 1
    if k < len(words) and words[k].norm == "من":
        return next(((m.first, m.last) for m in mentions if m.first == k + 1 and m.label != "MISC"), None)
    return None


def _pronoun_target(words: list[Word], first: int, actor: Range | None, mentions: list[Mention]) -> tuple[int, int] | None:
    """توعدته، هدده، حذرهم: the nearest earlier name that is not the actor, else none."""
    word = words[first]
    base = word.without_conjunction
    m = _OBJECT_PRONOUN.match(base)
    if m is None:
        return None
    pronoun = m.group(1)
    if pronoun in ("ه", "ها", "هم", "هما", "هن"):
        taken = set(range(actor[0], actor[1] + 1)) if actor else set()
        earlier = [x for x in mentions if x.last < first and x.first not in taken and x.label != "MISC"]
        after_actor = [x for x in earlier if actor is not None and x.first > actor[1]]
        if after_actor:  # "اتهمت إسرائيل فيلق القدس … وتوعدته"
            return words[after_actor[-1].first].start, words[after_actor[-1].last].end
        np = np_before(words, first, 4)
        if np is not None and actor is not None and np[0] <= actor[1] < np[1]:
            np = actor[1] + 1, np[1]  # "اتصل الديوان الملكي بناشطين بارزين وحذرهم"
        if np is not None and not taken & set(range(np[0], np[1] + 1)) and (actor is None or np[0] > actor[1]):
            return words[np[0]].start, words[np[1]].end
        if earlier:
            return words[earlier[-1].first].start, words[earlier[-1].last].end
    return None  # "إياك أن تهددنا": a bare pronoun names no one (the annotation guidelines leave it null)


# --- subjects -----------------------------------------------------------------------------


def _cap_at_entity(words: list[Word], span: Range, mentions: list[Mention]) -> Range:
    """An actor phrase that runs past its name ("رونالدو "غاضب جدا") ends with the name."""
    inside = [m for m in mentions if span[0] <= m.first <= span[1]]
    if inside and inside[0].first == span[0] and inside[0].last < span[1] and words[inside[0].last + 1].norm in QUOTES:
        return span[0], inside[0].last
    return span


def _complement_clause_subject(words: list[Word], before: int, mentions: list[Mention],
                               entity_tokens: set[int]) -> Range | None:
    """"قالت صحيفة "أس" إن رونالدو … وقد هدد": the subject after the nearest إن/أن, not the newspaper."""
    for k in range(before - 1, -1, -1):
        w = words[k]
        if w.norm in (".", "؟", "?", "!", ":"):
            return None
        if w.norm in COMPLEMENTIZERS or (w.has_conjunction and w.bases[-1] in COMPLEMENTIZERS):
            if w.norm.endswith(("ه", "ها")) or k + 1 >= before:
                return None
            if verb_like(words, k + 1, entity_tokens) and not words[k + 1].has_conjunction:
                continue  # "أن تبقى في لبنان": a verb clause; its subject is the one of the clause further back
            np = np_after(words, k + 1, 5, entity_tokens, stop_at_b=False)
            if np is None or np[1] >= before:
                return None
            return _subject_in(words, np, mentions)
    return None


def _subject_in(words: list[Word], np: Range, mentions: list[Mention]) -> Range:
    if any(b in TITLES for b in words[np[0]].bases):
        # a title's name that the phrase's word limit cut is taken whole ("وكان وزير الخارجية الإيراني محمد | جواد ظريف")
        np = np[0], max([np[1]] + [m.last for m in mentions if np[0] <= m.first <= np[1]])
    inside = [m for m in mentions if np[0] <= m.first <= np[1]]
    if inside and inside[0].first == np[0]:
        return np[0], inside[0].last
    return _definite_cut(words, np, mentions)


def _from_first_definite(words: list[Word], np: Range, mentions: list[Mention]) -> Range:
    """"حال تنفيذ الحكومة السورية" -> "الحكومة السورية" (the agent of a verbal noun)."""
    for first in range(np[0], np[1] + 1):
        if words[first].norm.startswith("ال") or any(m.first == first for m in mentions):
            return _subject_in(words, (first, np[1]), mentions)
    return _subject_in(words, np, mentions)


def clause_subject(words: list[Word], before: int, mentions: list[Mention], entity_tokens: set[int]) -> Range | None:
    """The subject of the clause holding word `before`: the noun phrase before its first verb (SVO) or after it (VSO)."""
    start = 0
    for k in range(before - 1, -1, -1):
        w = words[k]
        if w.norm in _CLAUSE_MARKERS or w.norm in (":", "؛") or w.norm in COMPLEMENTIZERS:
            start = k + 1
            break
    subject = _subject_between(words, start, before, mentions, entity_tokens)
    if subject is None and start > 0:
        subject = _subject_between(words, 0, before, mentions, entity_tokens)
    if subject is not None and lx.REPORTING_VERBS.match(words[subject[0]].without_conjunction):
        return None  # "وأضاف أن بلاده ستطرد …": a reporting verb whose subject was dropped names no one
    return subject


def _subject_between(words: list[Word], start: int, before: int, mentions: list[Mention],
                     entity_tokens: set[int]) -> Range | None:
    k = start
    opener = words[k].bases[-1] if k < before else ""
    if opener in TARGET_PREPOSITIONS or opener in PLACE_PREPOSITIONS or opener in ("من", "في", "على", "علي"):
        # "وعلى نفس المنوال، تبدأ …"، "من جهته، …": an opening adverbial closed by a comma is no subject
        comma = next((x for x in range(k + 1, min(before, k + 6)) if words[x].norm in ("،", ",")), None)
        if comma is not None:
            k = comma + 1
    while k < before and (words[k].is_punct or words[k].norm in lx.FUNCTION_WORDS or words[k].norm in COMPLEMENTIZERS):
        k += 1
    if k >= before:
        return None
    if any(words[x].norm in ("كان", "كانت", "وكان", "وكانت") for x in range(start, k)):
        np = np_after(words, k, 4, entity_tokens)
        if np is not None and np[1] < before:
            return _subject_in(words, np, mentions)  # "وكان الرئيس الأمريكي رد على…"
    strong = next((v for v in range(k, before) if verb_like(words, v, entity_tokens)), None)
    if strong is not None and strong > k:
        pre = np_before(words, strong, 5)
        if pre is not None and pre[0] >= k and not _is_adjunct(words, pre) \
                and not any(verb_like(words, x, entity_tokens) for x in range(pre[0], pre[1] + 1)):
            return _subject_in(words, pre, mentions)  # "عمال السكك الحديدية يبدأون …"
    for v in range(k, before):
        if words[v].norm in TITLES:
            continue
        if is_stop(words[v]) and v > k:
            if words[v].norm in (".", "؟"):
                break
            continue
        opens_np = v + 1 < before and (words[v + 1].norm.startswith("ال") or v + 1 in entity_tokens
                                       or words[v + 1].norm in TITLES)
        if verb_like(words, v, entity_tokens) or (opens_np and v not in entity_tokens and not words[v].norm.startswith("ال")
                                                 and not words[v].is_punct and words[v].norm not in lx.FUNCTION_WORDS):
            pre = np_before(words, v, 5) if v > k else None
            if pre is not None and pre[0] >= k and (words[pre[0]].norm.startswith("ال") or pre[0] in entity_tokens
                                                    or words[pre[0]].norm in TITLES):
                return _subject_in(words, pre, mentions)
            if v > k and pre is None and not verb_like(words, v, entity_tokens):
                continue
            np = np_after(words, v + 1, 4, entity_tokens)
            if np is not None and np[1] < before:
                return _subject_in(words, np, mentions)
            break
    earlier = [m for m in mentions if start <= m.first and m.last < before and m.label != "MISC"]
    if earlier:
        return earlier[0].first, earlier[0].last
    np = np_after(words, k, 3, entity_tokens)
    return np if np is not None and np[1] < before else None


def speaker_of(words: list[Word], before: int, mentions: list[Mention] | None = None,
             entity_tokens: set[int] | None = None) -> Range | None:
    """Who is reported as saying the clause before `before` (قال X إن… / X قال إن…; "…، مضيفة أنها": the clause's subject)."""
    for k in range(before - 1, -1, -1):
        w = words[k]
        if lx.REPORTING_VERBS.match(w.norm) or (w.has_conjunction and lx.REPORTING_VERBS.match(w.bases[-1])):
            after = np_after(words, k + 1, 7, set(), stop_at_b=False)
            if after is not None and after[1] < before:
                return _speaker_end(words, after, mentions)
            if w.norm.startswith("م") and mentions is not None and k and words[k - 1].norm in ("،", ","):
                return _subject_between(words, 0, k, mentions, entity_tokens or set())  # a participle (حال) shares the main subject
            return np_before(words, k, 5)
    return None


def _speaker_end(words: list[Word], span: Range, mentions: list[Mention] | None) -> Range:
    """A speaker ends before how he speaks ("بوردستان | بالقول") and, right after his name, before whom he speaks to
    ("رجب طيب أردوغان | لنظيره الروسي"، "سالفيني | للصحافيين"); a لـ-word inside a title stays ("المدير الفني
    للمنتخب الروسي"، "مستشار الرئيس لشؤون الأمن القومي جون بولتون")."""
    names = {k for m in mentions or () for k in range(m.first, m.last + 1)}
    name_ends = {m.last for m in mentions or ()}
    for k in range(span[0] + 1, span[1] + 1):
        norm = words[k].norm
        addressee = k - 1 in name_ends and k not in names and norm.startswith("ل") and not norm.startswith("ال")
        if addressee or norm in ("بالقول", "قائلا", "قائله"):
            return span[0], k - 1
    return span


_SUBORDINATORS = frozenset("ان بعدما عندما حين حينما لما كما".split())


def _sufferer(words: list[Word], first: int, last: int, entity_tokens: set[int]) -> Range | None:
    """The subject of ستندم/ستدفع الثمن/ستواجه: before the verb (SVO) or right after it (VSO)."""
    before = np_before(words, first, 5)
    if before is not None and not is_pronoun(words, before) and not _is_adjunct(words, before) \
            and not verb_like(words, before[0], entity_tokens):
        return before
    after = np_after(words, last + 1, 5, entity_tokens)
    if after is not None and (after[0] in entity_tokens or words[after[0]].norm.startswith("ال")) \
            and not lx.CONSEQUENCES.match(words[after[0]].norm) and not lx.PRICE.match(words[after[0]].norm):
        return after
    return None


def _plain_verb(word: Word) -> bool:
    """Surely a verb: an imperfect يـ or تتـ form (تتفاوض; not تنـ: تنظيم), or و + a three-letter past (وكرر، وقال)."""
    base = word.bases[-1]
    if word.norm.startswith("ال") or word.is_punct:
        return False
    return (base.startswith("ي") and len(base) >= 4) or (base.startswith("تت") and len(base) >= 5) \
        or (word.has_conjunction and len(base) == 3)


def _feminine(word: Word) -> bool:
    """A verb's subject agreement: هددت، توعدت، تهدد (a country or an organisation) against هدد، يتوعد (a person)."""
    base = word.bases[-1]
    base = re.sub(r"(?:ه|ها|هم|هما|هن|نا|ني|كم|ك)$", "", base) if len(base) > 4 else base
    return base.startswith("ت") and not base.startswith(("توعد",)) or base.endswith("ت") or base.startswith("تتوعد")


def _nearest_party(words: list[Word], before: int, mentions: list[Mention], target: Range | None,
                   feminine: bool) -> Range | None:
    """The name a dropped subject points back to: the nearest one before, in the same sentence, that agrees
    with the verb (a person for هدد، a country or body for هددت)."""
    for m in reversed(mentions):
        agrees = m.label in ("LOC", "ORG") if feminine else m.label == "PER"
        if m.last < before and agrees and not _overlaps((m.first, m.last), target):
            if any(words[k].norm in (".", "؟", "!") for k in range(m.last, before)):
                return None
            return m.first, m.last
    return None


# --- targets found after the act: names, pronouns, shared objects, addressees ----------------


def _overlaps(a: Range, b: Range | None) -> bool:
    return b is not None and a[0] <= b[1] and b[0] <= a[1]


def _same_words(words: list[Word], a: Range, b: Range | None) -> bool:
    """Two mentions of one name ("الصين … على الصين"): the actor named again is not the target."""
    if b is None:
        return False
    norms = lambda r: {words[k].bases[-1].removeprefix("ال") for k in range(r[0], r[1] + 1)}  # noqa: E731
    return bool(norms(a) & norms(b) - {"الرئيس", "رئيس"})


def _named_in_action(words: list[Word], action: Range, actor: Range | None, mentions: list[Mention]) -> Range | None:
    """A name inside the threatened act whatever its preposition ("بوقف المساعدات التي تقدم إلى هندوراس"،
    "بتمزيق الاتفاق الموقع مع إيران"، "مشروع تديره شركة شل"): what the act harms belongs to it."""
    for m in mentions:
        if action[0] <= m.first <= action[1] and m.label in ("PER", "ORG", "LOC") \
                and not _overlaps((m.first, m.last), actor) and not _same_words(words, (m.first, m.last), actor):
            return m.first, m.last
    return None


_ANAPHORS = re.compile(r"^(?:علي|على|ضد|من|الي|الى|بحق|ل)(ه|ها|هم|هما)$")


def _anaphor_in_action(words: list[Word], first: int, action: Range, actor: Range | None,
                       mentions: list[Mention], entity_tokens: set[int]) -> Range | None:
    """"كما هدد الفيفا بوضع حظر عليها": a pronoun after على/ضد/من in the act points back to the
    nearest earlier party that is not the threatener (a name, else the object of على/ضد before)."""
    if not any(_ANAPHORS.match(words[k].norm) for k in range(action[0], action[1] + 1)):
        return None
    return _antecedent(words, first, actor, mentions, entity_tokens)


def _antecedent(words: list[Word], before: int, actor: Range | None, mentions: list[Mention],
                entity_tokens: set[int]) -> Range | None:
    for k in range(before - 1, -1, -1):
        if words[k].norm in (".", "؟", "!"):
            return None
        if words[k].norm in ("علي", "على", "ضد", "بحق", "تجاه"):
            np = np_after(words, k + 1, min(6, before - k - 1), entity_tokens) if before - k > 1 else None
            if np is not None and not _overlaps(np, actor) and not _same_words(words, np, actor):
                return _name_in(np, mentions) or _definite_cut(words, np, mentions)
        m = next((m for m in mentions if m.last == k and m.label != "MISC"), None)
        if m is not None and not _overlaps((m.first, m.last), actor) and not _same_words(words, (m.first, m.last), actor):
            return m.first, m.last
    return None


def _name_in(np: Range, mentions: list[Mention]) -> Range | None:
    inside = [m for m in mentions if np[0] <= m.first and m.last <= np[1] and m.label != "MISC"]
    return (np[0], inside[0].last) if inside and inside[0].first == np[0] else None


def _shared_object(words: list[Word], first: int, entity_tokens: set[int]) -> Range | None:
    """"تركيا تحذر واشنطن وتتوعد بالرد": coordinated threat verbs share their object."""
    k = first - 1
    while k >= 0 and first - k <= 8 and not (words[k].is_punct and words[k].norm not in QUOTES):
        base = words[k].bases[-1]
        if any(p.match(base) for p in (lx.THREATEN_VERB, lx.VOW, lx.WARN, lx.ULTIMATUM_VERB)) and not base.startswith("م"):
            np = _object_after(words, k, entity_tokens) if k + 1 < first else None
            return (np[0], min(np[1], first - 1)) if np is not None and np[0] < first else None
        k -= 1
    return None


_ADDRESSING = frozenset("ابلغ ابلغت يبلغ تبلغ اخبر اخبرت خاطب خاطبت نصح نصحت وجه وجهت موجها موجهه رساله".split())


# (not طالب or أمر alone: a student, a matter)
_DEMANDING = frozenset("اوصي اوصت طالبت يطالب تطالب دعا دعت يدعو تدعو حث حثت يحث تحث امرت".split())
# Where a backward search for the party a demand binds stops (a comma does not end the demand).
_SENTENCE_ENDS = frozenset((".", "؟", "!", ":"))
# Verbs whose demand binds the party after من ("طلبت من الشركات الأجنبية وقف التعامل").
_REQUESTING = frozenset("طلب طلبت يطلب تطلب".split())
# "من أجل"، "من خلال" …: من opening an adverbial, not the party asked
_NOT_A_PARTY_AFTER_MIN = frozenset("اجل خلال قبل بين جانب جهه جهته جانبه بعد دون".split())


def _requested_from(words: list[Word], k: int) -> bool:
    """A requesting verb stands within twelve words before word k (من) in the same sentence: "طلبت من …"."""
    for j in range(k - 1, max(-1, k - 13), -1):
        if words[j].norm in _SENTENCE_ENDS:
            return False
        if words[j].without_conjunction in _REQUESTING:
            return True
    return False


def _before_demand(words: list[Word], np: Range) -> Range:
    """The party asked ends before the demanded act: "الشركات الأوروبية | الانسحاب"، "حلفائها | وقف استيراد النفط"."""
    for k in range(np[0] + 1, np[1] + 1):
        if lx.DEMANDED_ACTS.match(words[k].norm.removeprefix("ال")):
            return np[0], k - 1
    return np


def _obliged(words: list[Word], first: int, actor: Range | None, mentions: list[Mention],
             entity_tokens: set[int]) -> Range | None:
    """Who an ultimatum's demand binds, before its وإلا: the object of a demanding verb ("أوصت الدول الأخرى بضرورة …")
    or the party after "عليهم/عليه" ("عليهم (المكسيك) وقف …"; a bare pronoun: the party named before it)."""
    for k in range(first - 1, max(-1, first - 24), -1):
        w = words[k]
        if w.norm in _SENTENCE_ENDS:
            break
        if w.without_conjunction in _DEMANDING and k + 1 < first:
            np = np_after(words, k + 1, 5, entity_tokens)
            if np is not None and np[1] < first and not _overlaps(np, actor):
                return _name_in(np, mentions) or np
        if w.bases[-1] == "من" and k + 1 < first and words[k + 1].norm not in _NOT_A_PARTY_AFTER_MIN \
                and _requested_from(words, k):
            np = np_after(words, k + 1, 5, entity_tokens)  # "طلبت … من الشركات الأجنبية وقف التعامل مع إيران وإلا"
            if np is not None and np[1] < first and not _overlaps(np, actor):
                return _name_in(np, mentions) or _before_demand(words, _definite_cut(words, np, mentions))
        if w.norm == "علي" and k not in entity_tokens and (k + 1) in entity_tokens:
            named = next((m for m in mentions if m.first == k + 1), None)  # "شدد على إيران أن تتفاوض وإلا"
            if named is not None and named.last + 1 < first and words[named.last + 1].norm in ("ان", "بان") \
                    and not _overlaps((named.first, named.last), actor):
                return named.first, named.last
        if w.norm in ("عليهم", "عليه", "عليها", "عليكم"):
            j = k + 1
            while j < first and (words[j].norm in QUOTES or words[j].norm == "("):
                j += 1
            np = np_after(words, j, 4, entity_tokens) if j > k + 1 else None
            bound = np if np is not None and np[1] < first else _antecedent(words, k, actor, mentions, entity_tokens)
            if bound is not None and not _overlaps(bound, actor):
                return bound  # ("بناء عليه"، "حصل عليه" find no one: the search goes on)
    return None


def _addressee(words: list[Word], first: int, actor: Range | None, mentions: list[Mention],
               entity_tokens: set[int]) -> Range | None:
    """A threat said to someone is aimed at them: "أبلغ ترامب …"، "ونصحه … وإلا"، "موجها تهديده إلى X"، "X لـY: …"."""
    for k in range(max(0, first - 12), min(len(words), first + 4)):
        w = words[k]
        base = w.bases[-1]
        stem = re.sub(r"(?:ه|ها|هم)$", "", base)
        if base in _ADDRESSING or stem in _ADDRESSING:
            if stem != base and k < first:
                return _antecedent(words, k, actor, mentions, entity_tokens)  # "نصحه": the one named before
            j = k + 1
            while j < len(words) and j - k <= 4 and words[j].norm not in ("الي", "الى") and base in ("وجه", "وجهت", "موجها", "موجهه", "رساله"):
                j += 1
            if j < len(words) and words[j].norm in ("الي", "الى"):
                j += 1
            np = np_after(words, j, 6, entity_tokens) if j < len(words) else None
            if np is not None and not _overlaps(np, actor) and np[0] != first:
                return _name_in(np, mentions) or np
    # headline "ترامب لروسيا: …": the لـ-name before a colon
    for k in range(0, min(len(words) - 1, first)):
        if words[k + 1].norm == ":" and words[k].norm.startswith("ل") and words[k].text[:1] == "ل" and len(words[k].norm) > 3:
            return k, k
    return None


_EVENT_HEADS = frozenset(
    "قرار هجوم اعتداء خطوه خطوات تصرفات استفزاز استفزازات طرد ادعاءات اتهامات تصريحات قصف عمليه انتهاكات تصعيد"
    " اجراءات اجراء عقوبات رسوم انسحاب تجارب اطلاق".split()
)
_SOME = frozenset("بعض معظم اغلب غالبيه جميع كل".split())
_QUANTITY_HEADS = frozenset("مجموعه قائمه سلسله عدد بعض كل عشرات مئات الاف آلاف ملايين جميع".split())
_DEMONSTRATIVES = frozenset("هؤلاء هذه هذا ذلك تلك اولئك".split())


def _resolve_target(words: list[Word], first: int, target: Range, actor: Range | None, mentions: list[Mention],
                    entity_tokens: set[int]) -> Range | None:
    """"على مجموعة واسعة من المنتجات الأميركية" -> the products; "بحق هؤلاء" -> whom هؤلاء points to."""
    head = words[target[0]].norm
    if head in lx.MULTIPLES:
        return None  # "وسنضربها سبعة أضعاف ذلك": how hard, not whom
    if lx.MEASURE_NOUNS.match(head):
        return None  # "سيتم إعادة فرض العقوبات التي تستهدف الشركات …": the measure is not whom it hits
    if target[0] == target[1] and (_PREPOSITION_PRONOUN.match(head) or head in ("لديه", "لديها", "لديهم")):
        return None  # "المحتجز لديها": a preposition and a pronoun name no one
    if head.removeprefix("ال") in _EVENT_HEADS:
        # "سترد على قرار ترامب"، "على طرد اليونان اثنين": a response is aimed at the event's author, not the event
        name = next((m for m in mentions if target[0] < m.first <= min(target[1] + 1, target[0] + 3) and m.label != "MISC"), None)
        return (name.first, name.last) if name is not None and not _overlaps((name.first, name.last), actor) else None
    if head in _QUANTITY_HEADS:
        k = target[1] + 1
        if k + 1 < len(words) and words[k].norm == "من":
            np = np_after(words, k + 1, 6, entity_tokens)
            if np is not None:
                return np
    if target[0] == target[1] and head in _DEMONSTRATIVES:
        if first + 1 < len(words) and words[first + 1].norm == "من":  # "حذروا من <X> … بحق هؤلاء"
            j = first + 2
            while j < len(words) and words[j].norm in QUOTES:
                j += 1
            np = np_after(words, j, 6, entity_tokens) if j < len(words) else None
            if np is not None:
                return np
        return _antecedent(words, first, actor, mentions, entity_tokens) or target
    return target


_RESPOND_VERBS = re.compile(r"^(?:رد|ردت|يرد|ترد|ردا|ردود|ردها|رده)$")


def _responder(words: list[Word], first: int) -> Range | None:
    """"خلفان يرد على تهديد كوهين": whoever answers a threat is the one it was aimed at."""
    if first < 2 or words[first - 1].norm not in ("علي", "على"):
        return None
    k = first - 2
    if not _RESPOND_VERBS.match(words[k].bases[-1]):
        return None
    np = np_before(words, k, 5)
    return np if np is not None and not is_pronoun(words, np) else None
