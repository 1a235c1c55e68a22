"""Who a threat's actor and target are, as the names analysts filter and aggregate on.

A role span is what the sentence says ("الرئيس الأمريكي دونالد ترامب", "وموسكو", "لقادة حماس"); a "threats by actor"
panel over raw spans splits one party into as many buckets as there are ways to write it. The name of a role is the
aggregation key (`Entity.normalized`) of the entities inside its span, so that it agrees with the article's
`entities.*` fields: persons when the span names one (a title before the name is not the actor), else
organisations and places, else other names ("الاميركية"). A span that names no entity is resolved against the
article's persons when it is one of their names ("ترامب" the tagger missed, where "دونالد ترامب" is named) or the
title one of them is named with ("الرئيس الأمريكي", where "الرئيس الأمريكي دونالد ترامب" is written); else it is
keyed by its own text, spelled the same way, without quotes, a hashtag's marks or a leading clitic that ends in the
article ("والقرارات" -> "القرارات", "#وزارة_التجارة" -> "وزارة التجارة").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rasid.nlp.clitics import strip_proclitics
from rasid.nlp.ner import name_key
from rasid.nlp.ner.mentions import NAME_PARTICLES, PATRONYMIC, unify_spelling
from rasid.records import Entity, ThreatStatement
from rasid.records.threat import Span

_MARKS = "\"'«»“”„()#"
# Most specific first: a person named in a span is the party, a place in the same span is where he is from.
_PREFERENCE: tuple[tuple[str, ...], ...] = (("PER",), ("ORG", "LOC"), ("MISC",))
_TITLE_GAP = " ،,"  # between a title and the name it introduces ("الرئيس الأمريكي، دونالد ترامب")
# Words that make a title someone else's: "نائب الرئيس الأمريكي"، "مستشار الرئيس"
_TITLED_BY = frozenset(unify_spelling(word) for word in
                       ("نائب نائبة مستشار مستشارة مساعد مساعدة زوجة ابن ابنة نجل وزير وزيرة سفير سفيرة مبعوث مبعوثة "
                        "متحدث متحدثة المتحدث المتحدثة باسم بلسان الناطق الناطقة ممثل ممثلة مندوب مدير مديرة رئيس "
                        "رئيسة زعيم زعيمة قائد أمين عضو وزراء حكومة في")
                       .split())
# A title resolves to a person only if it is a person's title ("الرئيس التركي"), not a body ("الجيش الإسرائيلي",
# "الحكومة البريطانية") that a person's title may end with
_PERSON_TITLES = frozenset(unify_spelling(word) for word in
                           ("الرئيس رئيس رئيسة الرئيسة وزير وزيرة الوزير الوزيرة الملك ملك الأمير أمير المستشار "
                            "المستشارة مستشار زعيم زعيمة الزعيم المرشد العاهل ولي نائب السفير سفير الناطق المتحدث "
                            "المتحدثة قائد القائد الأمين المبعوث مبعوث").split())
_TITLE_WORDS = 4
_RELATIONS = frozenset(unify_spelling(word) for word in "بين في من على علي عن مع إلى الى".split())


def role_names(span: Span | None, entities: Sequence[Entity], field: str | None = None,
               texts: Mapping[str, str] | None = None) -> list[str]:
    """The aggregation keys of the party a role span names (empty for no span). `entities`: those of the article (or
    of the field); only those of `field` can lie inside the span. `texts`: each field's text, to read the titles
    persons are named with."""
    if span is None:
        return []
    inside = sorted((e for e in entities if (field is None or e.field == field)
                     and e.start < span.end and e.end > span.start), key=lambda e: e.start)
    for labels in _PREFERENCE:
        named = _head_and_coordinated([e for e in inside if e.label in labels], span)
        if named:
            return list(dict.fromkeys(_key(e) for e in named))
    own = _own_key(span.text)
    if not own:
        return []
    persons = [e for e in entities if e.label == "PER"]
    person = _person_named(own, persons) or _person_titled(own, persons, texts or {})
    return [person or own]


def _key(entity: Entity) -> str:
    return entity.normalized or name_key(entity.text)


def _person_named(own: str, persons: Sequence[Entity]) -> str | None:
    """The full name a one-word span is the family name of ("ترامب" -> "دونالد ترامب"), if exactly one."""
    if " " in own or unify_spelling(own) in NAME_PARTICLES:
        return None
    full = {_key(e) for e in persons if " " in _key(e) and _key(e).split()[-1] == own
            and unify_spelling(_key(e).split()[-2]) not in PATRONYMIC}  # "محمد بن سلمان" is not "سلمان"
    return full.pop() if len(full) == 1 else None


def _person_titled(own: str, persons: Sequence[Entity], texts: Mapping[str, str]) -> str | None:
    """The person a title phrase introduces elsewhere in the article ("الرئيس الأمريكي" -> "دونالد ترامب"), if one."""
    title = unify_spelling(own)
    words = title.split()
    if not 1 < len(words) <= _TITLE_WORDS or words[0] not in _PERSON_TITLES \
            or any(w in _RELATIONS or w.startswith("لل") for w in words[1:]):
        # "الرئيس" alone may be anyone's; "مستشار الأمن القومي للرئيس الأمريكي" is not the president, nor is "القمة
        # المرتقبة بين الزعيم الكوري الشمالي" its leader
        return None
    introduces = re.compile(rf"(?:^|\s)و?{re.escape(title)}[{_TITLE_GAP}]*$")
    named = set()
    for e in persons:
        before = unify_spelling(texts.get(e.field, "")[max(0, e.start - len(own) - 24) : e.start])
        m = introduces.search(before)
        previous = before[: m.start()].split()[-1:] if m else []
        if m and not (previous and previous[0].removeprefix("و") in _TITLED_BY):  # not "نائب الرئيس … مايك بنس"
            named.add(_key(e))
    return named.pop() if len(named) == 1 else None


def _head_and_coordinated(named: list[Entity], span: Span) -> list[Entity]:
    """The first name, and those joined to it by و ("المكسيك والصين والبرازيل"): not a name further in an apposition
    ("جون بولتون، مستشار الأمن القومي للرئيس الأمريكي دونالد ترامب" is Bolton)."""
    out = named[:1]
    for previous, entity in zip(named, named[1:]):
        gap = span.text[max(0, previous.end - span.start) : max(0, entity.start - span.start)]
        if gap.replace("،", "").replace(",", "").strip() not in ("و", ""):
            break
        out.append(entity)
    return out


def _own_key(text: str) -> str:
    words = "".join(" " if char == "_" else char for char in text if char not in _MARKS).split()
    if not words:
        return ""
    words[0] = strip_proclitics(words[0], keep_article=True)
    return name_key(" ".join(words))


def with_role_names(threat: ThreatStatement, entities: Sequence[Entity], text: str | None = None,
                    article: Mapping[str, str] | None = None) -> ThreatStatement:
    """`threat` with `actor_names` and `target_names` filled in: from its field's `entities` and `text`, or from every
    field's entities and the `article`'s texts by field (then only the threat's own field's entities lie in a span)."""
    if article is not None:
        field, texts = threat.field, article
    else:  # the entities are the field's, whatever field name they carry
        field, texts = None, ({e.field: text for e in entities} if text is not None else {})
    threat.actor_names = role_names(threat.actor, entities, field, texts)
    threat.target_names = role_names(threat.target, entities, field, texts)
    return threat
