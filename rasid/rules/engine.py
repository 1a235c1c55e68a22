"""The rule engine: a directory of rule files, evaluated on each article, reloaded when files change."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rasid.records import Alert, EnrichedArticle, alert_id_for
from rasid.rules.conditions import ArticleContext
from rasid.rules.kinds import Firing, Rule, StateStore
from rasid.rules.loader import load_rules, rule_files
from rasid.rules.problems import RuleProblem
from rasid.rules.query.prefilter import KeywordPrefilter
from rasid.rules.throttle import Realert

log = logging.getLogger(__name__)


def _timestamp(now: datetime | float | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return now.timestamp()
    return float(now)


@dataclass
class _Signature:
    files: tuple[tuple[str, int, int], ...]

    @classmethod
    def of(cls, directory: Path) -> "_Signature":
        entries = []
        for path in rule_files(directory) if directory.is_dir() else []:
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            entries.append((str(path), st.st_mtime_ns, st.st_size))
        return cls(tuple(entries))


class RuleEngine:
    """Evaluates every enabled rule on an article; state lives in an injectable store.

    `store` is any MutableMapping (a dict, or a Faust table for restart
    safety). The directory is checked for changes at most every
    `reload_interval` seconds; a file that stops validating keeps its last good
    version running and its problems are logged.
    """

    def __init__(self, directory: Path | None = None, *, rules: Iterable[Rule] = (),
                 store: StateStore | None = None, reload_interval: float = 1.0) -> None:
        self.directory = directory
        self.store: StateStore = store if store is not None else {}
        self.realert = Realert(self.store)
        self.reload_interval = reload_interval
        self.problems: list[RuleProblem] = []
        self.loads = 0  # how many times the directory was (re)loaded
        self._signature: _Signature | None = None
        self._checked_at = 0.0
        self._rules: dict[str, Rule] = {}
        self._by_path: dict[Path, Rule] = {}
        if directory is not None:
            self.reload(force=True)
        else:
            self._install(list(rules))

    # -- rules -----------------------------------------------------------------------------------------
    @property
    def rules(self) -> list[Rule]:
        return list(self._rules.values())

    def rule(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)

    def _install(self, rules: list[Rule]) -> None:
        enabled = [r for r in rules if r.spec.is_enabled]
        self._rules = {r.rule_id: r for r in enabled}
        self._prefilter = KeywordPrefilter((r.rule_id, r.literals()) for r in enabled)
        self._timed = [r for r in enabled if r.timed]

    def reload(self, force: bool = False) -> bool:
        """Reload the directory if a rule file changed; True when the rules were replaced."""
        if self.directory is None:
            return False
        now = time.monotonic()
        if not force and now - self._checked_at < self.reload_interval:
            return False
        self._checked_at = now
        signature = _Signature.of(self.directory)
        if not force and signature == self._signature:
            return False
        self._signature = signature
        loaded = load_rules(self.directory)
        rules = loaded.rules
        kept = [self._by_path[p] for p in loaded.failed if p in self._by_path]
        taken = {r.rule_id for r in rules}
        rules.extend(r for r in kept if r.rule_id not in taken)
        for problem in loaded.problems:
            log.error("rule file problem: %s", problem)
        for rule in kept:
            log.warning("rule %s keeps its last good version until %s is fixed", rule.rule_id, rule.path)
        self.problems = loaded.problems
        self._by_path = {r.path: r for r in rules if r.path is not None}
        self._install(rules)
        self.loads += 1
        log.info("loaded %d rules from %s (%d problems)", len(self._rules), self.directory, len(self.problems))
        return True

    # -- evaluation ------------------------------------------------------------------------------------
    def evaluate(self, article: EnrichedArticle, now: datetime | float | None = None) -> list[Alert]:
        """Alerts this article fires now, after realert; stable ids, so replays repeat them."""
        self.reload()
        ctx = ArticleContext(article, _timestamp(now))
        alerts: list[Alert] = []
        for rule_id in sorted(self._prefilter.candidates(ctx.analysed) if self._needs_text() else
                              self._prefilter.candidates_without_text()):
            rule = self._rules[rule_id]
            for firing in rule.evaluate(ctx, self.store):
                alert = self._alert(rule, firing, ctx.now)
                if alert is not None:
                    alerts.append(alert)
        return alerts

    def _needs_text(self) -> bool:
        return self._prefilter.patterns > 0

    def tick(self, now: datetime | float | None = None) -> list[Alert]:
        """Alerts found by the timer (flatline, downward spikes); call every few seconds."""
        self.reload()
        at = _timestamp(now)
        alerts: list[Alert] = []
        for rule in self._timed:
            for firing in rule.tick(at, self.store):
                alert = self._alert(rule, firing, at)
                if alert is not None:
                    alerts.append(alert)
        return alerts

    def _alert(self, rule: Rule, firing: Firing, now: float) -> Alert | None:
        alert_id = alert_id_for(rule.rule_id, firing.key)
        if not self.realert.allow(rule.rule_id, firing.group, alert_id, now, rule.spec.realert.total_seconds()):
            return None
        return Alert(
            alert_id=alert_id,
            rule_id=rule.rule_id,
            rule_name=rule.name,
            article_id=firing.article_id,
            matched={"type": rule.type_name, **firing.matched},
            severity=rule.spec.severity,
            created_at=datetime.fromtimestamp(now, timezone.utc),
            title=firing.title,
            url=firing.url,
        )


def default_rules_directory() -> Path:
    """The sample rules shipped with the package (used by `rasid run` unless RASID_RULES_DIR is set)."""
    from rasid.settings import get_settings

    configured = get_settings().rules_dir
    if configured:
        return configured
    return Path(__file__).resolve().parent.parent / "samples" / "rules"
