"""Who a threat's actor and target are, as the names analysts filter and aggregate on.

A role span is what the sentence says ("الرئيس الأمريكي دونالد ترامب", "وموسكو", "لقادة حماس"); a "threats by actor"
panel over raw spans splits one party into as many buckets as there are ways to write it. The name of a role is the
aggregation key (`Entity.normalized`) of the entities inside its span, so that it agrees with the article's
`entities.*` fields: persons when the span names one (a title before the name is not the actor), else
organisations and places, else other names ("الاميركية"). A span that names no entity ("الرئيس الأمريكي",
"دول غربية") is keyed by its own text, spelled the same way, without quotes, a hashtag's marks or a leading clitic that
ends in the article ("والقرارات" -> "القرارات", "#وزارة_التجارة" -> "وزارة التجارة").
"""

from __future__ import annotations

from collections.abc import Sequence

from rasid.nlp.clitics import strip_proclitics
from rasid.nlp.ner import name_key
from rasid.records import Entity, ThreatStatement
from rasid.records.threat import Span

_MARKS = "\"'«»“”„()#"
# Most specific first: a person named in a span is the party, a place in the same span is where he is from.
_PREFERENCE: tuple[tuple[str, ...], ...] = (("PER",), ("ORG", "LOC"), ("MISC",))


def role_names(span: Span | None, entities: Sequence[Entity]) -> list[str]:
    """The aggregation keys of the party a role span names (empty for no span)."""
    if span is None:
        return []
    inside = sorted((e for e in entities if e.start < span.end and e.end > span.start), key=lambda e: e.start)
    for labels in _PREFERENCE:
        named = _head_and_coordinated([e for e in inside if e.label in labels], span)
        if named:
            return list(dict.fromkeys(e.normalized or name_key(e.text) for e in named))
    own = _own_key(span.text)
    return [own] if own else []


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


def with_role_names(threat: ThreatStatement, entities: Sequence[Entity]) -> ThreatStatement:
    """`threat` with `actor_names` and `target_names` filled from the field's entities."""
    threat.actor_names = role_names(threat.actor, entities)
    threat.target_names = role_names(threat.target, entities)
    return threat
