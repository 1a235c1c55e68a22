"""Find threat statements in a field: trigger lexicon, non-threat filters, roles, coding.

One threat per sentence at most: the strongest trigger that survives the
filters. Roles are syntax-light: Arabic news writes "هدد <actor> <target> بـ<action>"
(verb first) or "<actor> يهدد <target> بـ<action>" (headlines, subject first); a
conditional clause starts with إذا/إن لم/ما لم/في حال/وإلا. Entities, when
given, decide where the actor ends and the target begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasid.nlp.normalizer import normalize
from rasid.nlp.threats import lexicon as lx
from rasid.nlp.threats.coding import MILITANT, code_threat
from rasid.nlp.threats.words import Word, words_of
from rasid.nlp.tokenizer import split_sentences
from rasid.records import Entity, ThreatStatement
from rasid.records.threat import Span

_B_NAMES = frozenset(
    "بريطانيا بغداد بوتين بومبيو بكين بيروت بشار بنيامين باريس برلين بروكسل بولندا بلجيكا بنما بيرو باكستان"
    " بنغلادش بوركينا بلغاريا بوريس بايدن بيونغيانغ بن بنك بيان بيانا بلير بوش برشلونه بيكيت بيرنز بانيلا".split()
)
_TITLES = frozenset("الرئيس رئيس وزير وزيره زعيم المتحدث قائد السفير سفيره نائب الامين المرشد ملك الملك امير".split())
_PRONOUN_ACTORS = frozenset("بلاده بلادها انها انه انهم اننا انا نحن هي هو".split())
_ULTIMATUM_GIVERS = frozenset("وجه وجهت يوجه توجه اصدر اصدرت ووجه ووجهت".split())
_RELATIVES = frozenset("الذي التي الذين اللذين اللتين اللواتي".split())
_ABSTRACT_FRAMES = frozenset("علي على الرد مواجهه لمواجهه مكافحه ضد يشكل تشكل يمثل تمثل".split())
_CLAUSE_STOPS = frozenset("، , . ؛ ; : ؟ ? !".split())


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str  # threaten, noun, vow, brandish, ultimatum, warn, respond, pay, regret, face, attack, continue, or_else
    first: int
    last: int
    rank: int  # lower is stronger


def _match(word: Word, pattern) -> bool:  # type: ignore[no-untyped-def]
    return any(pattern.match(base) for base in word.bases)


def _next_word(words: list[Word], i: int) -> Word | None:
    return words[i + 1] if i + 1 < len(words) else None


def _is_b_complement(word: Word, entity_tokens: set[int], index: int) -> bool:
    """A بـ-phrase naming the threatened act (بفرض، بالانسحاب، بـ"الانتقام")."""
    norm = word.norm
    if not norm.startswith("ب") or norm in lx.NOT_ACTION_B or norm in _B_NAMES:
        return False
    if word.text.startswith("بـ") or norm.startswith("بال"):
        return True
    return len(norm) > 3 and index not in entity_tokens


def _b_complement(words: list[Word], i: int, ahead: int, entity_tokens: set[int]) -> int | None:
    for j in range(i + 1, min(len(words), i + 1 + ahead)):
        if words[j].norm in (".", "؟", "?", "!") or words[j].norm in _RELATIVES:
            return None
        if _is_b_complement(words[j], entity_tokens, j):
            return j
    return None


def find_triggers(words: list[Word], entity_tokens: set[int]) -> list[Trigger]:
    found: list[Trigger] = []
    for i, w in enumerate(words):
        if w.is_punct:
            continue
        nxt = _next_word(words, i)
        nxt_norm = nxt.norm if nxt else ""
        if _match(w, lx.VOW):
            found.append(Trigger("vow", i, i, 0))
        elif _match(w, lx.THREATEN_VERB):
            found.append(Trigger("threaten", i, i, 0))
        elif _match(w, lx.BRANDISH):
            found.append(Trigger("brandish", i, i, 1))
        elif _match(w, lx.ULTIMATUM_VERB):
            found.append(Trigger("ultimatum", i, i, 1))
        elif _match(w, lx.ULTIMATUM_NOUN):
            prev = words[i - 1].norm if i else ""
            if prev in _ULTIMATUM_GIVERS or nxt_norm in ("نهائيا", "نهائي", "اخيرا", "اخير"):
                found.append(Trigger("ultimatum", i, i, 1))
        elif _match(w, lx.RESPOND_FUTURE):
            if nxt is None or nxt.is_punct or lx.RESPONSE_NEXT.match(nxt_norm):
                found.append(Trigger("respond", i, i, 2))
        elif _match(w, lx.RESPOND_PRESENT) and nxt_norm in ("بكل", "بقوه", "بحزم", "بالمثل", "بحسم"):
            found.append(Trigger("respond", i, i, 2))
        elif _match(w, lx.PAY):
            for j in range(i + 1, min(len(words), i + 4)):
                if lx.PRICE.match(words[j].norm):
                    after = words[j + 1].norm if j + 1 < len(words) else ""
                    if words[j].norm in ("الثمن",) or after.startswith(("باهظ", "غالي", "ذلك")) or after in ("باهظا", "غاليا"):
                        found.append(Trigger("pay", i, j, 2))
                    break
        elif _match(w, lx.REGRET):
            found.append(Trigger("regret", i, i, 2))
        elif _match(w, lx.FACE) and w.norm.startswith(("س", "وس")) or (w.norm in ("تواجه", "يواجه", "يواجهون") and i and words[i - 1].norm == "سوف"):
            if any(lx.CONSEQUENCES.match(words[j].norm) for j in range(i + 1, min(len(words), i + 4))):
                found.append(Trigger("face", i, i, 2))
        elif _match(w, lx.CONTINUE) and nxt is not None and lx.ATTACK_NOUNS.match(nxt.norm):
            found.append(Trigger("continue", i, i + 1, 2))
        elif _match(w, lx.ATTACK_FUTURE):
            found.append(Trigger("attack", i, i, 3))
        elif _match(w, lx.OR_ELSE):
            ahead = words[i + 1 : i + 5]
            if any(a.norm.startswith(("س", "فس", "فان")) or a.norm in ("ستواجه", "فانه", "فان") for a in ahead):
                found.append(Trigger("or_else", i, i, 2))
        elif _match(w, lx.WARN):
            found.append(Trigger("warn", i, i, 1))
        elif _match(w, lx.THREATEN_NOUN):
            found.append(Trigger("noun", i, i, 4))
    found.extend(_idioms(words))
    return sorted(found, key=lambda t: (t.rank, t.first))


def _idioms(words: list[Word]) -> list[Trigger]:
    """Fixed threat phrases: لن تقف مكتوفة الأيدي، لن تمر دون رد، مستعد للرد، سيدفع ... للرد."""
    out: list[Trigger] = []
    norms = [w.norm for w in words]
    for i in range(len(words) - 2):
        if norms[i] == "لن" and norms[i + 1] in ("تقف", "يقف", "نقف") and norms[i + 2].startswith("مكتوف"):
            out.append(Trigger("respond", i, i + 2, 1))
        if norms[i] == "لن" and norms[i + 1] in ("تمر", "يمر") and norms[i + 2] in ("دون", "بدون", "من"):
            out.append(Trigger("respond", i, i + 2, 1))
    for i, n in enumerate(norms):
        if n == "للرد" and i and (norms[i - 1].startswith(("مستعد", "جاهز")) or any(x.startswith(("سيدفع", "ستدفع")) for x in norms[max(0, i - 3) : i])):
            out.append(Trigger("respond", i, i, 2))
    return out


def _rejection(words: list[Word], trig: Trigger, entity_tokens: set[int], sentence_norm: str) -> str | None:
    """Why this trigger is not a threat statement (None when it is)."""
    i = trig.first
    prev = words[i - 1].norm if i else ""
    before = [w.norm for w in words[max(0, i - 6) : i]]
    if any(lx.DENIAL.match(b) for b in before):
        return "denial"
    if prev in lx.NEGATORS and trig.kind not in ("respond",):
        return "negated"
    if _is_question(words, trig):
        return "question"
    if trig.kind in ("respond", "pay", "regret", "face", "attack", "continue"):
        if any(lx.SPECULATION.match(w.norm) for w in words[:i]) or prev == "قد":
            return "speculation"
    if trig.kind == "attack" and not _has_condition(words, trig):
        return "plain_future"
    if trig.kind == "threaten":
        return _endangers(words, trig, entity_tokens)
    if trig.kind == "noun":
        j = _b_complement(words, i, 8, entity_tokens)
        frames = {w.norm for w in words[max(0, i - 3) : i]}
        if j is None or lx.HAPPENING.match(words[j].norm) or frames & ({"مغبه", "عدم", "بعدم"} | _ABSTRACT_FRAMES):
            return "abstract_noun"
    if trig.kind == "brandish":
        j = _b_complement(words, i, 5, entity_tokens)
        if j is None or lx.BRANDISH_CONCRETE.match(words[j].norm):
            return "not_brandishing"
    if trig.kind == "warn":
        return _advisory(words, trig)
    return None


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
    if any(p in lx.NON_AGENT_SUBJECTS for p in prev[-1:]) or prev[-2:] == ["لا", "تزال"]:
        return "endangers"
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
    if j is None:
        # No بـ-complement: only a person threatened (هدده، يهددنها) or a bare headline verb counts.
        has_object_pronoun = words[i].norm.endswith(("ه", "ها", "هم", "نا", "ني", "هن"))
        rest = [w for w in words[i + 1 :] if not w.is_punct]
        if not has_object_pronoun and len(rest) > 1 and trig.first > 0:
            return "no_threatened_act"
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


def _has_condition(words: list[Word], trig: Trigger) -> bool:
    return _condition(words, trig) is not None


def _condition(words: list[Word], trig: Trigger) -> tuple[int, int] | None:
    """The condition clause (إذا لم…، ما لم…، في حال…، وإلا) nearest after the trigger, or just before it."""
    if trig.kind == "or_else":
        return trig.first, trig.first
    norms = [w.norm for w in words]

    def marker_at(k: int) -> int:
        for marker in lx.CONDITION_MARKERS:
            if tuple(norms[k : k + len(marker)]) == marker:
                if marker == ("حال",) and k + 1 < len(norms) and norms[k + 1] in ("،", "الي", "دون"):
                    continue
                return len(marker)
        return 0

    order = list(range(trig.last + 1, len(words))) + list(range(trig.first - 1, max(-1, trig.first - 20), -1))
    for k in order:
        if marker_at(k):
            end = k
            while end + 1 < len(words) and words[end + 1].norm not in _CLAUSE_STOPS and end - k < 25:
                end += 1
            while end > k and words[end].is_punct:
                end -= 1
            return k, end
    return None


def _np_after(words: list[Word], j: int, limit: int, entity_tokens: set[int], stop_at_b: bool = True) -> tuple[int, int] | None:
    k = j
    while k < len(words) and k - j < limit:
        w = words[k]
        if w.is_punct and w.norm not in ('"', "«", "»"):
            break
        if w.norm in lx.FUNCTION_WORDS or any(b in lx.TIME_WORDS for b in w.bases):
            break
        if w.has_conjunction and any(b in lx.FUNCTION_WORDS for b in w.bases[1:]):
            break
        if stop_at_b and _is_b_complement(w, entity_tokens, k):
            break
        if any(b in ("من",) for b in w.bases[:1]):
            break
        k += 1
    while k > j and words[k - 1].is_punct:
        k -= 1
    return (j, k - 1) if k > j else None


def _np_before(words: list[Word], i: int, limit: int) -> tuple[int, int] | None:
    k = i - 1
    if k >= 0 and words[k].norm in ("قد", "وقد"):
        k -= 1
    end = k
    while k >= 0 and end - k < limit:
        w = words[k]
        if w.is_punct or w.norm in lx.FUNCTION_WORDS or lx.REPORTING_VERBS.match(w.norm):
            break
        if w.has_conjunction and any(b in lx.FUNCTION_WORDS for b in w.bases[1:]):
            break
        if any(b in lx.TIME_WORDS for b in w.bases) or (w.has_conjunction and lx.REPORTING_VERBS.match(w.bases[-1])):
            break
        k -= 1
    return (k + 1, end) if end >= k + 1 else None


def _entity_ends(entities: list[tuple[int, int]], first: int, last: int) -> list[tuple[int, int]]:
    return [(a, b) for a, b in entities if a >= first and a <= last]


def _split_actor_target(words: list[Word], np: tuple[int, int], entities: list[tuple[int, int]]) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """Verb-first clause: the words after the verb hold the actor, then maybe the target."""
    first, last = np
    inside = _entity_ends(entities, first, last)
    if inside:
        a_end = min(max(inside[0][1], first), last)
        if len(inside) > 1 and inside[1][0] > a_end:
            return (first, a_end), (inside[1][0], last)
        return (first, a_end), ((a_end + 1, last) if a_end < last else None)
    if last - first == 1 and not words[first].norm.startswith("ال") and words[first].norm not in _TITLES:
        return (first, first), (last, last)
    return (first, last), None


def _np_after_gap(words: list[Word], k: int, entity_tokens: set[int]) -> tuple[int, int] | None:
    """Target after a time word or comma: هدد <actor> الاثنين <target> بـ…"""
    gap = k
    while gap < len(words) and (words[gap].norm in ("،", ",") or any(b in lx.TIME_WORDS for b in words[gap].bases)):
        gap += 1
    if gap == k or gap >= len(words):
        return None
    np = _np_after(words, gap, 6, entity_tokens)
    if np is None:
        return None
    nxt = np[1] + 1
    while nxt < len(words) and words[nxt].norm in ('"', "«", "»"):
        nxt += 1
    if nxt >= len(words) or not _is_b_complement(words[nxt], entity_tokens, nxt):
        return None
    return np


def _clause_subject(words: list[Word], before: int, entities: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Fallback actor: the sentence's opening noun phrase (after an opening verb), else its first entity."""
    k = 0
    while k < before and (words[k].is_punct or words[k].norm in lx.FUNCTION_WORDS):
        k += 1
    if k < before and words[k].has_conjunction and words[k].bases[-1][:1] in ("ي", "ت", "ن", "ا"):
        k += 1  # sentence opens with a verb (وتشعر تركيا…، واتهمت إسرائيل…): its subject follows
    elif k < before and words[k].norm in ("كان", "كانت", "وكان", "وكانت"):
        k += 1
    if k < before:
        np = _np_after(words, k, 3, set())
        if np is not None and np[1] < before:
            inside = [r for r in entities if np[0] <= r[0] <= np[1]]
            return (np[0], min(np[1], max(inside[0][1], np[0]))) if inside and inside[0][0] == np[0] else np
    earlier = [r for r in entities if r[1] < before]
    return earlier[0] if earlier else None


def _speaker(words: list[Word], before: int) -> tuple[int, int] | None:
    """Who is reported as saying the clause before `before` (قال X إن… / X قال إن…)."""
    for k in range(before - 1, -1, -1):
        w = words[k]
        if lx.REPORTING_VERBS.match(w.norm) or (w.has_conjunction and lx.REPORTING_VERBS.match(w.bases[-1])):
            after = _np_after(words, k + 1, 7, set(), stop_at_b=False)
            if after is not None:
                return after
            return _np_before(words, k, 5)
    return None


def _tokens_to_span(words: list[Word], text: str, a: int, b: int) -> Span:
    start, end = words[a].start, words[b].end
    return Span(text=text[start:end], start=start, end=end)


def _action(words: list[Word], trig: Trigger, entity_tokens: set[int]) -> tuple[int, int] | None:
    if trig.kind in ("threaten", "vow", "brandish", "noun", "ultimatum"):
        start = _b_complement(words, trig.last, 10, entity_tokens)
        if start is None:
            return None
    elif trig.kind == "warn":
        tail = words[trig.last + 1 : trig.last + 40]
        start = None
        for k, w in enumerate(tail):
            if lx.WARNING_HARM.search(w.norm) or lx.WARNING_HARM.search(" ".join(x.norm for x in tail[k : k + 2])):
                start = trig.last + 1 + k
                break
        if start is None:
            return None
    elif trig.kind == "or_else":
        start = trig.last + 1
    else:
        start = trig.first
    end = start
    while end + 1 < len(words) and words[end + 1].norm not in _CLAUSE_STOPS and end - start < 12:
        nxt = words[end + 1]
        if any(tuple(w.norm for w in words[end + 1 : end + 1 + len(m)]) == m for m in lx.CONDITION_MARKERS if m[0] != "حال"):
            break
        end += 1
    while end > start and words[end].is_punct and words[end].norm not in ('"', "»"):
        end -= 1
    return start, end


_TARGETING_ACTS = frozenset("ضرب مهاجمه استهداف ازاله قصف اعتقال مقاضاه الضغط اغتيال طرد معاقبه".split())


def _target_in_action(words: list[Word], action: tuple[int, int], entity_tokens: set[int]) -> tuple[int, int] | None:
    a, b = action
    head = a
    while head <= b and words[head].norm in ("ب", '"', "«"):
        head += 1
    if head < b and any(base.removeprefix("ب").removeprefix("ال") in _TARGETING_ACTS for base in words[head].bases):
        k = head + 1
        while k <= b and words[k].norm in ('"', "»", "«", "علي", "على"):
            k += 1
        np = _np_after(words, k, 5, entity_tokens) if k <= b else None
        if np is not None:
            return np
    for k in range(a + 1, b + 1):
        w = words[k]
        if w.norm in ("ضد", "علي", "على") and k + 1 <= b:
            return _np_after(words, k + 1, 6, entity_tokens)
        if w.norm.startswith("لل") and w.norm not in ("للرد",) and len(w.norm) > 4:
            return _np_after(words, k, 6, entity_tokens)
    return None


def _statement(words: list[Word], trig: Trigger, text: str, field: str, sent_start: int, sent_end: int,
               entities: list[tuple[int, int]], entity_tokens: set[int]) -> ThreatStatement:
    participle = words[trig.first].bases[-1].startswith("م") and trig.kind in ("threaten", "vow", "brandish", "warn")
    actor = target = None
    if trig.kind in ("threaten", "vow", "brandish", "warn", "ultimatum", "noun") and not participle:
        np_before = None if words[trig.first].has_conjunction else _np_before(words, trig.first, 5)
        np_after = _np_after(words, trig.last + 1, 8, entity_tokens)
        if trig.kind == "noun":
            if np_after is not None:
                actor, target = _split_actor_target(words, np_after, entities)
        elif np_before is not None:
            starts_with_act = np_after is not None and _is_b_complement(words[np_after[0]], entity_tokens, np_after[0])
            actor, target = np_before, (None if starts_with_act else np_after)
        elif np_after is not None:
            actor, target = _split_actor_target(words, np_after, entities)
            if target is None:
                target = _np_after_gap(words, np_after[1] + 1, entity_tokens)
    elif not participle:
        actor = _np_before(words, trig.first, 5)
    if actor is not None and actor[0] == actor[1] and words[actor[0]].norm in _PRONOUN_ACTORS:
        actor = None
    speaker = _speaker(words, trig.first)
    if actor is None:
        actor = speaker or _clause_subject(words, trig.first, entities)
    reported_by = speaker if speaker is not None and speaker != actor else None
    action = _action(words, trig, entity_tokens)
    if action is not None and target is None:
        target = _target_in_action(words, action, entity_tokens)
    condition = _condition(words, trig)
    span = lambda r: _tokens_to_span(words, text, *r) if r is not None else None  # noqa: E731
    action_norm = normalize(text[words[trig.first].start : words[action[1]].end]) if action else normalize(words[trig.first].text)
    actor_norm = normalize(text[words[actor[0]].start : words[actor[1]].end]) if actor else ""
    kind = "ultimatum" if trig.kind in ("ultimatum", "or_else") else trig.kind
    coding = code_threat(action_norm if action else "", kind, bool(MILITANT.search(actor_norm)))
    return ThreatStatement(
        text=text[sent_start:sent_end], start=sent_start, end=sent_end, field=field,
        trigger=span((trig.first, trig.last)), actor=span(actor), target=span(target), action=span(action),
        condition=span(condition), negated=False, reported_by=span(reported_by),
        severity=coding.severity, severity_rule=coding.severity_rule, category=coding.category,
        cameo_code=coding.cameo_code, plover_code=coding.plover_code,
    )


def _entity_token_ranges(words: list[Word], entities: list[Entity]) -> list[tuple[int, int]]:
    ranges = []
    for e in entities:
        idx = [k for k, w in enumerate(words) if w.start < e.end and w.end > e.start]
        if idx:
            ranges.append((idx[0], idx[-1]))
    return sorted(ranges)


def extract_threats(text: str, field: str = "content", entities: list[Entity] | None = None) -> list[ThreatStatement]:
    """Threat statements in `text`; every span is `text[start:end]` of the original field."""
    out: list[ThreatStatement] = []
    for sent in split_sentences(text):
        if not _may_hold_threat(sent.text):
            continue
        words = words_of(sent.text, sent.start)
        sent_entities = [e for e in (entities or []) if e.start >= sent.start and e.end <= sent.end]
        ranges = _entity_token_ranges(words, sent_entities)
        entity_tokens = {k for a, b in ranges for k in range(a, b + 1)}
        sentence_norm = normalize(sent.text)
        for trig in find_triggers(words, entity_tokens):
            if _rejection(words, trig, entity_tokens, sentence_norm) is None:
                out.append(_statement(words, trig, text, field, sent.start, sent.end, ranges, entity_tokens))
                break
    return out


# Cheap pre-filter on the raw sentence (diacritics may sit inside a word, hence the optional marks).
_M = "[\u064b-\u0652\u0640]*"
_CHEAP_CUES = re.compile(
    "|".join(
        _M.join(cue)
        for cue in ("هدد", "تهديد", "توعد", "وعيد", "لوح", "تلويح", "مهل", "نذر", "نذار", "حذر", "تحذير", "سترد", "سيرد",
                    "سنرد", "ترد ب", "يرد ب", "نرد ب", "دفع", "ندم", "واجه", "ستهدف", "سيضرب", "ستضرب", "سيقصف",
                    "ستقصف", "سيهاجم", "ستهاجم", "واصل", "مكتوف", "لن تمر", "لن يمر", "وإلا", "والا", "للرد", "ستخدم")
    )
)


def _may_hold_threat(sentence: str) -> bool:
    """Most sentences hold no cue at all and skip tokenisation."""
    return _CHEAP_CUES.search(sentence) is not None
