"""What an article must contain for a rule to count it: a keyword query, an entity,
a threat statement, a source. Each condition returns its evidence (for the
alert's `matched`) or None."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from rasid.nlp.normalizer import normalize
from rasid.records import EnrichedArticle, Entity, ThreatStatement
from rasid.rules.analysed import AnalysedArticle, match_keys
from rasid.nlp.analyzer import analyze
from rasid.rules.query.compiled import CompiledQuery, Literal, compile_query
from rasid.rules.spec import EntityCondition, ThreatCondition

Evidence = dict[str, Any]


@dataclass
class ArticleContext:
    """One article under evaluation; its text is analysed once, on first need, for all rules."""

    article: EnrichedArticle
    now: float  # seconds since the epoch
    _analysed: AnalysedArticle | None = field(default=None, repr=False)

    @property
    def analysed(self) -> AnalysedArticle:
        if self._analysed is None:
            self._analysed = AnalysedArticle.of(self.article)
        return self._analysed

    @cached_property
    def entity_forms(self) -> list[tuple[Entity, list[tuple[str, ...]]]]:
        return [(e, _entity_key_sequence(e)) for e in self.article.entities]


class Condition(Protocol):
    def check(self, ctx: ArticleContext) -> Evidence | None: ...

    def literals(self) -> frozenset[Literal] | None: ...


@dataclass
class QueryCondition:
    query: CompiledQuery

    def check(self, ctx: ArticleContext) -> Evidence | None:
        hits = self.query.hits(ctx.analysed)
        if hits is None:
            return None
        return {"query": self.query.text, "terms": self.query.evidence(ctx.analysed, hits)}

    def literals(self) -> frozenset[Literal] | None:
        return self.query.literals()


def _name_stems(name: str) -> tuple[str, ...]:
    return tuple(token.stem for token in analyze(name))


def _entity_key_sequence(entity: Entity) -> list[tuple[str, ...]]:
    """Per word of the entity, every term it can be found under (clitic-aware)."""
    text = entity.normalized or entity.text
    return [match_keys(t.normalized, t.stem) for t in analyze(text)]


def _contains(words: list[tuple[str, ...]], name: tuple[str, ...]) -> bool:
    """`name` occurs as consecutive words of the entity (titles around a name are fine)."""
    n = len(name)
    for i in range(len(words) - n + 1):
        if all(name[j] in words[i + j] for j in range(n)):
            return True
    return False


@dataclass
class EntityMatch:
    spec: EntityCondition

    @cached_property
    def names(self) -> list[tuple[str, ...]]:
        return [s for s in (_name_stems(n) for n in [self.spec.name, *self.spec.aliases]) if s]

    def matching(self, ctx: ArticleContext) -> list[Entity]:
        found: list[Entity] = []
        for entity, words in ctx.entity_forms:
            if self.spec.label and entity.label != self.spec.label:
                continue
            if any(_contains(words, name) for name in self.names):
                found.append(entity)
        return found

    def check(self, ctx: ArticleContext) -> Evidence | None:
        found = self.matching(ctx)
        if len(found) < self.spec.min_mentions:
            return None
        return {"entity": self.spec.name, "mentions": [
            {"field": e.field, "text": e.text, "start": e.start, "end": e.end, "label": e.label} for e in found[:20]
        ]}

    def literals(self) -> None:
        return None


@dataclass
class ThreatMatch:
    spec: ThreatCondition
    actor: CompiledQuery | None = None
    target: CompiledQuery | None = None

    @classmethod
    def of(cls, spec: ThreatCondition) -> "ThreatMatch":
        def compiled(text: str | None) -> CompiledQuery | None:
            return compile_query(text, fields=("span",)) if text else None

        return cls(spec, compiled(spec.actor), compiled(spec.target))

    def accepts(self, threat: ThreatStatement) -> bool:
        spec = self.spec
        if threat.negated and not spec.include_negated:
            return False
        if threat.severity < spec.min_severity:
            return False
        if spec.category and threat.category not in spec.category:
            return False
        if spec.cameo_code and not any(
            threat.cameo_code.startswith(code[:-1]) if code.endswith("*") else threat.cameo_code == code
            for code in spec.cameo_code
        ):
            return False
        for query, span, names in ((self.actor, threat.actor, threat.actor_names),
                                   (self.target, threat.target, threat.target_names)):
            if query is not None:
                # the span as written or a name it refers to, each on its own ("ترامب" finds "الرئيس الأمريكي" where
                # the article names him so; a phrase never runs from one into the other)
                if span is None or not any(query.hits(AnalysedArticle.of_texts({"span": text})) is not None
                                           for text in (span.text, *names)):
                    return False
        return True

    def check(self, ctx: ArticleContext) -> Evidence | None:
        found = [t for t in ctx.article.threats if self.accepts(t)]
        if not found:
            return None
        return {"threats": [
            {"field": t.field, "text": t.text, "start": t.start, "end": t.end, "severity": t.severity,
             "category": t.category, "cameo_code": t.cameo_code,
             "actor": t.actor.text if t.actor else None, "target": t.target.text if t.target else None,
             "actor_names": t.actor_names, "target_names": t.target_names}
            for t in found[:20]
        ]}

    def literals(self) -> None:
        return None


@dataclass
class SourceMatch:
    sources: frozenset[str]

    def check(self, ctx: ArticleContext) -> Evidence | None:
        article = ctx.article
        if article.source in self.sources or article.feed_url in self.sources:
            return {"source": article.source}
        return None

    def literals(self) -> None:
        return None


def entity_key(entity: Entity) -> str:
    """How an entity is named in alerts and grouped by query_key: its normalised name."""
    return entity.normalized or normalize(entity.text)
