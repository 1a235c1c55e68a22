"""The interface every rule type shares, ElastAlert2-style: one class per `type:`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from rasid.rules.conditions import ArticleContext, Condition, Evidence, entity_key
from rasid.rules.query.compiled import Literal
from rasid.rules.spec import RuleSpec

StateStore = MutableMapping[str, Any]
"""Where stateful rules keep what they remember: a dict in tests and back-tests, a
changelog-backed Faust table in the stream. Values are JSON-able and always
written back whole (a Faust table only persists assignments)."""

SEP = "\x1f"
RECENT_IDS = 256  # replays after a crash only cover the uncommitted tail

# Every state write is a changelog record: at 100 articles/s, rewriting "last seen" times on every
# article was a third of the alert stage's CPU and of the broker's work for it. Rules that only need
# "seen within the window" keep those times to within this fraction of their window, and allow for it
# so that they are never early (a flatline alert, a term new again), only at most this much late.
TIME_RESOLUTION = 0.01


def time_resolution(window_seconds: float) -> float:
    """How stale a remembered time may be, for a rule with this window."""
    return window_seconds * TIME_RESOLUTION


@dataclass(frozen=True)
class Firing:
    """A rule's decision to alert: `key` makes the alert id, `group` is what realert throttles."""

    key: str
    group: str
    matched: Evidence
    article_id: str | None = None
    title: str = ""
    url: str = ""


@dataclass
class Rule(ABC):
    spec: RuleSpec
    rule_id: str
    conditions: list[Condition]
    path: Path | None = None
    type_name: ClassVar[str]
    stateful: ClassVar[bool] = False
    timed: ClassVar[bool] = False  # has work to do on the timer (`tick`)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    def literals(self) -> frozenset[Literal] | None:
        """Prefilter literals: the article must contain one of these to match."""
        for condition in self.conditions:
            found = condition.literals()
            if found is not None:
                return found
        return None

    def condition_evidence(self, ctx: ArticleContext) -> Evidence | None:
        """All conditions hold: their evidence merged; otherwise None."""
        evidence: Evidence = {}
        for condition in self.conditions:
            found = condition.check(ctx)
            if found is None:
                return None
            evidence.update(found)
        return evidence

    def keys_of(self, ctx: ArticleContext) -> list[str]:
        """The values of `query_key` in the article (several for entities); [""] without one."""
        query_key = self.spec.query_key
        article = ctx.article
        if not query_key:
            return [""]
        if query_key == "source":
            return [article.source]
        if query_key == "feed_url":
            return [article.feed_url]
        label = query_key.partition(":")[2] or None
        return list(dict.fromkeys(entity_key(e) for e in article.entities if label is None or e.label == label))

    def state_key(self, *parts: str) -> str:
        return SEP.join((self.rule_id, *parts))

    @abstractmethod
    def evaluate(self, ctx: ArticleContext, state: StateStore) -> list[Firing]:
        """Alerts this article causes (a stateful rule also updates `state`)."""

    def tick(self, now: float, state: StateStore) -> list[Firing]:
        """Alerts due on the timer, without an article (flatline)."""
        return []


def article_firing(ctx: ArticleContext, key: str, group: str, matched: Evidence) -> Firing:
    article = ctx.article
    return Firing(key=key, group=group, matched=matched, article_id=article.id, title=article.title, url=article.url)


def remember(recent: dict[str, Any], article_id: str, outcome: Any) -> dict[str, Any]:
    """Record an article's outcome in a bounded, insertion-ordered memo (for idempotent replays)."""
    recent[article_id] = outcome
    while len(recent) > RECENT_IDS:
        del recent[next(iter(recent))]
    return recent
