"""keyword, entity and threat rules: an article that meets the conditions is an alert."""

from __future__ import annotations

from typing import ClassVar

from rasid.rules.conditions import ArticleContext
from rasid.rules.kinds.base import SEP, Firing, Rule, StateStore, article_firing


class _ArticleMatchRule(Rule):
    """Stateless: one alert per matching article (per query_key value when one is set)."""

    def evaluate(self, ctx: ArticleContext, state: StateStore) -> list[Firing]:
        evidence = self.condition_evidence(ctx)
        if evidence is None:
            return []
        article_id = ctx.article.id
        out: list[Firing] = []
        for value in self.keys_of(ctx):
            key = f"{article_id}{SEP}{value}" if value else article_id
            matched = {**evidence, "key": value} if value else evidence
            out.append(article_firing(ctx, key=key, group=value or article_id, matched=matched))
        return out


class KeywordRule(_ArticleMatchRule):
    type_name: ClassVar[str] = "keyword"


class EntityRule(_ArticleMatchRule):
    type_name: ClassVar[str] = "entity"


class ThreatRule(_ArticleMatchRule):
    type_name: ClassVar[str] = "threat"
