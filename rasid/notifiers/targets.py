"""A rule's `alert:` list (ElastAlert2 names) turned into notifiers, secrets read from the environment."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from rasid.notifiers.base import Notifier
from rasid.notifiers.email import EmailNotifier
from rasid.notifiers.log import LogNotifier
from rasid.notifiers.secrets import MissingSecret, Secret, resolve
from rasid.notifiers.slack import SlackNotifier
from rasid.notifiers.webhook import WebhookNotifier
from rasid.rules.spec import RuleSpec

log = logging.getLogger("rasid.notifiers")

WEBHOOK_NAMES = ("post", "http_post", "post2", "webhook")


def notifiers_for_rule(spec: RuleSpec, env: Mapping[str, str] | None = None) -> list[Notifier]:
    """Build the rule's notifiers; raises MissingSecret when a ${VAR} is not set."""
    out: list[Notifier] = []
    seen: set[str] = set()
    for target in spec.alert:
        kind = "post" if target in WEBHOOK_NAMES else target
        if kind in seen:
            continue
        seen.add(kind)
        if kind == "log":
            out.append(LogNotifier())
        elif kind == "post":
            assert spec.http_post_url
            headers = {name: resolve(value, f"http_post_headers.{name}", env)
                       for name, value in spec.http_post_headers.items()}
            out.append(WebhookNotifier(resolve(spec.http_post_url, "http_post_url", env), headers=headers,
                                       static_payload=spec.http_post_static_payload,
                                       timeout=spec.http_post_timeout, max_retries=spec.http_post_max_retries))
        elif kind == "slack":
            assert spec.slack_webhook_url
            out.append(SlackNotifier(resolve(spec.slack_webhook_url, "slack_webhook_url", env),
                                     channel=spec.slack_channel_override, username=spec.slack_username_override,
                                     timeout=spec.slack_timeout))
        elif kind == "email":
            user: Secret | None = resolve(spec.smtp_user, "smtp_user", env) if spec.smtp_user else None
            password = resolve(spec.smtp_password, "smtp_password", env) if spec.smtp_password else None
            out.append(EmailNotifier(list(spec.email or []), from_addr=spec.from_addr, host=spec.smtp_host,
                                     port=spec.smtp_port, use_ssl=spec.smtp_ssl, starttls=spec.smtp_starttls,
                                     user=user, password=password, timeout=spec.smtp_timeout))
    return out


class RuleTargets:
    """Notifiers per rule id, built on first use and rebuilt when the engine reloads a rule."""

    def __init__(self, lookup: Callable[[str], RuleSpec | None], env: Mapping[str, str] | None = None) -> None:
        self._lookup = lookup
        self._env = env
        self._cache: dict[str, tuple[int, list[Notifier]]] = {}

    def __call__(self, rule_id: str) -> list[Notifier]:
        spec = self._lookup(rule_id)
        if spec is None:
            return []
        cached = self._cache.get(rule_id)
        if cached is not None and cached[0] == id(spec):
            return cached[1]
        try:
            notifiers = notifiers_for_rule(spec, self._env)
        except MissingSecret as exc:
            log.error("rule %s sends no notifications: %s", rule_id, exc)
            notifiers = []
        self._cache[rule_id] = (id(spec), notifiers)
        return notifiers
