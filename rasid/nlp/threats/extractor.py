"""Find threat statements in a field: trigger lexicon, non-threat filters, roles, coding.

One threat per sentence at most: the strongest trigger that survives the
filters. Roles are syntax-light: Arabic news writes "هدد <actor> <target> بـ<action>"
(verb first) or "<actor> يهدد <target> بـ<action>" (headlines, subject first); a
conditional clause starts with إذا/إن لم/ما لم/في حال/وإلا. Entities, when
given, decide where the actor ends and the target begins. A learned decision
layer (decision.py) says which trigger candidates are threats, and a learned
role selector (role_choice.py) picks actor and target among the rules' answers
and the sentence's other candidate spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from rasid.nlp.bounded_memo import BoundedMemo
from rasid.nlp.normalizer import normalize
from rasid.nlp.threats import lexicon as lx
from rasid.nlp.threats.coding import MILITANT, code_threat
from rasid.nlp.threats.cues import cue_positions
from rasid.nlp.threats.decision import DecisionModel, default_model
from rasid.nlp.threats.features import candidate_features
from rasid.nlp.threats.kinds import (
    ACT_IN_B_COMPLEMENT,
    CONSEQUENCES,
    FUTURE_ACTS,
    OWN_ACTS,
    SPOKEN_THREATS,
    ULTIMATUMS,
    Kind,
)
from rasid.nlp.threats.phrases import (
    QUOTES,
    SUBJECT_HEADS,
    Mention,
    indirect_question_before,
    is_b_complement,
    np_before,
    verb_like,
)
from rasid.nlp.threats.role_choice import (
    RoleModel,
    Situation,
    choose_roles,
    default_role_model,
)
from rasid.nlp.threats.role_names import with_role_names
from rasid.nlp.threats.roles import find_roles
from rasid.nlp.threats.words import Word, words_of
from rasid.nlp.tokenizer import TokenizedSentence, split_sentences
from rasid.records import Entity, ThreatStatement
from rasid.records.threat import Span

# (منح مهلة is a grace period granted, not a deadline under pressure: "منحت النازيين الجدد مهلة ساعتين للتظاهر")
_ULTIMATUM_GIVERS = frozenset("وجه وجهت يوجه توجه اصدر اصدرت ووجه ووجهت وضع وضعت ووضع ووضعت حدد حددت".split())
_RELATIVES = frozenset("الذي التي الذين اللذين اللتين اللواتي".split())
_ABSTRACT_FRAMES = frozenset("علي على الرد مواجهه لمواجهه مكافحه ضد يشكل تشكل يمثل تمثل شكل شكلت".split())
# Acts named right after "تهديد <actor>" without بـ ("تهديد بريطانيا مقاطعة كأس العالم").
_BARE_ACTS = frozenset("مقاطعه ضرب فرض قطع اغلاق الانسحاب طرد وقف".split())
_SUBJECT_TITLES = frozenset("الرئيس رئيس وزير زعيم قائد المتحدث الناطق الملك الامير".split())
_CLAUSE_STOPS = frozenset("، , . ؛ ; : ؟ ? !".split())


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: Kind
    first: int
    last: int
    rank: int  # lower is stronger
    strict: bool = True  # False: a permissive hit the hand rules would not emit (a candidate for the decision layer)


def _match(word: Word, pattern) -> bool:  # type: ignore[no-untyped-def]
    return any(pattern.match(base) for base in word.bases)


def _next_word(words: list[Word], i: int) -> Word | None:
    return words[i + 1] if i + 1 < len(words) else None


def _b_complement(words: list[Word], i: int, ahead: int, entity_tokens: set[int]) -> int | None:
    j = i + 1
    while j < min(len(words), i + 1 + ahead):
        if words[j].norm in (".", "؟", "?", "!"):
            return None
        if words[j].norm in _RELATIVES:
            # "لوحت موسكو التي صوتت ضد القرار، بالانسحاب": a relative clause closed by a comma is skipped
            close = next((k for k in range(j + 1, min(len(words), j + 10)) if words[k].norm in ("،", ",")), None)
            if close is None or close + 1 >= len(words) or not is_b_complement(words, close + 1, entity_tokens):
                return None
            return close + 1
        if is_b_complement(words, j, entity_tokens):
            return j
        j += 1
    return None


# أنذر/ينذر: forewarns (a candidate only: "ينذر بحدوث اضطرابات" portends far more often than it threatens).
_FOREWARN = re.compile(rf"^(?:انذر(?:ت|وا)?{lx.ENC}|[يت]نذر(?:ون)?{lx.ENC})$")
# One pattern for every single-word trigger: most words match none and skip the per-kind tests below.
_ANY_TRIGGER = re.compile("|".join(f"(?:{p.pattern})" for p in (
    lx.VOW, lx.THREATEN_VERB, lx.BRANDISH, lx.ULTIMATUM_VERB, lx.ULTIMATUM_NOUN, lx.RESPOND_FUTURE, lx.RESPOND_PRESENT,
    lx.PAY, lx.REGRET, lx.FACE, lx.CONTINUE, lx.ATTACK_FUTURE, lx.OR_ELSE, lx.WARN, lx.THREATEN_NOUN, lx.THREATEN_PARTICIPLE, _FOREWARN,
    lx.PLEDGE)))


def _bases_match(memo: BoundedMemo[str, bool], pattern: re.Pattern[str], w: Word) -> bool:
    """Whether any form of the word matches `pattern`: worked out once per distinct token text."""
    found = memo.get(w.text)
    if found is None:
        found = memo.remember(w.text, any(pattern.match(b) for b in w.bases))
    return found


_trigger_words: BoundedMemo[str, bool] = BoundedMemo(65536)


def _pledged_harm(words: list[Word], i: int) -> bool:
    """The act pledged after تعهد is harmful: its بـ-complement (within eight words) and the three words after it ("تعهد بإعادة تفعيل
    العقوبات"), else the next twelve words of the clause ("تعهد بأن تفرض واشنطن أعلى مستوى من العقوبات"). Not a harm
    word further on: "تعهد … بالعثور على رفات أسرى الحرب" pledges to find remains."""
    act = next((k for k in range(i + 1, min(len(words), i + 9))
                if words[k].norm.startswith("ب") and not words[k].norm.startswith("بان")), None)
    end = min(len(words), act + 4 if act is not None else i + 13)
    for k in range(act if act is not None else i + 1, end):
        if words[k].norm in _CLAUSE_STOPS:
            return False
        if any(lx.PLEDGED_HARM.match(b.removeprefix("ال")) for b in words[k].bases) \
                and words[k - 1].bases[-1] not in ("انهاء", "وقف", "تجنب"):  # "بإنهاء الحرب" ends a harm
            return True
    return False


def find_triggers(words: list[Word], entity_tokens: set[int], permissive: bool = False) -> list[Trigger]:
    """Trigger words of a sentence, strongest first. `permissive` also returns the look-alikes the hand rules skip
    (a deadline without a giver, "سترد" without a manner, "ستواصل" without an attack noun, …) with strict=False."""
    found: list[Trigger] = []
    loose = (lambda kind, a, b, rank: found.append(Trigger(kind, a, b, rank, False))) if permissive else (lambda *_: None)
    for i, w in enumerate(words):
        if w.is_punct or not _bases_match(_trigger_words, _ANY_TRIGGER, w):
            continue
        nxt = _next_word(words, i)
        nxt_norm = nxt.norm if nxt else ""
        if _match(w, lx.VOW):
            feast = w.norm == "وعيد" and (nxt_norm in lx.FEASTS or any(x.norm in ("عيد", "العيد") for x in words[:i]))
            if not feast:  # "عيد الفطر وعيد الأضحى"، "عيد الإله مين، وعيد زيارة الإله آمون": and the feast of
                found.append(Trigger("vow", i, i, 0))
        elif _match(w, lx.THREATEN_VERB):
            found.append(Trigger("threaten", i, i, 0))
        elif _match(w, lx.THREATEN_PARTICIPLE) and i and words[i - 1].norm in ("،", ",") \
                and _b_complement(words, i, 3, entity_tokens) is not None:
            found.append(Trigger("threaten", i, i, 0))  # "…، مهددة بفرض مزيد من العقوبات": an active participle (حال)
        elif _match(w, lx.THREATEN_PARTICIPLE):
            loose("threaten", i, i, 0)
        elif _match(w, lx.BRANDISH):
            found.append(Trigger("brandish", i, i, 1))
        elif _match(w, lx.ULTIMATUM_VERB):
            found.append(Trigger("ultimatum", i, i, 1))
        elif _match(w, lx.ULTIMATUM_NOUN):
            givers = {x.norm for x in words[max(0, i - 4) : i]}
            if givers & _ULTIMATUM_GIVERS or nxt_norm in ("نهائيا", "نهائي", "اخيرا", "اخير"):
                found.append(Trigger("ultimatum", i, i, 1))
            else:
                loose("ultimatum", i, i, 1)
        elif _match(w, lx.RESPOND_FUTURE):
            conditional = nxt_norm in ("اذا", "ان", "حال", "بحال") or (nxt_norm == "في" and i + 2 < len(words) and words[i + 2].norm in ("حال", "حاله"))
            named = next((m for m in range(i + 1, min(len(words), i + 5)) if m not in entity_tokens), None)
            subject_then_how = (i + 1) in entity_tokens and named is not None and named > i + 1 \
                and lx.RESPONSE_NEXT.match(words[named].norm) is not None  # "فسترد الصين بإجراءات…": VSO
            if nxt is None or nxt.is_punct or lx.RESPONSE_NEXT.match(nxt_norm) or conditional or subject_then_how:
                found.append(Trigger("respond", i, i, 2))
            else:
                loose("respond", i, i, 2)
        elif _match(w, lx.RESPOND_PRESENT) and nxt_norm in ("بكل", "بقوه", "بحزم", "بالمثل", "بحسم"):
            found.append(Trigger("respond", i, i, 2))
        elif _match(w, lx.PAY):
            for j in range(i + 1, min(len(words), i + 4)):
                if lx.PRICE.match(words[j].norm):
                    after = words[j + 1].norm if j + 1 < len(words) else ""
                    if words[j].norm in ("الثمن",) or after.startswith(("باهظ", "غالي", "ذلك")) or after in ("باهظا", "غاليا"):
                        found.append(Trigger("pay", i, j, 2))
                    else:
                        loose("pay", i, j, 2)
                    break
        elif _match(w, lx.REGRET):
            found.append(Trigger("regret", i, i, 2))
        elif _match(w, lx.FACE) and w.norm.startswith(("س", "وس")) or (w.norm in ("تواجه", "يواجه", "يواجهون") and i and words[i - 1].norm == "سوف"):
            if any(lx.CONSEQUENCES.match(words[j].norm) for j in range(i + 1, min(len(words), i + 4))):
                found.append(Trigger("face", i, i, 2))
            else:
                loose("face", i, i, 2)
        elif _match(w, lx.CONTINUE) and nxt is not None and lx.ATTACK_NOUNS.match(nxt.norm):
            found.append(Trigger("continue", i, i + 1, 2))
        elif _match(w, lx.CONTINUE) and w.bases[-1].startswith("س") and _harm_in_sentence(words) \
                and not _relief_next(words, i):
            # "ستواصل الضغط …": a future "continue" without an attack noun, in a sentence that names a harm or a side
            # opposed ("سنواصل السعي إلى اتفاق للتجارة الحرة" names none)
            loose("continue", i, i, 2)
        elif _match(w, lx.ATTACK_FUTURE):
            if "ستهدف" in w.without_conjunction and any(lx.FIGURES.match(x.norm) for x in words[i + 1 : i + 6]):
                continue  # "فستستهدفه مصر بنحو 2% من الناتج المحلي": a goal set, no one attacked
            if "ستخدم" in w.without_conjunction and not _uses_force(words, i):
                loose("attack", i, i, 3)  # "ستستخدم شاشات داخلية": using is an attack only with force or means
            else:
                found.append(Trigger("attack", i, i, 3))
        elif _match(w, lx.OR_ELSE):
            ahead = words[i + 1 : i + 5]
            counterfactual = any(a.norm in ("كنا", "لكنا", "لكان", "كان") for a in ahead)  # "وإلا فقد كنا سنفقد…"
            if not counterfactual and any(a.norm.startswith(("س", "فس", "فان")) or a.norm in ("ستواجه", "فانه", "فان") for a in ahead):
                found.append(Trigger("or_else", i, i, 2))
            else:
                loose("or_else", i, i, 2)
        elif _match(w, _FOREWARN):
            loose("warn", i, i, 1)  # "أنذر الرئيس إيران بأنه ستكون هناك عواقب" (and "ينذر بحدوث…", portends: the model decides)
        elif _match(w, lx.WARN):
            if not w.without_conjunction.startswith("الحذر"):  # "الاحتراز والحذر": caution
                found.append(Trigger("warn", i, i, 1))
        elif _match(w, lx.THREATEN_NOUN):
            found.append(Trigger("noun", i, i, 4))
        elif _match(w, lx.PLEDGE) and _pledged_harm(words, i):
            loose("vow", i, i, 0)
    found.extend(_idioms(words))
    if permissive:
        measures = _measures(words)
        found.extend(measures)
        found.extend(_commitments(words, {t.first for t in measures}))
    return sorted(found, key=lambda t: (t.rank, t.first))


def _harm_in_sentence(words: list[Word]) -> bool:
    return any(w.norm in ("ضد", "وضد") for w in words) or lx.HARM.search(" ".join(w.norm for w in words)) is not None


def _relief_next(words: list[Word], i: int) -> bool:
    """Relief from a measure follows word i: "ستواصل خفض الرسوم على الواردات" (but "ستواصل خفض حيازتها من الأوراق
    المالية الأمريكية، ردا على العقوبات" cuts holdings, a reprisal)."""
    k = i + 1
    while k < len(words) and words[k].norm in QUOTES:
        k += 1  # 'ستواصل "خفض الرسوم …"'
    return k + 1 < len(words) and words[k].norm in lx.RELIEF and any(
        lx.MEASURE_NOUNS.match(b) for x in words[k + 1 : k + 3] for b in x.bases)


def _uses_force(words: list[Word], i: int) -> bool:
    """What "سيستخدم" (word i) uses, within three words, is force, arms or all means."""
    ahead = words[i + 1 : i + 4]
    return any(lx.FORCE_USED.match(x.norm) for x in ahead) or any(
        x.norm in lx.ALL_OF and k + 1 < len(ahead) and lx.MEANS.match(ahead[k + 1].norm) for k, x in enumerate(ahead))


# "سيتخذ كل الإجراءات اللازمة"، "النظر في فرض عقوبات": measures announced or weighed (candidates only).
_MEASURE_VERBS = re.compile(r"^(?:س[يتن](?:تخذ|فرض|لجا)(?:ون)?|(?:ال)?نظر|يدرس|تدرس|ندرس|دراسه)$")


_measure_verbs: BoundedMemo[str, bool] = BoundedMemo(65536)
# "سيتم توسيع العقوبات لتشمل …"، "سيتم إعادة فرض العقوبات": a measure announced in the passive
_PASSIVE_MEASURES = frozenset("فرض توسيع تشديد اتخاذ".split())


def _measures(words: list[Word]) -> list[Trigger]:
    out: list[Trigger] = []
    for i, w in enumerate(words):
        passive = _passive_measure(words, i)
        if passive or _bases_match(_measure_verbs, _MEASURE_VERBS, w):
            # the measure named within five words (after the passive's verbal noun: "سيتم فرض | حظر التجول" is none)
            start = i + 1 + passive
            named = next((k for k in range(start, min(len(words), start + 5))
                          if any(lx.MEASURE_NOUNS.match(b) for b in words[k].bases)), None)
            if named is not None and not any(x.norm in lx.RELIEF for x in words[start:named]):
                # (relief before the measure is an offer: "تدرس منح إعفاء من العقوبات")
                out.append(Trigger("measure", i, i + passive, 3, False))
    return out


def _passive_measure(words: list[Word], i: int) -> int:
    """How many words after "سيتم" (word i) name the measure's act: 1 ("سيتم توسيع"), 2 ("سيتم إعادة فرض"), else 0."""
    if words[i].without_conjunction != "سيتم" or i + 1 >= len(words):
        return 0
    if words[i + 1].norm in _PASSIVE_MEASURES:
        return 1
    return 2 if words[i + 1].norm == "اعاده" and i + 2 < len(words) and words[i + 2].norm in _PASSIVE_MEASURES else 0


def _commitments(words: list[Word], taken: set[int]) -> list[Trigger]:
    """Future punitive acts and refusals with no threat verb (candidates only): "ستطرد دبلوماسيين"، "سوف ترد"،
    "سنلاحقهم"، "لن تسمح لإيران"، "لن تتردد في…". Most such futures are announcements or forecasts; the model decides."""
    out: list[Trigger] = []
    for i, w in enumerate(words):
        if i in taken or w.is_punct:
            continue
        if _bases_match(_commit_verbs, lx.COMMIT_FUTURE, w):
            out.append(Trigger("commit", i, i, 3, False))
        elif i and "سوف" in words[i - 1].bases and _bases_match(_commit_present, lx.COMMIT_PRESENT, w):
            out.append(Trigger("commit", i, i, 3, False))
        elif w.norm in _LAN and i + 1 < len(words) and lx.REFUSE.match(words[i + 1].norm):
            out.append(Trigger("refuse", i, i + 1, 3, False))
        elif _bases_match(_ready_words, lx.READY, w) and i + 1 < len(words) and words[i + 1].norm != "للرد" \
                and words[i + 1].norm not in lx.RELIEF and any(lx.READY_ACTS.search(x.norm) for x in words[i + 1 : i + 4]):
            out.append(Trigger("commit", i, i, 3, False))
    return out


_commit_verbs: BoundedMemo[str, bool] = BoundedMemo(65536)
_commit_present: BoundedMemo[str, bool] = BoundedMemo(65536)
_ready_words: BoundedMemo[str, bool] = BoundedMemo(65536)
_RETALIATION_MEASURES = frozenset("اجراءات رسوم رسوما خطوات تدابير عقوبات رد ردا".split())
_LAN = frozenset(("لن", "ولن", "فلن"))
_PASSING_THINGS = frozenset("الامر ذلك هذا هذه الجريمه الاعتداء العدوان".split())
_INTENT = frozenset("سوف قدما يعتزم تعتزم نعتزم ينوي تنوي ننوي مستعده مستعد".split())


def _idioms(words: list[Word]) -> list[Trigger]:
    """Fixed threat phrases: لن تقف مكتوفة الأيدي، لن تمر دون رد، مستعد للرد، سيدفع ... للرد."""
    out: list[Trigger] = []
    norms = [w.norm for w in words]
    for i in range(len(words) - 2):
        if norms[i] in _LAN and norms[i + 1] in ("تقف", "يقف", "نقف") and norms[i + 2].startswith("مكتوف"):
            out.append(Trigger("respond", i, i + 2, 1))
        if norms[i] in _LAN and norms[i + 1] in ("تمر", "يمر"):
            # "لن تمر دون رد"، "لن يمر الأمر دون حساب"
            gap = 1 if i + 3 < len(words) and norms[i + 2] in _PASSING_THINGS else 0
            if norms[i + 2 + gap] in ("دون", "بدون", "من"):
                out.append(Trigger("respond", i, i + 2 + gap, 1))
    for i, n in enumerate(norms[1:], start=1):
        # "مضي بلاده قدما في فرض إجراءات انتقامية"، "ستفرض رسوما انتقامية": retaliation announced, not carried out
        if n.startswith("انتقامي") and norms[i - 1].removeprefix("ال") in _RETALIATION_MEASURES:
            intent = [x for x in norms[max(0, i - 6) : i - 1]]
            if any(x in _INTENT or (x.startswith(("س", "وس")) and len(x) > 4 and x[1:2] in "يتن") for x in intent):
                out.append(Trigger("retaliate", i - 1, i, 2))
    for i, n in enumerate(norms):
        if n == "للرد" and i and (norms[i - 1].startswith(("مستعد", "جاهز")) or any(x.startswith(("سيدفع", "ستدفع")) for x in norms[max(0, i - 3) : i])):
            out.append(Trigger("respond", i, i, 2))
    return out


_JOINED_NEGATORS = frozenset(("ولم", "ولا", "ولن", "فلم", "فلا", "فلن"))


def _rejection(words: list[Word], trig: Trigger, entity_tokens: set[int], sentence_norm: str) -> str | None:
    """Why this trigger is not a threat statement (None when it is)."""
    i = trig.first
    prev = words[i - 1].norm if i else ""
    before = [w.norm for w in words[max(0, i - 6) : i]]
    if any(lx.DENIAL.match(b) for b in before):
        return "denial"
    relative_ma = prev == "ما" and i + 1 < len(words) and words[i + 1].norm in ("به", "بها")
    if (prev in lx.NEGATORS or prev in _JOINED_NEGATORS) and trig.kind != "respond" and not relative_ma:
        return "negated"  # "لم يهدد"، "ولم يتعهد ترامب برفع العقوبات"
    if prev in ("نكن", "يكن", "تكن", "اكن", "يكونوا", "يعد", "تعد") and i > 1 and words[i - 2].norm in lx.NEGATORS:
        return "negated"  # "لم نكن نهدد"، "لم يعد مهددا بالطرد"
    if _is_question(words, trig):
        return "question"
    if trig.kind in SPOKEN_THREATS and all(w.is_punct for w in words[trig.last + 1 :]) \
            and not _carries_object(words[trig.last]):
        return "bare"  # "وروسيا تتوعد"، "المركزي اليمني يحذر": a headline naming neither act nor target (but "يتوعدانه")
    if trig.kind in FUTURE_ACTS or trig.kind == "measure":
        feared = any(w.norm in lx.FEARS and k + 1 < i and words[k + 1].norm in ("من", "ان", "بان") for k, w in enumerate(words[:i]))
        if feared or any(lx.SPECULATION.match(w.norm) for w in words[:i]) or prev == "قد":
            return "speculation"
        if indirect_question_before(words, i):
            return "indirect_question"  # "سيعلن ما إذا كان سينسحب": a decision still open
    if (trig.kind in FUTURE_ACTS or trig.kind == "or_else") and lx.SPORT.search(sentence_norm):
        return "sport"  # "سيواجه ريال مدريد"، "سيواصل مورينيو الدفع باللاعبين"، "وإلا سيدفع المدرب ثمنها"
    if trig.kind == "threaten" and trig.last + 1 < len(words) and words[trig.last + 1].bases[-1] in _GOALS:
        return "sport"  # "وهدد مرمى الغرافة بقوة": a shot on goal
    if trig.kind in CONSEQUENCES and words[i].norm.startswith(("سن", "وسن", "فسن", "سا", "وسا")):
        return "own_price"  # "سندفع ثمنا باهظا": the speaker's own cost, no one threatened
    if trig.kind in OWN_ACTS and _in_because_clause(words, i):
        return "explanation"  # "… لأن الولايات المتحدة سترد فورا بفرض …": a reason given, not a threat made
    if trig.kind in SPOKEN_THREATS and _quote_without_harm(words, trig):
        return "quote_without_harm"
    if trig.kind == "attack" and not _has_condition(words, trig, entity_tokens):
        return "plain_future"
    if trig.kind == "threaten" and _match(words[i], lx.THREATEN_PARTICIPLE) and not (i and words[i - 1].norm in ("،", ",")):
        return "threatened_party"  # "مهددة بالإعدام"، "الأنواع المهددة": who is under threat, no one threatening
    if trig.kind == "threaten" and words[i].without_conjunction.startswith("مهدد") and _after_copula(words, i, entity_tokens):
        return "threatened_party"  # "ويظل بالاس مهددا بالهبوط"، "مما يجعله مهددا بعدم التمثيل": a state, not a threat
    if trig.kind == "or_else" and _own_consequence(words, i):
        return "own_price"  # "وإلا سنصبح وكالة توظيف للعالم أجمع"، "وإلا فإننا نجازف بتقويض مصداقية النظام الدولي"
    if trig.kind == "face" and any(lx.HARDSHIPS.match(w.norm) for w in words[i + 1 : i + 4]):
        return "hardship"  # "سيواجه تحديا يتمثل في إعادة إعمار العراق": a difficulty met, no one's harm
    if trig.kind == "respond" and i + 2 < len(words) and words[i + 1].norm == "علي" \
            and lx.REPLY_OBJECTS.match(words[i + 2].norm):
        return "reply"  # "سترد على الطلب الروسي في الوقت المناسب": an answer, not a retaliation
    if trig.kind == "threaten":
        return _endangers(words, trig, entity_tokens)
    if trig.kind == "noun" or (trig.kind == "brandish" and words[i].bases[-1].removeprefix("ال").startswith("تلويح")):
        if _any_before(words, i) or any(w.norm in ("سواء",) for w in words[max(0, i - 3) : i]):
            return "hypothetical"  # "رفضها لأي محاولة للنيل من السعودية وتهديدها، سواء عبر التلويح…": any threat
    if trig.kind == "noun":
        return _abstract_noun(words, trig, entity_tokens)
    if trig.kind == "brandish":
        if i + 1 < len(words) and words[i + 1].norm in ("به", "بها") \
                and not (i and (words[i - 1].norm == "ما" or any(b in _RELATIVES for b in words[i - 1].bases))):
            return "not_brandishing"  # "عاد بـ"حفار الكوسا" ملوحا به": waving a thing (but "الانسحاب الذي لوح به")
        j = _b_complement(words, i, 5, entity_tokens)
        if j is None or lx.BRANDISH_CONCRETE.match(words[j].norm):
            return "not_brandishing"
    if trig.kind == "warn" and _portends(words, i, entity_tokens):
        return "portends"  # "ما ينذر بانطلاق عملية"، "الاضطرابات التي تحصل في الجو، وتنذر بتبعات": a sign, no one warning
    if trig.kind == "warn":
        if words[i].bases[-1].removeprefix("ال").startswith("تحذير") and not _authored(words, i, entity_tokens):
            return "warning_without_author"  # "عدة تحذيرات ونصائح للتذكير بالتبعات": advice, nobody's threat
        return _advisory(words, trig)
    if trig.kind == "ultimatum":
        return _administrative_deadline(words, trig)
    return None


# What a player threatens in a match report ("هدد مرمى الغرافة").
_GOALS = frozenset("مرمي المرمي شباك الشباك".split())
# Purposes that make a deadline an administrative one ("أمهل الحاكم الحزب 15 يوما لإثبات أغلبيته").
_ADMINISTRATIVE_PURPOSES = re.compile(r"^ل(?:اثبات|دفع|تسديد|تقديم|تصحيح|تسويه|تجديد|استكمال|الرد علي|اعلان|مغادره|تشكيل|توفيق|اصدار)")
# Texts that set deadlines by rule, not by pressure ("الدستور يمهلها حتى السبت").
_COURTS = frozenset("المحكمه محكمه القاضي قاض المحاكم".split())
_RULE_GIVERS = frozenset("الدستور القانون اللائحه العقد الاتفاق المرسوم الدستوريه".split())


def _authored(words: list[Word], i: int, entity_tokens: set[int]) -> bool:
    """A warning noun names its author: a possessive (تحذيره)، a name or title right after it, or a verb before it
    whose subject is the warner (وجه/أطلق تحذيرا)."""
    w = words[i]
    if w.text.endswith(("ه", "ها", "هم")) and not w.text.endswith("ة"):
        return True
    nxt = words[i + 1] if i + 1 < len(words) else None
    if nxt is not None and ((i + 1) in entity_tokens or nxt.bases[-1] in _SUBJECT_TITLES or nxt.norm.startswith("ال")):
        return True
    return any(b in lx.ISSUING_VERBS for x in words[max(0, i - 4) : i] for b in x.bases)


def _portends(words: list[Word], i: int, entity_tokens: set[int]) -> bool:
    """ينذر/تنذر (present) with no one named as its subject: a thing portends ("ما ينذر بحدوث"، "وتنذر بتبعات")."""
    w = words[i].without_conjunction
    if not _match(words[i], _FOREWARN) or not w.startswith(("ين", "تن")):
        return False
    if i + 1 < len(words) and _agent_word(words, i + 1, entity_tokens):
        return False  # "ينذر الجيش السكان": the subject after the verb
    subject = np_before(words, i, 4)
    return subject is None or not any(_agent_word(words, k, entity_tokens) for k in range(subject[0], subject[1] + 1))


def _agent_word(words: list[Word], k: int, entity_tokens: set[int]) -> bool:
    """A name, a title or a body (الجيش، الحكومة) with or without its article or conjunction."""
    return k in entity_tokens or any(b in _SUBJECT_TITLES or b in SUBJECT_HEADS for b in words[k].bases)


def _any_before(words: list[Word], i: int) -> bool:
    """"أي" opens the noun phrase the threat noun belongs to: right before it ("أي تهديد") or, in the same clause, before
    the noun it is joined to ("لأي محاولة للنيل من السعودية وتهديدها")."""
    for k in range(i - 1, max(-1, i - 7), -1):
        if words[k].norm in _CLAUSE_STOPS:
            return False
        if words[k].norm in ("اي", "لاي", "باي", "واي"):
            return k >= i - 2 or words[i].has_conjunction
    return False


# What "we" come to after وإلا when no harm is named: becoming, being forced, losing, seeing, risking.
_OWN_LOSS = re.compile(r"^(?:سن(?:صبح|كون|ضطر|خسر|فقد|عاني|جد|ري)|نجازف|سنجازف)$")


def _own_consequence(words: list[Word], i: int) -> bool:
    """After وإلا (word i) the speakers' side suffers and no harm to anyone is named: "وإلا سنصبح وكالة توظيف"، "وإلا
    فإننا نجازف بتقويض …". The verb after وإلا (or after فإننا/إننا) is one of becoming, being forced, losing or risking,
    and no harm (strike, sanctions, force …) is named in the next eight words. ("وإلا سنرد بحزم" and "وإلا سأضع حدا
    لبقرتهم الحلوب" are acts against others: threats.)"""
    after = [w.norm for w in words[i + 1 : i + 9]]
    k = 1 if after[:1] and after[0] in ("فاننا", "اننا") else 0
    verb = after[k].removeprefix("ف") if k < len(after) else ""
    return bool(_OWN_LOSS.match(verb)) and not lx.HARM.search(" ".join(after))


def _after_copula(words: list[Word], i: int, entity_tokens: set[int]) -> bool:
    """A verb of being or becoming stands before word i in its clause, at most four words back, with no other verb
    between ("وكان ترامب قد خرج مهددا بالانسحاب": the participle goes with خرج, and is active)."""
    for k in range(i - 1, max(-1, i - 5), -1):
        if words[k].without_conjunction in lx.COPULAS:
            return True
        if words[k].norm in _CLAUSE_STOPS or words[k].norm in ("قد", "وقد", "لقد") or verb_like(words, k, entity_tokens):
            return False
    return False


def _in_because_clause(words: list[Word], i: int) -> bool:
    """The trigger sits in a لأن-clause (no clause break between لأن and it)."""
    for k in range(i - 1, max(-1, i - 8), -1):
        if words[k].norm in _CLAUSE_STOPS:
            return False
        if words[k].norm in ("لان", "لانه", "لانها", "لانهم"):
            return True
    return False


def _quote_without_harm(words: list[Word], trig: Trigger) -> bool:
    """"وقال آل الشيخ متوعدا: "نتيجة مباراة … مؤسفة"": a participle that introduces a quote is a threat only
    when the quote announces a harm (a future act, a response, a consequence)."""
    w = words[trig.first]
    base = w.bases[-1]
    if not base.startswith("م") or trig.last + 1 >= len(words) or words[trig.last + 1].norm != ":":
        return False
    quote = " ".join(x.norm for x in words[trig.last + 2 :])
    return not (lx.WARNING_HARM.search(quote) or re.search(r"(?:^|\s)(?:و|ف)?س[يتن]\w{3,}", quote))


def _administrative_deadline(words: list[Word], trig: Trigger) -> str | None:
    """A deadline to prove, pay or file something is procedure, not pressure; so is one a law sets."""
    if any(w.norm in _RULE_GIVERS for w in words[max(0, trig.first - 3) : trig.first]):
        return "administrative_deadline"
    start = _clause_start(words, trig.first, 6)
    if any(w.bases[-1] in _COURTS for w in words[start : start + 2] + words[trig.last + 1 : trig.last + 3]):
        return "administrative_deadline"  # "أمهلت المحكمة العليا الحكومة حتى الأحد"، "وقامت المحكمة الإسرائيلية العليا
        # بتجميد الخطة وأمهلت الدولة حتى 26 مارس": a court, the clause's subject, sets procedure (not "تجاهل قرار المحكمة")
    for w in words[trig.last + 1 : trig.last + 10]:
        if w.norm in ("،", ",", ".", "؛"):
            break
        if _ADMINISTRATIVE_PURPOSES.match(w.norm):
            return "administrative_deadline"
    return None


def _carries_object(word: Word) -> bool:
    """A verb with its object as a pronoun ("يتوعدانه"، "هددها"): it names whom it threatens."""
    base = word.without_conjunction
    return base.endswith(("ه", "ها", "هم", "نا", "ني", "هن")) and not base.endswith("ته")


def _clause_start(words: list[Word], i: int, most: int) -> int:
    """Where the clause of word i starts, looking at most `most` words back: after the last comma or full stop."""
    k = i
    while k > max(0, i - most) and words[k - 1].norm not in ("،", ",", ".", "؛"):
        k -= 1
    return k


def _abstract_noun(words: list[Word], trig: Trigger, entity_tokens: set[int]) -> str | None:
    """تهديد as "a danger" (يشكل تهديدا لـ…، التهديدات الأمنية) unless it names a threatener and the act."""
    i = trig.first
    if i and words[i - 1].norm in lx.RECEIVED:
        return "threats_without_author"
    window = words[max(0, i - 5) : i]
    received = next((k for k, w in enumerate(window) if w.norm in lx.RECEIVED or w.bases[-1] in lx.RECEIVED), None)
    if received is not None and not any(w.norm in _CLAUSE_STOPS for w in window[received:]):
        return "threats_without_author"  # "تلقى ضابط شرطة هندي تهديدات بالقتل": received, author unnamed
    nxt = words[i + 1] if i + 1 < len(words) else None
    if nxt is not None and _DEATH_THREATS.match(nxt.norm) and not any(
            w.bases[-1] in _SENDING for w in words[max(0, i - 3) : i]):
        return "threats_without_author"  # "تهديد بالقتل لضابط هندي"، "لتهديدات بالموت": made to someone, by no one named
    named = nxt is not None and (i + 1) in entity_tokens  # "تهديد بريطانيا …", "تهديد كوهين …"
    after_name = i + 1
    while after_name + 1 < len(words) and after_name + 1 in entity_tokens:
        after_name += 1
    if named and after_name + 1 < len(words) and words[after_name + 1].bases[-1].removeprefix("ال") in _BARE_ACTS | {"الانسحاب"}:
        return None
    j = _b_complement(words, i, 8, entity_tokens)
    titled = named or (nxt is not None and nxt.norm in _SUBJECT_TITLES)
    if j is not None and not titled and any(w.norm in ("،", ",") for w in words[i + 1 : j]):
        j = None  # the بـ-word belongs to another clause
    frames = {w.norm for w in words[max(0, i - 3) : i]}
    if j is None or lx.HAPPENING.match(words[j].norm) or frames & {"مغبه", "عدم", "بعدم"}:
        return "abstract_noun"
    if frames & _ABSTRACT_FRAMES and not (named and j <= after_name + 2):
        return "abstract_noun"
    if nxt is not None and nxt.norm.startswith("ل") and not nxt.norm.startswith("لل") and (i + 1) not in entity_tokens:
        return "abstract_noun"  # "تهديدا له ولمصالحه", "تهديدا لمصر": a danger to
    if nxt is not None and nxt.norm in ('"',) and i + 2 < len(words) and words[i + 2].norm.startswith("ل"):
        return "abstract_noun"
    return None


# Death threats in news are mostly received ones whose author is unknown; they count only when someone is said to
# have sent them ("أرسلوا لها تهديدات بالقتل").
_DEATH_THREATS = re.compile(r"^ب(?:ال)?(?:قتل|موت|تفجير|ذبح|تصفيه|اغتيال)")
_SENDING = frozenset("ارسل ارسلت ارسلوا بعث بعثت بعثوا وجه وجهت وجهوا اطلق اطلقت اطلقوا".split())


def _is_question(words: list[Word], trig: Trigger) -> bool:
    if not words or words[-1].norm not in ("؟", "?"):
        return False
    first = next((w for w in words if not w.is_punct), None)
    if first is not None and any(b in lx.QUESTION_WORDS for b in first.bases):
        return True
    return not any(w.norm in ("،", ",") for w in words[trig.last + 1 :])


def _endangers(words: list[Word], trig: Trigger, entity_tokens: set[int]) -> str | None:
    """يهدد meaning "endangers": a thing as subject, an abstraction as object, or an event as complement."""
    i = trig.first
    prev = [w.norm for w in words[max(0, i - 2) : i]]
    nxt = words[i + 1] if i + 1 < len(words) else None
    if prev[-1:] == ["ما"] and nxt is not None and nxt.norm in ("به", "بها"):
        return None  # "تنفيذ الحكومة ما هددت به من هجوم": what X threatened
    explicit_subject = nxt is not None and ((i + 1) in entity_tokens or nxt.norm in _SUBJECT_TITLES)
    relative = i >= 1 and any(b in _RELATIVES for b in words[i - 1].bases)  # "التي"، "والتي"
    if relative and explicit_subject:
        return None  # "مضيق هرمز الذي هدد الرئيس الإيراني … بإغلاقه": the relative is the object
    antecedent = i - 2
    while antecedent > 0 and words[antecedent].norm in ("،", ","):
        antecedent -= 1  # "الرئيس الإيراني، حسن روحاني، الذي هدد": the name before the apposition's comma
    if relative and i >= 2 and (antecedent in entity_tokens or words[antecedent].bases[-1] in _SUBJECT_TITLES) and \
            _b_complement(words, i, 6, entity_tokens) is not None:
        return None  # "ترامب الذي هدد بفرض رسوم": a named agent is the relative's antecedent
    if prev[-1:] == ["هذا"] and words[i].has_conjunction:
        return None  # "هذا وهددت روسيا …": a discourse opener, not the subject
    if any(p in lx.NON_AGENT_SUBJECTS for p in prev[-1:]) or prev[-2:] == ["لا", "تزال"]:
        return "endangers"
    subject = np_before(words, i, 4) if not words[i].has_conjunction or words[i].norm.startswith("وت") is False else None
    if subject is not None and any(b in lx.NON_AGENT_SUBJECTS for k in range(subject[0], subject[1] + 1)
                                   for b in words[k].bases if k not in entity_tokens):
        return "endangers"  # "تلوث الهواء يهددنا"، "الأمطار الموسمية المتفرقة تهدد بغمر الكهف"
    if subject is not None and subject[0] == subject[1] and _abstract_singular(words, subject[0], entity_tokens):
        return "endangers"  # "فإن الفضيحة هددت بابتلاع…": a definite feminine abstract noun is no threatener
    rel = i - 1
    while rel >= 0 and words[rel].norm in ("كان", "كانت", "قد", "لا", "تزال", "يزال", "ظلت", "ظل"):
        rel -= 1
    if rel >= 1 and rel < i - 1 and words[rel].norm in _RELATIVES and words[rel - 1].norm in lx.NON_AGENT_SUBJECTS:
        return "endangers"  # "الإجراءات التي كانت تهدد أيمن بالترحيل"
    if i + 1 < len(words) and words[i + 1].norm in lx.NON_AGENT_SUBJECTS:
        return "endangers"
    j = _b_complement(words, i, 10, entity_tokens)
    if j is not None and lx.HAPPENING.match(words[j].norm):
        return "endangers"
    objects = words[i + 1 : (j if j is not None else i + 4)]
    for w in objects[:3]:
        if any(b in lx.ENDANGERED or b.removeprefix("ال") in lx.ENDANGERED for b in w.bases):
            if j is None:
                return "endangers"
    if j is None and any(w.norm in ("قائلا", "قائله", "مضيفا", ":") for w in words[i + 1 : i + 14]):
        return None  # "هدد روحاني ترامب …، قائلا: …": the threat is the quoted words
    if j is None and _future_complement(words, i) is not None:
        return None  # "هددت الأخيرة أنها ستفرض رسوما": the act is a complement clause
    if j is None:
        # No بـ-complement: only a person threatened (هدده، يهددنها) or a bare headline verb counts.
        has_object_pronoun = words[i].norm.endswith(("ه", "ها", "هم", "نا", "ني", "هن"))
        rest = [w for w in words[i + 1 :] if not w.is_punct]
        if not has_object_pronoun and len(rest) > 1 and trig.first > 0:
            return "no_threatened_act"
    return None



def _abstract_singular(words: list[Word], k: int, entity_tokens: set[int]) -> bool:
    """A one-word definite feminine noun (الفضيحة، الأزمة، الخطوة، السياسة) as the whole subject: a thing."""
    w = words[k]
    base = w.norm
    if k in entity_tokens or not base.startswith("ال") or not base.endswith("ه") or base in lx.AGENT_BODIES:
        return False
    if base.endswith(("يه", "اويه")) and len(base) <= 7:
        return False  # nisba names of peoples or states ("الأمريكية" alone is rare; keep it)
    return k == 0 or is_stop_word(words[k - 1])


def is_stop_word(word: Word) -> bool:
    return word.is_punct or word.norm in lx.FUNCTION_WORDS or word.norm in ("فان", "ان", "لكن", "و", "بل")


def _future_complement(words: list[Word], i: int) -> int | None:
    """أن/بأن + a future verb within a few words after the trigger (what the threatener says it will do): the verb."""
    for k in range(i + 1, min(len(words) - 1, i + 5)):
        if words[k].norm in ("،", ",", ".", ":"):
            return None
        if words[k].norm in ("ان", "انه", "انها", "انهم", "بان", "بانه", "بانها", "بانهم"):
            nxt = words[k + 1]
            return k + 1 if nxt.norm.startswith("س") and len(nxt.norm) > 3 or nxt.norm == "سوف" else None
    return None


def _advisory(words: list[Word], trig: Trigger) -> str | None:
    """A warning counts only when it announces harm the warner's side will do, not advice."""
    tail = " ".join(w.norm for w in words[trig.first + 1 : trig.first + 40])
    if not lx.WARNING_HARM.search(tail):
        return "warning_without_threatened_harm"
    context = " ".join(w.norm for w in words[max(0, trig.first - 8) : trig.first + 12])
    if lx.ADVISORY_SPEAKERS.search(context) or lx.ADVISORY_TOPICS.search(context):
        return "advisory_warning"
    return None


def _has_condition(words: list[Word], trig: Trigger, entity_tokens: set[int]) -> bool:
    return _condition(words, trig, entity_tokens) is not None


# A condition runs to its clause's end or to a comparison that opens another ("إذا تم منعها … كما توعدتها …").
_CONDITION_ENDS = _CLAUSE_STOPS | {"كما", "مثلما"}
# Words that open the answer to a condition put first ("… فسوف ترد", "… فإنها ستواجه").
_APODOSIS = frozenset("فسوف سوف فان فانه فانها فانهم فانني فاننا ف ثم".split())


def _condition(words: list[Word], trig: Trigger, entity_tokens: set[int]) -> tuple[int, int] | None:
    """The condition clause (إذا لم…، ما لم…، في حال…، وإلا) nearest after the trigger, or just before it."""
    if trig.kind == "or_else":
        return trig.first, trig.first
    norms = [w.norm for w in words]

    def marker_at(k: int) -> int:
        if k in entity_tokens:
            return 0  # "لو كانغ" is a name, not "if"
        head = words[k].without_conjunction  # "وإذا استمرت …"، "فإن لم …" ("ولو" is concessive: even if)
        for marker in lx.CONDITION_MARKERS:
            if tuple(norms[k : k + len(marker)]) == marker or (
                    marker[0] != "لو" and head == marker[0] and tuple(norms[k + 1 : k + len(marker)]) == marker[1:]):
                if marker == ("حال",) and k + 1 < len(norms) and norms[k + 1] in ("،", "الي", "دون"):
                    continue
                if marker[-1] == "حاله" and k + 2 < len(norms) and norms[k + 2] in lx.STATES:
                    continue  # "في حالة حرب": a state, not "in case"
                return len(marker)
        return 0

    order = list(range(trig.last + 1, len(words))) + list(range(trig.first - 1, max(-1, trig.first - 20), -1))
    for k in order:
        if marker_at(k):
            end = k
            while end + 1 < len(words) and words[end + 1].norm not in _CONDITION_ENDS and end - k < 25:
                end += 1
            if k < trig.first and not lx.THREAT_NOUN_FORMS.match(words[trig.first].bases[-1]):
                # A condition put first ends where its answer begins: "إذا تلقت أي إجراء فسوف ترد" (a threat noun
                # stays inside it: "إذا نفذت الولايات المتحدة تهديدها …")
                answer = next((x for x in range(k + 1, trig.first) if norms[x] in _APODOSIS), trig.first)
                end = min(end, answer - 1)
            while end > k and words[end].is_punct and words[end].norm not in QUOTES:
                end -= 1
            return k, end
    return None


def _tokens_to_span(words: list[Word], text: str, a: int, b: int) -> Span:
    start, end = words[a].start, words[b].end
    return Span(text=text[start:end], start=start, end=end)


def _action(words: list[Word], trig: Trigger, entity_tokens: set[int]) -> tuple[int, int] | None:
    if trig.kind in ACT_IN_B_COMPLEMENT:
        start = _b_complement(words, trig.last, 10, entity_tokens)
        if start is None and trig.kind == "threaten":
            start = _future_complement(words, trig.last)
        nxt = [w.norm for w in words[trig.last + 1 : trig.last + 3]]
        if start is None and len(nxt) == 2 and nxt[0] in ("به", "بها") and nxt[1] == "من" and trig.last + 3 < len(words):
            start = trig.last + 3  # "ما هددت به من هجوم شامل على …": the act follows من
        if start is None:
            return None
    elif trig.kind == "warn":
        tail = [x.norm for x in words[trig.last + 1 : trig.last + 40]]
        found = lx.WARNING_HARM.search(" ".join(tail))
        if found is None:
            return None
        start = trig.last + 1 + " ".join(tail)[: found.start()].count(" ")
    elif trig.kind == "or_else":
        start = trig.last + 1
    else:
        start = trig.first
    end = start
    while end + 1 < len(words) and end - start < 14:
        if words[end + 1].norm in _CLAUSE_STOPS and not (
            words[end + 1].norm in ("،", ",") and end + 2 < len(words) and words[end + 2].norm in ("علي", "على", "ضد")
        ):
            break
        if any(tuple(w.norm for w in words[end + 1 : end + 1 + len(m)]) == m for m in lx.CONDITION_MARKERS if m[0] != "حال"):
            break
        if words[end + 1].norm in lx.REASON_OPENERS:
            break
        end += 1
    while end > start and words[end].is_punct and words[end].norm not in ('"', "»"):
        end -= 1
    return start, end


def _situation(words: list[Word], trig: Trigger, mentions: list[Mention], entity_tokens: set[int]) -> Situation:
    """The trigger with its act, condition and the rules' roles (what the role selector and features read)."""
    action = _action(words, trig, entity_tokens)
    condition = _condition(words, trig, entity_tokens)
    roles = find_roles(words, trig.kind, trig.first, trig.last, mentions, entity_tokens, action, condition)
    return Situation(words, mentions, entity_tokens, trig.kind, trig.first, trig.last, action, condition, roles)


# What is responded to or threatened over, not who: "سترد على أي عقوبات أميركية", "بالرد على هجوم التيفور".
_EVENT_NOUNS = frozenset(normalize(w) for w in (
    "عقوبة عقوبات تهديد تهديدات هجوم هجمات اعتداء اعتداءات غارة غارات قرار قرارات إجراء إجراءات خطوة خطوات طرد "
    "تصريح تصريحات استفزاز استفزازات انتهاك انتهاكات عدوان قصف ضربة ضربات ممارسات سياسة سياسات حظر").split())
_DETERMINERS = frozenset(("اي", "كل", "هذه", "هذا", "ذلك", "تلك"))


def _party_target(target: tuple[int, int] | None, words: list[Word], mentions: list[Mention]) -> tuple[int, int] | None:
    """The target, unless it names an event (what the threat answers): then the name that follows it as its
    genitive ("قرار ترامب" → ترامب), else none, as an analyst reads "سترد على أي إجراء عقابي": the threatened
    party is not named. ("رسوم على واردات صينية" keeps its target: the imports say whose.)"""
    if target is None:
        return None
    inside = [k for k, w in enumerate(words) if w.start >= target[0] and w.end <= target[1]]
    head = next((k for k in inside if words[k].norm not in _DETERMINERS), None)
    if head is None or not any(b.removeprefix("ال") in _EVENT_NOUNS for b in words[head].bases):
        return target
    named = next((m for m in mentions if m.first == head + 1 <= inside[-1] and m.label != "MISC"), None)
    if named is None:
        return None
    return words[named.first].start, words[min(named.last, inside[-1])].end


_SPAN_EDGES = " ،,:؛;"


def _clean_role(text: str, r: tuple[int, int] | None) -> tuple[int, int] | None:
    """A role span whose quote marks pair up. An unpaired one is closed when the quote ends right after the span
    (`تنظيم "الدولة الإسلامية"`), dropped at an edge (`" الأميركية`), else the span is cut where the quoted speech
    begins (`بلادها "ستعمل` → بلادها). A quoted name (`وكالة "إنترفاكس" للأنباء`) stays whole."""
    if r is None:
        return None
    start, end = _without_edges(text, *r)
    inner = [k for k in range(start, end) if text[k] in QUOTES]
    if len(inner) % 2 == 0:
        return (start, end) if start < end else None
    if end < len(text) and text[end] in QUOTES:
        end += 1
    elif inner[0] == start:
        start += 1
    elif inner[-1] == end - 1:
        end -= 1
    else:
        end = inner[0]
    start, end = _without_edges(text, start, end)
    return (start, end) if start < end else None


def _without_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without spaces, commas, colons or semicolons at either end."""
    while start < end and text[start] in _SPAN_EDGES:
        start += 1
    while end > start and text[end - 1] in _SPAN_EDGES:
        end -= 1
    return start, end


def _statement(words: list[Word], trig: Trigger, text: str, field: str, sent_start: int, sent_end: int,
               mentions: list[Mention], entity_tokens: set[int], role_model: RoleModel | None,
               sentence_norm: str) -> ThreatStatement:
    situation = _situation(words, trig, mentions, entity_tokens)
    action, condition = situation.action, situation.condition
    roles = choose_roles(situation, role_model) if role_model is not None else situation.rules
    span = lambda r: _tokens_to_span(words, text, *r) if r is not None else None  # noqa: E731
    chars = lambda r: Span(text=text[r[0] : r[1]], start=r[0], end=r[1]) if r is not None else None  # noqa: E731
    action_norm = normalize(text[words[trig.first].start : words[action[1]].end]) if action else ""
    actor_norm = normalize(text[roles.actor[0] : roles.actor[1]]) if roles.actor else ""
    kind = "ultimatum" if trig.kind in ULTIMATUMS else trig.kind
    coding = code_threat(action_norm, kind, bool(MILITANT.search(actor_norm)), sentence_norm)
    return ThreatStatement(
        text=text[sent_start:sent_end], start=sent_start, end=sent_end, field=field,
        trigger=span((trig.first, trig.last)), actor=chars(_clean_role(text, roles.actor)),
        target=chars(_clean_role(text, _party_target(roles.target, words, mentions))), action=span(action),
        condition=span(condition), negated=False, reported_by=chars(_clean_role(text, roles.reported_by)),
        severity=coding.severity, severity_rule=coding.severity_rule, category=coding.category,
        cameo_code=coding.cameo_code, plover_code=coding.plover_code,
    )


def _mentions(words: list[Word], entities: list[Entity]) -> list[Mention]:
    """Entities as word ranges of the sentence."""
    out = []
    for e in entities:
        idx = [k for k, w in enumerate(words) if w.start < e.end and w.end > e.start]
        if idx:
            out.append(Mention(idx[0], idx[-1], e.label, e.start > words[idx[0]].start))
    return sorted(out, key=lambda m: (m.first, m.last))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A trigger hit of one sentence with what the decision layer sees of it."""

    sent_start: int
    sent_end: int
    trigger: Trigger
    trigger_start: int  # character offsets of the trigger words in the field
    trigger_end: int
    rule_accepts: bool  # the hand rules alone would emit it
    features: list[str]
    situation: Situation


# Rejections that end a candidate before the model sees it: grammar that says outright the statement is no
# threat made (denied, negated, asked, hypothetical, a reason given, a procedure, nobody's warning, advice, a decision
# still open, the speaker's own price, a party said to be under threat, a match's fixture or a coach's fate, a
# hardship faced, a reply to a request, a thing that portends, a verb of threatening with nothing after it).
HARD_REJECTIONS = frozenset({"denial", "negated", "question", "bare", "hypothetical", "explanation", "speculation",
                             "administrative_deadline", "warning_without_author", "advisory_warning",
                             "indirect_question", "own_price", "threatened_party", "sport", "hardship", "reply",
                             "portends"})


def _candidates(words: list[Word], mentions: list[Mention], entity_tokens: set[int], sentence_norm: str,
                sent_start: int, sent_end: int) -> list[Candidate]:
    out = []
    for trig in find_triggers(words, entity_tokens, permissive=True):
        reason = _rejection(words, trig, entity_tokens, sentence_norm)
        if reason in HARD_REJECTIONS:
            continue
        sit = _situation(words, trig, mentions, entity_tokens)
        feats = candidate_features(words, trig.first, trig.last, trig.kind, trig.strict, reason, mentions, entity_tokens,
                                   sit.action, sit.condition, sit.rules)
        out.append(Candidate(sent_start, sent_end, trig, words[trig.first].start, words[trig.last].end,
                             trig.strict and reason is None, feats, sit))
    return out


def _sentences(text: str, entities: list[Entity] | None,  # type: ignore[no-untyped-def]
               tokenized: list[TokenizedSentence] | None = None):
    # One scan of the whole field for cues (a cue never spans a sentence end): a field without any is not
    # even split, and of the others only the sentences that hold a cue are tokenised.
    cues = cue_positions(text)
    if not cues:
        return
    # Sentences with their token spans when the caller tokenised them; else spans are found per cue sentence.
    pairs = ((t.sentence, t.spans) for t in tokenized) if tokenized is not None else \
        ((sentence, None) for sentence in split_sentences(text))
    for sent, spans in pairs:
        first_cue = bisect_left(cues, sent.start)
        if first_cue == len(cues) or cues[first_cue] >= sent.end:
            continue
        words = words_of(sent.text, sent.start, spans)
        sent_entities = [e for e in (entities or []) if e.start >= sent.start and e.end <= sent.end]
        mentions = _mentions(words, sent_entities)
        entity_tokens = {k for m in mentions for k in range(m.first, m.last + 1)}
        yield sent, words, mentions, entity_tokens, normalize(sent.text)


def threat_candidates(text: str, entities: list[Entity] | None = None) -> list[Candidate]:
    """Every trigger hit of `text` that survives the cheap pre-filter, permissively (training and scoring)."""
    return [c for sent, words, mentions, entity_tokens, sentence_norm in _sentences(text, entities)
            for c in _candidates(words, mentions, entity_tokens, sentence_norm, sent.start, sent.end)]


def extract_threats(text: str, field: str = "content", entities: list[Entity] | None = None,
                    model: DecisionModel | None | bool = True,
                    role_model: RoleModel | None | bool = True,
                    tokenized: list[TokenizedSentence] | None = None,
                    name_roles: bool = True) -> list[ThreatStatement]:
    """Threat statements in `text`; every span is `text[start:end]` of the original field.

    With the shipped decision model (the default; `model=None` for the hand rules alone) every trigger hit is a
    candidate and the model decides: the sentence's threat is its strongest candidate at or above the threshold.
    The rules find the roles; the shipped role selector (`role_model=None` for the rules' roles; off with `model=None`)
    then picks actor and target among the rules' picks and the sentence's other candidate spans.
    `tokenized`: the field's `tokenize_sentences()`, when the caller has made it for the entity tagger too.
    `name_roles=False` leaves `actor_names`/`target_names` to a caller that names them with the whole article.
    """
    decider = default_model() if model is True else (model or None)
    # `model=None` asks for the hand rules alone, roles included, unless a role model is passed explicitly
    roles_by = (default_role_model() if model is not None else None) if role_model is True else (role_model or None)
    out: list[ThreatStatement] = []
    for sent, words, mentions, entity_tokens, sentence_norm in _sentences(text, entities, tokenized):
        if decider is None:
            for trig in find_triggers(words, entity_tokens):
                if _rejection(words, trig, entity_tokens, sentence_norm) is None:
                    out.append(_statement(words, trig, text, field, sent.start, sent.end, mentions, entity_tokens, roles_by,
                                          sentence_norm))
                    break
            continue
        # Candidates come strongest trigger first (the rules' order: a verb before a noun, the warning before the
        # response it announces); of those the model accepts, the one the rules would pick fills the roles.
        accepted = [c for c in _candidates(words, mentions, entity_tokens, sentence_norm, sent.start, sent.end)
                    if decider.probability(c.features) >= decider.threshold]
        chosen = next((c for c in accepted if c.rule_accepts), accepted[0] if accepted else None)
        if chosen is not None:
            out.append(_statement(words, chosen.trigger, text, field, sent.start, sent.end, mentions, entity_tokens, roles_by,
                                  sentence_norm))
    return [with_role_names(threat, entities or [], text) for threat in out] if name_roles else out
