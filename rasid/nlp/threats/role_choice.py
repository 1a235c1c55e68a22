"""The learned role selector: of the spans that could be a threat's actor (or target), which one is.

The hand rules of `roles.py` give one answer each; on fresh text they miss the target about a third of the time,
mostly by picking a neighbouring noun phrase. Here every plausible span competes: the rules' picks, each named
entity of the sentence, the noun phrases right before and after the trigger, the phrase after each preposition that
follows the trigger (على، ضد، من، إلى، لـ…), the reported speaker and the clause subject. Each span is described by
sparse binary features (where it came from, its side of and distance to the trigger, the word before it, its
entity label, whether it sits inside the act, the condition or a quote, …) and a logistic regression per role
scores it; the best-scoring span wins. The weights ship as `model/threat_roles.json` (trained with the decision
layer by `rasid threats train`); without them, or without any candidate, the rules' answer stands.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rasid.nlp.analyzer import STOPWORDS
from rasid.nlp.threats import lexicon as lx
from rasid.nlp.threats.features import agency, first_person, past_verb
from rasid.nlp.threats.kinds import SPOKEN_THREATS, THREAT_VERBS
from rasid.nlp.threats.phrases import (
    COMPLEMENTIZERS,
    PRONOUN_ONLY,
    QUOTES,
    TARGET_PREPOSITIONS,
    Mention,
    is_b_complement,
    is_pronoun,
    np_after,
    np_before,
    opens_with_verb,
    verb_like,
)
from rasid.nlp.threats.roles import (
    TITLES,
    Roles,
    adjective_of,
    describes_a_threat,
    clause_subject,
    discourse_side,
    in_circumstance,
    is_purpose,
    issuer,
    names_a_time,
    speaker_of,
)
from rasid.nlp.threats.words import Word

ROLES_MODEL_PATH = Path(__file__).parent / "model" / "threat_roles.json"
FORMAT = "rasid-threat-roles/1"
Range = tuple[int, int]
# Prepositions (alone or as a word's proclitic) whose object may be the one threatened.
_OBJECT_PREPOSITIONS = frozenset(("من", "الي", "الى", "في", "بحق", "تجاه", "ازاء", "امام", "عن", "مع", "لدي", "حيال"))
_CLAUSE_OPENERS = frozenset(("اذا", "لو", "حال", "بحال", "والا"))
_LEAD_ROOM = 25  # words after the trigger searched for prepositional phrases
# Heads of phrases that say when or where ("خلال أسبوع"، "في المنطقة"), not who.
_WHEN_WHERE = frozenset(["اسبوع", "اسابيع", "ساعه", "ساعات", "يوما", "ايام", "شهر", "اشهر", "سنه", "سنوات", "دقيقه", "فتره", "وقت", "مرحله", "منطقه", "مناطق", "مدينه", "سوق", "بيان", "تصريح", "تصريحات", "مقابله", "خطاب", "كلمه", "مؤتمر", "تغريده", "جلسه", "اجتماع", "لقاء"])


@dataclass(frozen=True, slots=True)
class RoleModel:
    weights: dict[str, dict[str, float]]  # role -> feature -> weight
    bias: dict[str, float]
    # role -> probability below which the best span is no better than the rules' answer (often none)
    min_probability: dict[str, float] = field(default_factory=lambda: {"actor": 0.2, "target": 0.2})

    def score(self, role: str, features: list[str]) -> float:
        w = self.weights[role]
        z = self.bias[role] + sum(w.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self, **meta: object) -> str:
        body = {"format": FORMAT, **meta, "bias": {r: round(b, 6) for r, b in sorted(self.bias.items())},
                "min_probability": dict(sorted(self.min_probability.items())),
                "weights": {r: {k: round(v, 5) for k, v in sorted(ws.items()) if abs(v) >= 1e-5}
                            for r, ws in sorted(self.weights.items())}}
        return json.dumps(body, ensure_ascii=False, indent=0)


def load_role_model(path: Path) -> RoleModel:
    body = json.loads(path.read_text(encoding="utf-8"))
    if body.get("format") != FORMAT:
        raise ValueError(f"{path}: not a threat role model")
    return RoleModel({r: {k: float(v) for k, v in ws.items()} for r, ws in body["weights"].items()},
                     {r: float(b) for r, b in body["bias"].items()},
                     {r: float(p) for r, p in body["min_probability"].items()})


@lru_cache(maxsize=1)
def default_role_model() -> RoleModel | None:
    return load_role_model(ROLES_MODEL_PATH) if ROLES_MODEL_PATH.exists() else None


@dataclass(frozen=True, slots=True)
class Situation:
    """One threat as the selector sees it: the sentence's words, entities, trigger, act, condition and the rules' roles."""

    words: list[Word]
    mentions: list[Mention]
    entity_tokens: set[int]
    kind: str
    first: int
    last: int
    action: Range | None
    condition: Range | None
    rules: Roles


def word_range(words: list[Word], span: tuple[int, int] | None) -> Range | None:
    """Character offsets as the word range they cover."""
    if span is None:
        return None
    idx = [k for k, w in enumerate(words) if w.start < span[1] and w.end > span[0]]
    return (idx[0], idx[-1]) if idx else None


def _key(word: Word) -> str:
    base = word.bases[-1] if word.has_conjunction or len(word.bases) > 1 else word.norm
    return base.removeprefix("ال") if len(base) > 4 else base


def _bucket(n: int) -> str:
    return str(n) if n <= 2 else "3-4" if n <= 4 else "5-8" if n <= 8 else "9-15" if n <= 15 else "16+"


# Words that name no party alone: how often, "others", a preposition carrying a pronoun (a bare pronoun is no target
# by the annotation guidelines), "but it", an adverb ("سيدمر كوريا الشمالية تماما"); and the heads of a manner,
# extent or "when" phrase.
_ADVERBS = frozenset("تماما فورا قريبا حتما مجددا ابدا".split())
_NO_PARTY = frozenset("مره مرات عده غيرها غيره غيرهم عليه عليها عليهم اليه اليها اليهم منه منها منهم فيه فيها له لها لهم"
                      " لكنه لكنها لكنهم".split())
_OTHERS = frozenset("غيرها غيره غيرهم".split())
_MANNER_HEADS = frozenset("شكل بشكل حد بحد حال بحال".split())
_DETERMINERS = lx.ALL_OF | {"اي"}
_PROTECTIVE = ("لحمايه", "للحمايه", "للدفاع", "لصون", "لحفظ", "لضمان")
_ADDRESSING = frozenset("مخاطبا مخاطبه مخاطبين".split())


def _no_party_word(w: Word) -> bool:
    # "فيها" reads as ف + "يها" once its conjunction is taken off: the whole word is tried too
    return w.norm in _NO_PARTY or w.without_conjunction in _NO_PARTY


def names_no_one(words: list[Word], span: Range) -> bool:
    """Function words alone ("ولم"، "فيه"، "بين") cannot threaten or be threatened, nor can a purpose ("لحماية مصالحها"),
    "أكثر" of "أكثر من مرة", how often ("عدة مرات"), "and others" or a verb's object pronoun at a span's end ("وغيرها"،
    "ويسئن إليها"), an adverb ("تماما"), a manner ("في شكل مختلف"), a time ("عام 1996") or the side of a discourse opener ("من جهة ثانية"،
    "من ناحية أخرى"، "ومن جانبه"). Used on the candidates and on the pick."""
    if all(w.is_punct or w.norm in STOPWORDS or w.norm in lx.FUNCTION_WORDS for w in words[span[0] : span[1] + 1]):
        return True
    if is_purpose(words[span[0]]):
        return True  # "ستتخذ … لحماية مصالحها التنموية": a purpose
    if span[0] == span[1] and words[span[0]].norm in ("اكثر", "اقل"):
        return True  # "هددت أكثر من مرة": how often
    idx = [k for k in range(span[0], span[1] + 1) if not words[k].is_punct]
    content = [words[k] for k in idx]
    if content and all(_no_party_word(w) or w.without_conjunction in _ADVERBS for w in content):
        return True  # "هددت عدة مرات"، "وعليه"، "تماما": how often, a pronoun, how
    if content and _no_party_word(content[-1]) and (
            content[-1].without_conjunction in _OTHERS or (len(idx) > 1 and verb_like(words, idx[-2], set()))):
        return True  # "سيدمر وسيقصف وغيرها"، "ويسئن إليها": others, a verb with its object (but "الجزر المتنازع عليها")
    if content and (content[0].norm in _MANNER_HEADS or content[0].without_conjunction in _MANNER_HEADS):
        return True  # "فسنرد في شكل مختلف"، "إلى حد الوصول إلى …": how, how far, "(في) حال اتخاذ …": when
    if names_a_time(words, span):
        return True  # "عام 1996"
    return discourse_side(words, span)


def _names_a_threat(words: list[Word], span: Range) -> bool:
    """"التهديدات"، "عواقب": a threat or its consequences does not threaten (as a target it may be what is answered)."""
    content = [w.without_conjunction for w in words[span[0] : span[1] + 1] if not w.is_punct]
    return bool(content) and all(lx.THREAT_NOUN_FORMS.match(w) or lx.CONSEQUENCES.match(w) for w in content)


def _names_a_measure(words: list[Word], span: Range) -> bool:
    """A span headed by a measure ("كافة الإجراءات القانونية"، "فرض رسوم") is the threatened act. (Checked on the pick, not
    on the candidates: without them the model's next best is as often no party either.)"""
    content = [w.without_conjunction for w in words[span[0] : span[1] + 1] if not w.is_punct]
    head = next((w for w in content if w not in _DETERMINERS), None)
    return head is not None and bool(lx.MEASURE_NOUNS.match(head))


def _loose_purpose(word: Word, in_entity: bool) -> bool:
    """A لـ-word the verbal-noun test misses ("لمتابعة"، "لمحاسبة"): not a name, particle ("لا"، "لن") or adjective
    ("ليبية")."""
    norm = word.norm
    return (norm.startswith("ل") and not norm.startswith(("ال", "لل")) and len(norm) >= 5 and not in_entity
            and norm not in lx.NEGATORS and norm not in STOPWORDS and norm not in lx.FUNCTION_WORDS
            and not norm.endswith(("يه", "ي", "يين", "يون")))


def _party_in_measure(s: Situation, picked: Range) -> tuple[int, int] | None:
    """Who a measure-headed span names: what follows its purpose ("كل الخطوات الضرورية لمواجهة | السلوك الإيراني"), else
    its last name ("فرض رسوم على | الصين"), else no one."""
    words = s.words
    purpose = next((k for k in range(picked[0] + 1, picked[1])
                    if is_purpose(words[k]) or _loose_purpose(words[k], k in s.entity_tokens)), None)
    if purpose is not None:  # what is protected ("لحماية مصالحها") is no target
        protective = any(words[purpose].norm.startswith(p) for p in _PROTECTIVE)
        return None if protective else (words[purpose + 1].start, words[picked[1]].end)
    named = [m for m in s.mentions if picked[0] <= m.first and m.last <= picked[1] and m.label != "MISC"]
    return (words[named[-1].first].start, words[named[-1].last].end) if named else None


def candidate_spans(s: Situation) -> dict[Range, list[str]]:
    """Every span that may fill a role, with the sources that proposed it."""
    words, first, last = s.words, s.first, s.last
    out: dict[Range, list[str]] = {}

    def add(span: Range | None, source: str) -> None:
        if span is None or span[1] < span[0] or (span[0] <= last and first <= span[1]):
            return  # no span, or one overlapping the trigger
        if names_no_one(words, span) or words[span[0]].norm in lx.MULTIPLES:
            return
        if span[0] == span[1] and span[0] not in s.entity_tokens and (
                describes_a_threat(words[span[0]].norm) or adjective_of(words, last, span[0], s.entity_tokens)):
            return  # "تهديد مبطن"، "تهديدات أردوغان المتكررة": how the threat is made, not who
        if in_circumstance(words, span, (first, last), s.entity_tokens):
            return  # "خلال حفل انتخابي بمحافظة النجف": where it was said
        if words[span[0]].norm.startswith("ب") and span[0] not in s.entity_tokens and is_b_complement(words, span[0], s.entity_tokens):
            return  # "بكل قوة"، "بفرض رسوم": a manner or the act itself names no one (its object is a candidate of its own)
        out.setdefault(span, []).append(source)

    add(word_range(words, s.rules.actor), "rule_actor")
    add(word_range(words, s.rules.target), "rule_target")
    add(word_range(words, s.rules.reported_by), "rule_reporter")
    for m in s.mentions:
        add((m.first, m.last), f"entity_{m.label}")
    add(np_before(words, first, 5), "np_before")
    if last + 1 < len(words):
        add(np_after(words, last + 1, 8, s.entity_tokens), "np_after")
    for k in range(last + 1, min(len(words) - 1, last + _LEAD_ROOM)):
        norm = words[k].norm
        if norm in TARGET_PREPOSITIONS or norm in _OBJECT_PREPOSITIONS:
            add(np_after(words, k + 1, 6, s.entity_tokens, stop_at_b=False), f"after_prep={norm}")
        elif norm.startswith("ل") and not norm.startswith("ال") and len(norm) > 3:
            add(np_after(words, k, 6, s.entity_tokens, stop_at_b=False), "lam_phrase")
    add(speaker_of(words, first, s.mentions, s.entity_tokens), "speaker")
    add(_headline_speaker(words, first), "headline_speaker")
    add(clause_subject(words, first, s.mentions, s.entity_tokens), "clause_subject")
    add(issuer(words, first, s.mentions), "issuer")
    # VSO: the object after the subject ("حذر صالحي الرئيسَ الأميركي"، "هدد روحاني واشنطنَ")
    subject_end = next((m.last for m in s.mentions if m.first == last + 1), None)
    rule_actor = word_range(words, s.rules.actor)
    if subject_end is None and rule_actor is not None and rule_actor[0] > last:
        subject_end = rule_actor[1]
    if subject_end is not None:
        k = subject_end + 1
        while k < len(words) and words[k].norm in ("،", ","):
            k += 1
        if k < len(words):
            add(np_after(words, k, 6, s.entity_tokens), "after_subject")
    # the object of the threatened act's verbal noun ("بمحاربة الأكراد"، "بإعدام ستة أشخاص")
    if s.action is not None and s.action[0] + 1 < len(words):
        add(np_after(words, s.action[0] + 1, 6, s.entity_tokens, stop_at_b=False), "act_object")
    # the subject of a clause after the trigger: "بأن المجموعات الموالية … ستكون"، "إن تخلى ترامب"، "إذا استمرت السلطة"
    for k in range(last + 1, min(len(words) - 1, last + _LEAD_ROOM)):
        norm = words[k].norm
        if norm in COMPLEMENTIZERS or norm in _CLAUSE_OPENERS:
            j = k + 1
            while j < len(words) and words[j].norm in ("لم", "ما", "حال", "حاله"):
                j += 1
            source = f"clause_after={'cond' if norm in _CLAUSE_OPENERS else 'that'}"
            named = next((m for m in s.mentions if j <= m.first <= j + 2), None)
            if named is not None:
                add((named.first, named.last), source)  # "إذا انسحبت منه أميركا": the name after the verb
                continue
            if j < len(words) and verb_like(words, j, s.entity_tokens):
                j += 1
            if j < len(words):
                add(np_after(words, j, 6, s.entity_tokens), source)
    return out


def span_features(s: Situation, span: Range, sources: list[str], role: str) -> list[str]:
    """The features of `span` as a candidate for `role` (a bag: order does not matter)."""
    return shared_span_features(s, span, sources) + role_span_features(s, span, role)


def role_span_features(s: Situation, span: Range, role: str) -> list[str]:
    """The features of `span` that depend on the role it is a candidate for."""
    other = s.rules.target if role == "actor" else s.rules.actor
    other_range = word_range(s.words, other)
    if other_range is not None and span[0] <= other_range[1] and other_range[0] <= span[1]:
        return ["overlaps_other_rule_role"]
    return []


def shared_span_features(s: Situation, span: Range, sources: list[str]) -> list[str]:
    """The features of `span` whichever role it is a candidate for: worked out once for both."""
    words, first, last = s.words, s.first, s.last
    a, b = span
    after = a > last
    side = "after" if after else "before"
    dist = a - last - 1 if after else first - b - 1
    trig = words[first]
    base = trig.without_conjunction
    shape = "part" if base.startswith("م") else "noun" if base.startswith(("ت", "الت", "انذار", "مهله", "وعيد")) else \
        "fut" if base.startswith(("س",)) else "verb"
    f = [f"side={side}", f"dist={_bucket(dist)}", f"side_dist={side}|{_bucket(dist)}", f"kind_side={s.kind}|{side}",
         f"shape_side={shape}|{side}", f"shape_side_dist={shape}|{side}|{_bucket(dist)}", f"len={_bucket(b - a + 1)}",
         f"n_sources={min(len(sources), 4)}"]
    f.extend(f"src={x}" for x in sources)
    f.extend(f"src_side={x}|{side}" for x in sources)
    f.extend(f"kind_src={s.kind}|{x}" for x in sources)  # "ستطرد المسلحين": a commitment's object is its target
    labels = [m.label for m in s.mentions if a <= m.first <= b]
    exact = any(m.first == a and m.last == b for m in s.mentions)
    f.append(f"ent={labels[0] if labels else 'none'}")
    f.append(f"ent_side={labels[0] if labels else 'none'}|{side}")
    if exact:
        f.append("ent_exact")
    if labels and not any(m.first == a for m in s.mentions):
        f.append("ent_inside")
    # the entity's rank on its side (the first name after a verb is its subject, the second its object)
    side_mentions = [m for m in s.mentions if (m.first > last if after else m.last < first)]
    if not after:
        side_mentions = side_mentions[::-1]
    rank = next((r for r, m in enumerate(side_mentions) if a <= m.first <= b), None)
    if rank is not None:
        f.append(f"ent_rank={side}|{min(rank, 3)}")
    head = words[a]
    f.append(f"head={_key(head)}")
    f.append(f"agency={agency(words, span, s.mentions)}")
    f.append(f"agency_side={agency(words, span, s.mentions)}|{side}")
    if verb_like(words, a, s.entity_tokens):
        f.append("head_verb_like")
    if any(verb_like(words, k, s.entity_tokens) for k in range(a + 1, b + 1)):
        f.append("inner_verb_like")  # "سيارة الشرطيات واجهوا": the span runs into the next clause
    starting = next((m for m in s.mentions if m.first == a), None)
    if starting is not None and starting.last < b:
        f.append("entity_then_more")  # "بكين تعريفة إضافية": a subject and its verb's object run together
    if any(b in lx.TIME_WORDS or b.removeprefix("ال") in _WHEN_WHERE for x in words[a : b + 1] for b in x.bases) \
            or any(x.norm.isdigit() for x in words[a : b + 1]):
        f.append("time_or_place_word")  # "في أقل من أسبوع"، "في سوق الانتقالات": when or where, not whom
    if head.norm.startswith("ال") or a in s.entity_tokens:
        f.append("definite_head")
    if head.norm in TITLES or head.bases[-1] in TITLES:
        f.append("head_title")
    if is_pronoun(words, span):
        f.append("pronoun")
    if head.norm.startswith("ل") and not head.norm.startswith("ال"):
        f.append("lam_prefix")
    if head.norm.startswith("ب") and a not in s.entity_tokens:
        f.append("b_prefix")
    if head.has_conjunction:
        f.append("conj_prefix")
    prev = words[a - 1] if a else None
    f.append(f"prev={_key(prev) if prev is not None else '^'}")
    f.append(f"prev_side={_key(prev) if prev is not None else '^'}|{side}")
    if prev is not None and lx.REPORTING_VERBS.match(prev.bases[-1]):
        f.append("after_reporting_verb")
    nxt = words[b + 1] if b + 1 < len(words) else None
    if nxt is not None and lx.REPORTING_VERBS.match(nxt.bases[-1]):
        f.append("before_reporting_verb")
    if nxt is not None and b + 1 == first:
        f.append("right_before_trigger")
    if after and a == last + 1:
        f.append("right_after_trigger")
    if s.action is not None:
        where = "in" if s.action[0] <= a and b <= s.action[1] else "before" if b < s.action[0] else "after" if a > s.action[1] else "cross"
        f.append(f"action={where}")
        f.append(f"action_prev={where}|{_key(prev) if prev is not None else '^'}")
    else:
        f.append("action=none")
    if s.condition is not None and s.condition[0] <= a <= s.condition[1]:
        f.append("in_condition")
    quotes = sum(ch in QUOTES for x in words[:a] for ch in x.text)
    if quotes % 2 == 1:
        f.append("in_quote")
    lo, hi = (last + 1, a) if after else (b + 1, first)
    between = words[lo:hi]
    commas = sum(x.norm in ("،", ",") for x in between)
    f.append(f"commas={min(commas, 2)}")
    if any(x.norm in (".", ":", "؛") for x in between):
        f.append("stop_between")
    if any(verb_like(words, k, s.entity_tokens) for k in range(lo, hi)):
        f.append("verb_between")
    if any(x.norm in ("ان", "انه", "انها", "بان", "بانه", "بانها", "فان") for x in between):
        f.append("complementizer_between")
    if trig.norm.endswith(("ه", "ها", "هم", "نا")) and (s.kind in SPOKEN_THREATS or s.kind == "ultimatum"):
        f.append(f"trigger_object_pronoun|{side}")
    if a == next((k for k, w in enumerate(words) if not w.is_punct), -1):
        f.append("sentence_initial")
    if first_person(words, first, last, s.kind):
        f.extend(f"first_person|{x}" for x in sources)  # "قال ترامب: لن نسمح…": the speaker threatens
        f.append(f"first_person|{side}")
    return f


def _headline_speaker(words: list[Word], first: int) -> Range | None:
    """"فرنسا: إذا تجاوز الأسد … سنضرب": the name before a colon that opens the sentence speaks what follows."""
    colon = next((k for k in range(min(first, 6)) if words[k].norm == ":"), None)
    if colon is None or colon == 0 or any(w.is_punct for w in words[:colon]):
        return None
    return (0, colon - 1)


def choose_roles(s: Situation, model: RoleModel) -> Roles:
    """The rules' roles with actor and target replaced by the model's best span where it is confident enough.

    Actor and target never overlap: the role that scores the contested span higher keeps it, the other takes its
    best span clear of it (or the rules' answer, if that is clear of it, or none).
    """
    spans = candidate_spans(s)
    shared = {sp: shared_span_features(s, sp, sources) for sp, sources in spans.items()}
    ranked: dict[str, list[tuple[float, Range]]] = {}
    possessed = _possessive_noun(s)
    for role in ("actor", "target"):
        # "صعد ترامب تهديداته … تجاه الصين": a threat noun with a possessive names its author before it
        allowed = [sp for sp in spans if not (role == "actor" and possessed and sp[0] > s.last)]
        scored = sorted(((model.score(role, shared[sp] + role_span_features(s, sp, role)), -sp[0], sp) for sp in allowed),
                        reverse=True)
        ranked[role] = [(p, sp) for p, _, sp in scored if p >= model.min_probability[role]]
    chars = lambda r: (s.words[r[0]].start, s.words[r[1]].end)
    best = {role: ranked[role][0] if ranked[role] else None for role in ranked}
    chosen = {role: _widened(chars(b[1]), getattr(s.rules, role)) if b is not None else getattr(s.rules, role)
              for role, b in best.items()}
    if chosen["actor"] is not None and chosen["target"] is not None and _touch(chosen["actor"], chosen["target"]):
        a, t = best["actor"], best["target"]
        keeper = "actor" if a is not None and (t is None or a[0] >= t[0]) else "target"
        loser = "target" if keeper == "actor" else "actor"
        kept = chosen[keeper]
        assert kept is not None
        clear = next((chars(sp) for _, sp in ranked[loser] if not _touch(chars(sp), kept)), None)
        fallback = getattr(s.rules, loser)
        chosen[loser] = clear or (fallback if fallback is not None and not _touch(fallback, kept) else None)
    for role, span in chosen.items():  # the rules' answer, where the model had none, may be such a span too
        picked = word_range(s.words, span)
        if picked is not None and role == "actor" and _in_earlier_complement(s, picked):
            chosen[role] = picked = None  # "اعتبر أن الصواريخ الإيرانية … كانت طائشة، وتوعد": what he said, not who vows
        if picked is not None and role == "actor" and (s.words[picked[0]].without_conjunction in _ADDRESSING
                                                       or _names_a_threat(s.words, picked)):
            chosen[role] = picked = None  # "وقال مخاطبا ترامب: … ستندم": whom the speaker addresses; "التهديدات"
        if picked is not None and _names_a_measure(s.words, picked):
            # "جميع الإجراءات الكفيلة"، "فرض رسوم جمركية إضافية": the act, not a party; as a target, the party it is
            # for, if it names one (as an actor, "فرض رسوم على الصين" would make China the imposer)
            chosen[role] = span = _party_in_measure(s, picked) if role == "target" else None
            picked = word_range(s.words, span)
        if picked is not None and role == "actor" and s.kind == "or_else" and _in_demand(s, picked):
            chosen[role] = picked = None  # "عليهم (المكسيك) وقف التدفق … وإلا سأضع حدا": the demand is no one's threat
        if picked is not None and (names_no_one(s.words, picked) or is_pronoun(s.words, picked, personal=True)
                                   or in_circumstance(s.words, picked, (s.first, s.last), s.entity_tokens)):
            chosen[role] = None
        elif picked is not None and role == "actor":  # a target may be a verb's clause: "من يعلنون الحرب"
            chosen[role] = _without_leading_verb(s, picked, span)
            picked = word_range(s.words, chosen[role])
            if picked is not None and chosen[role] is not None:
                chosen[role] = _before_own_clause(s, picked, chosen[role])
        elif picked is not None and span is not None:  # "الحوثيين | سيفجرونها"، "إيران | بلف حبل مشنقة الإرهاب"
            chosen[role] = _before_own_clause(s, picked, span)
    actor, target = (_without_trailing_adverb(s, chosen[role]) for role in ("actor", "target"))
    reported = s.rules.reported_by if s.rules.reported_by != actor else None
    return Roles(actor, target, reported)


def _without_trailing_adverb(s: Situation, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """"سيدمر كوريا الشمالية | تماما": an adverb after the party is how, not who."""
    picked = word_range(s.words, span)
    if span is None or picked is None:
        return span
    last = picked[1]
    if s.words[last].without_conjunction not in _ADVERBS:
        return span
    while last > picked[0] and (s.words[last].is_punct or s.words[last].without_conjunction in _ADVERBS):
        last -= 1
    return span[0], s.words[last].end


def _possessive_noun(s: Situation) -> bool:
    """The trigger is the threat noun with a possessive pronoun (تهديده، تهديداتها)."""
    trig = s.words[s.first]
    base = trig.without_conjunction
    return s.kind == "noun" and base.endswith(("ه", "ها", "هم"))


def _without_leading_verb(s: Situation, picked: Range, span: tuple[int, int]) -> tuple[int, int] | None:
    """A span that starts with the clause's verb ("صعدت الرئيس الأمريكي دونالد ترامب"، "وتعهد الأسد") loses it; a
    span that is only a verb ("وأضاف") names no one."""
    first, last = picked
    while first <= last and opens_with_verb(s.words, first, s.entity_tokens, TITLES) and (
            first == last or _subject_starts(s, first + 1)):
        first += 1
    if first > last:
        return None
    return span if first == picked[0] else (s.words[first].start, span[1])


# A speaker's name ends before his speech: "واختتم نتنياهو | كلمته قائلا"، "الوزير | في خطابه".
_OWN_SPEECH = frozenset("كلمته كلمتها خطابه خطابها حديثه حديثها".split())


def _before_own_clause(s: Situation, picked: Range, span: tuple[int, int]) -> tuple[int, int]:
    """An actor ends before his own speech or verb: "نتنياهو | كلمته قائلا"، "جابر | يقوم بتهديد الصحافيين"; so does a
    target named before what it does or what is done to it ("الحوثيين | سيفجرونها")."""
    words = s.words
    for k in range(picked[0] + 1, picked[1] + 1):
        speech = words[k].norm in _OWN_SPEECH or lx.REPORTING_VERBS.match(words[k].norm)
        after_head = k - 1 in s.entity_tokens or words[k - 1].norm.startswith("ال") or words[k - 1].norm in PRONOUN_ONLY
        verb = after_head and (opens_with_verb(words, k, s.entity_tokens, TITLES) or _future_verb(words, k, s.entity_tokens))
        act = after_head and k not in s.entity_tokens and is_b_complement(words, k, s.entity_tokens)
        if speech or verb or act:  # "التنظيم المتطرف | بإعدام ستة أشخاص": the act is no part of who
            end = k - 1
            while end > picked[0] and words[end].is_punct:
                end -= 1
            return span[0], words[end].end
    return span


def _future_verb(words: list[Word], k: int, entity_tokens: set[int]) -> bool:
    """"ستعلن"، "سيفرض": the future prefix before an imperfect ("بلاده | ستعلن")."""
    norm = words[k].without_conjunction
    return k not in entity_tokens and len(norm) >= 5 and norm[0] == "س" and norm[1] in "يتن" \
        and not norm.endswith(("ه", "ات", "يه", "ين"))


def _in_earlier_complement(s: Situation, span: Range) -> bool:
    """A past threat verb joined by "و" after a comma ("…، وتوعد") shares the subject of the past verb before it, not that
    of the complement clause in between ("اعتبر أن الصواريخ الإيرانية … كانت "طائشة"، وتوعد"): the span lies between that
    clause's "أن" and the comma. A future verb goes on with the complement ("أن بريطانيا ستقاطع …، وستطرد")."""
    words, first = s.words, s.first
    joined = words[first].has_conjunction and first >= 2 and words[first - 1].norm in ("،", ",")
    if not joined or s.kind not in THREAT_VERBS or not past_verb(words[first]) or span[1] >= first:
        return False
    for k in range(first - 2, max(-1, first - 25), -1):
        if words[k].norm in (".", ":", "؛"):
            return False
        if words[k].norm in COMPLEMENTIZERS and k > 0 and not words[k - 1].is_punct:
            return span[0] > k
    return False


def _in_demand(s: Situation, picked: Range) -> bool:
    """The span lies in the quoted demand an "وإلا" closes, back to the quote or colon that opens it, or to the sentence
    start when the sentence ends a quote opened earlier: whoever is named there is asked to act, and whoever threatens is
    outside ("عليهم (المكسيك) وقف التدفق … وإلا"، "لا تحاول أبدا تهديد الولايات المتحدة مرة أخرى، وإلا ستعاني"").
    A reported "أن" clause is no such demand."""
    if picked[1] >= s.first:
        return False
    words = s.words
    opening = next((k for k in range(s.first - 1, -1, -1) if words[k].norm in QUOTES or words[k].norm == ":"), None)
    if opening is None:
        if sum(ch in QUOTES for w in words[s.last + 1 :] for ch in w.text) % 2 == 0:
            return False  # no quote or colon opens the demand here
        opening = -1  # inside a quote opened in an earlier sentence
    return picked[0] > opening


def _subject_starts(s: Situation, k: int) -> bool:
    """Word k can open a subject: a name, a title, or a definite noun."""
    w = s.words[k]
    return k in s.entity_tokens or w.norm in TITLES or w.norm.startswith("ال") or w.text.startswith("#")


def _widened(pick: tuple[int, int], rule: tuple[int, int] | None) -> tuple[int, int]:
    """The rules' span when it holds the pick: "الرئيس التركي، رجب طيب #أردوغان" rather than the name inside it."""
    return rule if rule is not None and rule[0] <= pick[0] and pick[1] <= rule[1] else pick


def _touch(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
