"""What the decision layer sees of one trigger candidate: sparse binary features with readable names.

Every feature is a string (present = 1). They describe the trigger (kind, form, whether the hand rules would
have emitted it and why not), its clause (negation, denial, question, speculation, quotes, condition), the
subject before it (absent, a named entity, a thing or abstraction), what follows it (a بـ-complement, a harm
noun, a preposition, an entity) and the roles the rules find (actor and target present, named or not), plus
the sentence's words as a bag of normalised, clitic-stripped keys. (Words in a ±3 window around the trigger, position-
marked and as a bag, were features until the tenth session: without them cross-validated F1 over three L2 settings rose
0.819 → 0.828, and 0.751 → 0.763 on the fresh draws; they let the model memorise its rows.)
"""

from __future__ import annotations

import re

from rasid.nlp.threats import lexicon as lx
from rasid.nlp.threats.kinds import OWN_ACTS, SPOKEN_THREATS, THREAT_VERBS
from rasid.nlp.threats.phrases import Mention, np_before
from rasid.nlp.threats.roles import TITLES, Roles
from rasid.nlp.threats.words import Word

# Topics that make a threat word a look-alike (sport, courts, health, markets, weather), searched in the sentence.
_TOPICS = (
    ("sport", lx.SPORT),
    ("court", re.compile(r"المحكمه|محكمه|القاضي|الادعاء|المدعي|القضائي|الاستئناف")),
    ("health", re.compile(r"صحه|الصحي|مرض|امراض|طبيب|الاطباء|دواء|علاج|فيروس|وباء|السرطان|التدخين|الغذاء|الاغذيه")),
    ("market", re.compile(r"اسعار|الاسواق|السوق|النفط|البورصه|الاسهم|المستثمرين|الاقتصاد|النمو|التضخم|العمله")),
    ("weather", re.compile(r"الطقس|اعصار|امطار|عاصفه|فيضان|زلزال|الحراره|الارصاد")),
    ("crime", re.compile(r"الشرطه|عصابه|عصابات|جريمه|مسلح|اغتصاب|سرقه|خطف")),
)
# Verbs of giving a threat up (receiving one: lx.RECEIVED).
_ABANDON = frozenset("تخلي تخلت يتخلي تتخلي تراجع تراجعت يتراجع سحب سحبت".split())
_CONDITIONAL = frozenset("اذا ان لو حال بحال".split())
_FUTURE = re.compile(r"^(?:[وف]?س[يتن]\w{3,}|سوف)$")
_QUOTE_CHARS = '"«»“”'
# Past verbs whose ت would read as an imperfect prefix.
_PAST_WITH_TA = frozenset("توعد توعدت توعدوا تعهد تعهدت تعهدوا".split())
_SHAPES = (("fut", re.compile(r"^س[يتن]")), ("part", re.compile(r"^م")), ("noun", re.compile(r"^(?:ال)?(?:ت\w+ي\w|انذار|مهله|وعيد)")),
           ("pres", re.compile(r"^[يتن]")))


def _key(word: Word) -> str:
    """A word as a normalised key without its conjunction or article (clitic-stripped base)."""
    base = word.bases[-1] if word.has_conjunction or len(word.bases) > 1 else word.norm
    return base.removeprefix("ال") if len(base) > 4 else base


def _shape(base: str) -> str:
    if base in _PAST_WITH_TA:  # ت-initial past verbs, not imperfects
        return "past"
    for name, pattern in _SHAPES:
        if pattern.match(base):
            return name
    return "past"


def past_verb(word: Word) -> bool:
    """The word, without its conjunction, has the shape of a past verb ("وتوعد"، "وهدد"; not "وستطرد"، "ويهدد")."""
    return _shape(word.without_conjunction) == "past"


def _entity_label(k: int, mentions: list[Mention]) -> str | None:
    return next((m.label for m in mentions if m.first <= k <= m.last), None)


def _word_range(words: list[Word], span: tuple[int, int] | None) -> tuple[int, int] | None:
    if span is None:
        return None
    idx = [k for k, w in enumerate(words) if w.start < span[1] and w.end > span[0]]
    return (idx[0], idx[-1]) if idx else None


def _span_label(words: list[Word], span: tuple[int, int] | None, mentions: list[Mention]) -> str:
    """'none', 'pron' (a bare pronoun), an entity label, or 'np' for a role span given as character offsets."""
    if span is None:
        return "none"
    idx = [k for k, w in enumerate(words) if w.start < span[1] and w.end > span[0]]
    if not idx:
        return "none"
    labels = [lab for k in idx if (lab := _entity_label(k, mentions)) is not None]
    if labels:
        return labels[0]
    if len(idx) == 1 and words[idx[0]].norm in ("بلاده", "بلادها", "انه", "انها", "انهم", "هو", "هي", "هم", "نحن"):
        return "pron"
    return "np"


# Subjects that name nobody in particular ("هدده أحدهم"، "مسلحون مجهولون"): a threat without an identifiable actor.
# A response or reprisal named in the sentence: an announced act against someone is then a threat of retaliation.
_RETALIATION_CONTEXT = re.compile(r"ردا علي|رد علي|بالمثل|مماثله|انتقامي|المعامله بالمثل")
_INDEFINITE = frozenset("احد احدهم مجهول مجهولون مجهولين مسلحون مسلحين اشخاص شخص بعضهم".split())
_OWN_SIDE = frozenset("انها انه انهم اننا بانها بانه بانهم باننا".split())
_OWN_COUNTRY = frozenset("بلاده بلادها بلادهم بلادنا".split())
# What a warning's complement may do rather than will ("قد تصعد"، "يمكن أن تغلق"، "ربما تستهدف").
_MODALS = frozenset("قد يمكن يمكنه يمكنها يمكنهم تستطيع يستطيع ربما مستعده مستعد مستعدون".split())
# Future acts that hurt someone (expel, punish, destroy, impose, strike …) rather than withdraw or merely act.
_PUNITIVE = re.compile(f"{lx.PUNITIVE_STEMS}|فرض|{lx.ATTACK_STEMS}")
_SUFFERING = re.compile(r"^(?:[وف]?س[يتن])(?:واجه|دفع|ندم|تضرر|خسر|عاني|تحمل)")


def agency(words: list[Word], span: tuple[int, int] | None, mentions: list[Mention]) -> str:
    """Whether a noun phrase (word range) names an agent: an entity, a title or body, a pronoun, nobody, or a thing."""
    if span is None:
        return "none"
    labels = {lab for k in range(span[0], span[1] + 1) if (lab := _entity_label(k, mentions))}
    if labels & {"PER", "ORG", "LOC"}:
        return "entity"
    head = words[span[0]]
    bases = set(head.bases) | {b.removeprefix("ال") for b in head.bases}
    if bases & TITLES or bases & lx.AGENT_BODIES:
        return "title"
    if bases & _INDEFINITE:
        return "indefinite"
    if head.norm in ("بلاده", "بلادها", "هو", "هي", "هم", "نحن"):
        return "pron"
    return "thing"




def _object_shape(words: list[Word], k: int, mentions: list[Mention], entity_tokens: set[int]) -> str:
    """What follows a threat verb: a name, a construct (حياة الأطفال، أمن المنطقة: a thing endangered), …"""
    if k >= len(words):
        return "end"
    w = words[k]
    if k in entity_tokens:
        return f"entity_{_entity_label(k, mentions)}"
    if w.is_punct:
        return "punct"
    if w.norm.startswith("ب"):
        return "b"
    if w.norm in lx.FUNCTION_WORDS:
        return "function"
    if not w.norm.startswith("ال") and k + 1 < len(words) and (words[k + 1].norm.startswith("ال") or (k + 1) in entity_tokens):
        return "construct_title" if w.norm in TITLES else "construct"
    if w.norm.startswith("ال"):
        return "title" if w.norm in TITLES or w.norm in lx.AGENT_BODIES else "definite"
    return "other"


def _warning_complement(words: list[Word], last: int, mentions: list[Mention], entity_tokens: set[int]) -> str | None:
    """"حذر من أن <who> سـ<verb>": who will act (an entity, the warner's side by pronoun, a thing) and how."""
    for k in range(last + 1, min(len(words), last + 4)):
        norm = words[k].norm
        if norm in ("ان", "بان", "انه", "انها", "انهم", "بانه", "بانها"):
            who = "own" if norm in _OWN_SIDE else agency(words, (k + 1, k + 1), mentions) if k + 1 < len(words) else "none"
            if k + 1 < len(words) and words[k + 1].norm in _OWN_COUNTRY:
                who = "own"  # "من أن بلاده ستستأنف"
            verb = next((x for x in words[k + 1 : k + 6] if _FUTURE.match(x.norm) or x.norm.startswith("ست")), None)
            how = "none" if verb is None else "suffer" if _SUFFERING.match(verb.norm) else "act"
            if verb is None and any(x.norm in _MODALS for x in words[k + 1 : k + 5]):
                how = "may"  # "من أنها قد تصعد"، "بأن إيران يمكن أن تغلق"، "من أن العراق يمكنه إثارة متاعب"
            return f"{who}|{how}"
        if norm in ("،", ",", ".", ":"):
            return None
    return None


def first_person(words: list[Word], first: int, last: int, kind: str) -> bool:
    """The trigger is a first-person verb ("سنضرب"، "لن نسمح"، "سأرد"، "نحذر")."""
    verb = words[last] if kind == "refuse" else words[first]
    base = verb.without_conjunction
    return len(base) > 3 and (base.startswith(("سن", "سا")) or (base.startswith("ن") and kind in _VERB_KINDS))


_VERB_KINDS = THREAT_VERBS | OWN_ACTS


def candidate_features(words: list[Word], first: int, last: int, kind: str, strict: bool, rule_reason: str | None,
                       mentions: list[Mention], entity_tokens: set[int], action: tuple[int, int] | None,
                       condition: tuple[int, int] | None, roles: Roles) -> list[str]:
    w = words[first]
    base = w.without_conjunction
    verdict = ("" if strict else "loose:") + (rule_reason or "accept")
    f = [f"kind={kind}", f"rule={verdict}", f"kind_rule={kind}|{verdict}", f"trig={_key(w)}", f"shape={_shape(base)}",
         f"kind_shape={kind}|{_shape(base)}"]
    if w.has_conjunction:
        f.append("trig_conj")
    if last > first:
        f.append("multiword")
    content = [k for k, x in enumerate(words) if not x.is_punct]
    if content and first == content[0]:
        f.append("sentence_initial")
    if not words or words[-1].norm not in (".", "؟", "?", "!", '"', "»", "”"):
        f.append("no_final_stop")  # headlines and cut-off leads
    if len(content) <= 12:
        f.append("short_sentence")
    before = words[max(0, first - 6) : first]
    if any(x.norm in lx.NEGATORS for x in words[max(0, first - 3) : first]):
        f.append("negator_before")
    if any(lx.DENIAL.match(x.norm) for x in before):
        f.append("denial_before")
    if words and words[-1].norm in ("؟", "?"):
        f.append("question_mark")
    if any(b in lx.QUESTION_WORDS for x in words[:2] for b in x.bases):
        f.append("question_word_opening")
    # "قد" before an imperfect or a future act is "may"; before a past verb it is "had" ("قد حذر، الأربعاء، روسيا"،
    # "قد توعد"، "قد تعهدت": past verbs that open with ت)
    may = first and words[first - 1].norm == "قد" and _shape(base) != "past"
    if any(lx.SPECULATION.match(x.norm) for x in words[:first]) or may:
        f.append("speculation_before")
    quotes_before = sum(ch in _QUOTE_CHARS for x in words[:first] for ch in x.text)
    if quotes_before % 2 == 1:
        f.append("inside_quote")
    if any(x.norm == ":" for x in words[max(0, first - 4) : first]):
        f.append("colon_before")
    if last + 1 < len(words) and words[last + 1].norm == ":":
        f.append("colon_after")
    # subject before the trigger
    subject = np_before(words, first, 4)
    if subject is None:
        f.append("subj=none")
    else:
        labels = {lab for k in range(subject[0], subject[1] + 1) if (lab := _entity_label(k, mentions))}
        f.extend(f"subj_ent={lab}" for lab in sorted(labels)) if labels else f.append("subj_ent=none")
        subj_bases = {b for k in range(subject[0], subject[1] + 1) for b in words[k].bases}
        if subj_bases & lx.NON_AGENT_SUBJECTS:
            f.append("subj_nonagent")
        head = words[subject[0]]
        f.append(f"subj_head={_key(head)}")
        if subject[0] == subject[1] and head.norm.startswith("ال") and head.norm.endswith("ه") and subject[0] not in entity_tokens:
            f.append("subj_definite_feminine_noun")
    if first and words[first - 1].norm in lx.RELATIVES | {"والتي", "والذي"}:
        f.append("after_relative")
    # what follows
    nxt = words[last + 1] if last + 1 < len(words) else None
    if nxt is not None:
        if (last + 1) in entity_tokens:
            f.append(f"next_ent={_entity_label(last + 1, mentions)}")
        if nxt.norm.startswith("ب") and nxt.norm not in lx.NOT_ACTION_B:
            f.append("next_b")
        if nxt.norm in ("من", "علي", "على", "ضد", "ان", "بان", "انه", "انها", "لـ", "في", "الى", "الي"):
            f.append(f"next_prep={nxt.norm}")
        if nxt.norm.startswith("ل") and not nxt.norm.startswith("ال"):
            f.append("next_lam")
        if any(b in lx.ENDANGERED or b.removeprefix("ال") in lx.ENDANGERED for b in nxt.bases):
            f.append("next_endangered")
    tail = " ".join(x.norm for x in words[last + 1 : last + 12])
    if lx.HARM.search(tail):
        f.append("harm_after")
    if lx.WARNING_HARM.search(" ".join(x.norm for x in words[last + 1 : last + 40])):
        f.append("warning_harm_after")
    if lx.HAPPENING.search(tail):
        f.append("happening_after")
    context = " ".join(x.norm for x in words[max(0, first - 8) : last + 12])
    if lx.ADVISORY_SPEAKERS.search(context):
        f.append("advisory_speaker")
    if lx.ADVISORY_TOPICS.search(context):
        f.append("advisory_topic")
    f.append("action" if action is not None else "no_action")
    if action is not None and lx.HARM.search(" ".join(x.norm for x in words[action[0] : action[1] + 1])):
        f.append("action_harm")
    if condition is not None:
        f.append("condition")
        f.append(f"kind_condition={kind}")
    sentence = " ".join(x.norm for x in words)
    if _RETALIATION_CONTEXT.search(sentence):
        f.append(f"kind_retaliation={kind}")  # "ستطرد دبلوماسيين ردا على…": a response announced is a threat of one
    # roles the rules find
    actor, target = _span_label(words, roles.actor, mentions), _span_label(words, roles.target, mentions)
    f.extend((f"actor={actor}", f"target={target}", f"actor_target={actor != 'none'}|{target != 'none'}"))
    if roles.reported_by is not None:
        f.append("reported")
    if not mentions:
        f.append("no_entities")
    f.extend(sorted({f"s={_key(x)}" for x in words if not x.is_punct and len(x.norm) > 2}))
    f.extend(f"topic={name}" for name, pattern in _TOPICS if pattern.search(sentence))
    near_before = words[max(0, first - 5) : first]
    if any(x.norm in ("تم", "يتم", "وتم") for x in words[max(0, first - 2) : first]):
        f.append("passive_tam")
    if any(b in lx.RECEIVED for x in near_before for b in x.bases):
        f.append("received_before")
    if any(b in _ABANDON for x in words[max(0, first - 3) : first] for b in x.bases):
        f.append("abandon_before")
    if any(x.norm in _CONDITIONAL for x in words[max(0, first - 3) : first]):
        f.append("inside_condition")
    if any(_FUTURE.match(x.norm) for x in words[last + 1 : last + 8]):
        f.append("future_after")
    for k in range(last + 1, min(len(words), last + 5)):
        if words[k].norm in ("ان", "انه", "انها", "بان", "بانه", "بانها", "انهم"):
            ahead = words[k + 1 : k + 4]
            if any(_FUTURE.match(x.norm) or x.norm.startswith("ست") for x in ahead):
                own = words[k].norm.endswith(("ه", "ها", "هم")) or any(x.norm.endswith(("ها", "هم")) for x in ahead[:1])
                f.append("complement_future_own" if own else "complement_future")
            break
    # agency: who threatens (the subject before, the rules' actor), what is threatened (the word after)
    f.append(f"subj_agency={agency(words, subject, mentions)}")
    f.append(f"kind_subj_agency={kind}|{agency(words, subject, mentions)}")
    actor_range = _word_range(words, roles.actor)
    f.append(f"actor_agency={agency(words, actor_range, mentions)}")
    obj = _object_shape(words, last + 1, mentions, entity_tokens)
    f.append(f"obj={obj}")
    f.append(f"kind_obj={kind}|{obj}")
    if kind == "warn":
        comp = _warning_complement(words, last + (1 if last + 1 < len(words) and words[last + 1].norm == "من" else 0),
                                   mentions, entity_tokens)
        if comp is not None:
            f.append(f"warn_comp={comp}")
    if kind in OWN_ACTS or kind == "measure":
        f.append(f"person={'first' if first_person(words, first, last, kind) else 'other'}")
    if kind in ("commit", "measure", "attack"):
        act = "punitive" if any(_PUNITIVE.search(x.without_conjunction) for x in words[first : last + 1]) else "other"
        f.append(f"act={act}")
        f.append(f"act_target={act}|{target}")
    if kind in SPOKEN_THREATS and base.endswith(("ه", "ها", "هم", "نا", "ني")) and not base.endswith("ته"):
        f.append("object_pronoun")
    return f
