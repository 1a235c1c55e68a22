"""Faust agents for alert rules: `news.enriched` → rules → `news.alerts` → notifiers, each alert once.

    news.enriched ──forward──> <group>-rules-in (1 partition) ──evaluate──> news.alerts ──notify──> webhooks…
                                 ▲ timer ticks (flatline, digests)

- Rule state (windows, counts, realert, digests) is a Faust table with a changelog.
  Its input is a single-partition internal topic, so every rule sees every article
  in one order and the table is co-partitioned with its input, however many
  workers run (the forwarder and the notifier scale with the partitions).
- The timer cannot write tables, so it sends a tick *message* into the same input:
  flatline checks and digests happen in the stream, restart-safe like the rest.
- Notifications: a sent-ledger table keyed by alert_id, co-partitioned with
  `news.alerts` (keyed by alert_id). Per alert and notifier: `sending` → call →
  `sent`, then the producer is flushed so the marker is in the changelog before the
  next alert; a replay after kill -9 skips what was sent. The only window left is
  a kill between the receiver's answer and that flush: the alert is then sent again
  with the same Idempotency-Key (e-mail: Message-ID), which the receiver can drop.

Run as its own stage (`python -m rasid.processors.alert_agent`, consumer group
`<processor_group>-alerts`), or register in any Faust app with `register_alerts(app, settings)`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust
from pydantic import ValidationError

from rasid.notifiers.digest import DigestBuffer
from rasid.notifiers.dispatcher import AlertDispatcher
from rasid.notifiers.targets import RuleTargets
from rasid.records import Alert, DeadLetter, EnrichedArticle
from rasid.rules.engine import RuleEngine, default_rules_directory
from rasid.settings import Settings
from rasid.streams.publisher import record_bytes
from rasid.streams.topics import rules_input_topic

log = logging.getLogger("rasid.alerts.agent")

TICK_KEY = b"\x00tick"
TICK_SECONDS = 5.0


@dataclass
class AlertAgents:
    engine: RuleEngine
    dispatcher: AlertDispatcher
    forward: Any
    evaluate: Any
    notify: Any


def _aggregation_periods(engine: RuleEngine) -> dict[str, tuple[str, float]]:
    return {r.rule_id: (r.name, r.spec.aggregation.total_seconds()) for r in engine.rules if r.spec.aggregation}


def register_alerts(app: faust.App, settings: Settings, rules_dir: Path | None = None,
                    tick_seconds: float = TICK_SECONDS) -> AlertAgents:
    enriched = app.topic(settings.topic_enriched, key_serializer="raw", value_serializer="raw")
    alerts = app.topic(settings.topic_alerts, key_serializer="raw", value_serializer="raw")
    dlq = app.topic(settings.topic_dlq, key_serializer="raw", value_serializer="raw")
    rules_in = app.topic(rules_input_topic(settings.processor_group), partitions=1, internal=True,
                         key_serializer="raw", value_serializer="raw")
    json_schema = faust.Schema(key_type=str, key_serializer="json", value_serializer="json")
    rule_state = app.Table("rule-state", partitions=1, schema=json_schema)
    ledger = app.Table("alert-ledger", partitions=settings.partitions, schema=json_schema)

    engine = RuleEngine(rules_dir or default_rules_directory(), store=rule_state)
    digests = DigestBuffer(rule_state)

    def dead_letter(letter: DeadLetter) -> None:
        dlq.send_soon(key=(letter.key or "").encode(), value=record_bytes(letter))

    dispatcher = AlertDispatcher(
        RuleTargets(lambda rule_id: (engine.rule(rule_id).spec if engine.rule(rule_id) else None)),
        ledger=ledger, dead_letter=dead_letter,
    )

    async def reject(event: faust.EventT, stage: str, reason: str) -> None:
        message = event.message
        key = message.key.decode("utf-8", "replace") if isinstance(message.key, bytes) else message.key
        log.error("%s rejected %s[%d]@%d: %s", stage, message.topic, message.partition, message.offset, reason)
        letter = DeadLetter.of(stage, reason, message.value, topic=message.topic, partition=message.partition,
                               offset=message.offset, key=key)
        await dlq.send(key=message.key, value=record_bytes(letter))

    @app.agent(enriched, name="alerts-forward")
    async def forward(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await rules_in.send(key=event.message.key, value=event.value)

    @app.timer(interval=tick_seconds)
    async def tick() -> None:
        await rules_in.send(key=TICK_KEY, value=json.dumps({"tick": time.time()}).encode())

    async def publish(found: list[Alert]) -> None:
        for alert in found:
            await alerts.send(key=alert.alert_id.encode(), value=record_bytes(alert))

    @app.agent(rules_in, name="alerts-evaluate")
    async def evaluate(stream: faust.StreamT) -> None:
        async for event in stream.events():
            if event.message.key == TICK_KEY:
                now = float(json.loads(event.value)["tick"])
                found = engine.tick(now)
                periods = _aggregation_periods(engine)
                for digest in digests.due(periods, now):
                    found.append(digest.as_alert())
                    digests.clear(digest.rule_id)
                await publish(found)
                continue
            try:
                article = EnrichedArticle.model_validate_json(event.value)
            except ValidationError as exc:
                await reject(event, "rules", f"not a valid enriched article: {exc.errors()[0]['msg']}")
                continue
            now = time.time()
            try:
                found = engine.evaluate(article, now)
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the rules
                log.exception("rules failed on article %s", article.id)
                await reject(event, "rules", f"rule evaluation failed: {type(exc).__name__}: {exc}")
                continue
            for alert in found:
                rule = engine.rule(alert.rule_id)
                if rule is not None and rule.spec.aggregation:
                    digests.add(alert, now)
            await publish(found)

    @app.agent(alerts, name="alerts-notify")
    async def notify(stream: faust.StreamT) -> None:
        loop = asyncio.get_running_loop()
        async for event in stream.events():
            try:
                alert = Alert.model_validate_json(event.value)
            except ValidationError as exc:
                await reject(event, "notify", f"not a valid alert: {exc.errors()[0]['msg']}")
                continue
            rule = engine.rule(alert.rule_id)
            if rule is not None and rule.spec.aggregation and alert.matched.get("type") != "digest":
                continue  # notified in the rule's digest
            plan = dispatcher.plan(alert)
            if not plan.steps:
                continue
            results = await loop.run_in_executor(None, dispatcher.deliver, plan)
            dispatcher.record(plan, results)
            await app.producer.flush()  # the 'sent' markers are durable before the next alert

    return AlertAgents(engine, dispatcher, forward, evaluate, notify)


def alerts_settings(settings: Settings) -> Settings:
    """The alerts stage's own consumer group (and so its own tables), apart from enrichment."""
    return settings.model_copy(update={"processor_group": settings.alerts_group})


def build_alerts_app(settings: Settings) -> faust.App:
    """A Faust app running only the alert agents: its own process, so enrichment and a slow
    webhook never compete for one interpreter (`python -m rasid.processors.alert_agent`)."""
    from rasid.processors.app import create_app

    own = alerts_settings(settings)
    app = create_app(own)
    register_alerts(app, own)
    return app


def run_alerts_worker(settings: Settings, loglevel: str = "WARNING") -> None:
    """The alert stage's process, however started (`rasid alerts` or as a module): lower CPU priority
    (`alerts_nice`), named in the logs, /metrics served, then the Faust worker."""
    from rasid.observability.process import observe_process
    from rasid.processors.worker import ProcessorWorker

    os.nice(settings.alerts_nice)
    observe_process("alerts", settings)
    # Faust's own Worker would replace the process's structured (JSON) logging with its text format.
    ProcessorWorker(build_alerts_app(settings), loglevel=loglevel, quiet=True).execute_from_commandline()


def main() -> None:
    from rasid.settings import get_settings

    run_alerts_worker(get_settings())


if __name__ == "__main__":
    main()
