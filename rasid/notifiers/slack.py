"""Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): a `text` message."""

from __future__ import annotations

from typing import Any

from rasid.notifiers.base import Digest
from rasid.notifiers.secrets import Secret
from rasid.notifiers.webhook import WebhookNotifier
from rasid.records import Alert

MAX_TERMS = 5


def _escape(text: str) -> str:
    """Slack's three control characters in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def alert_text(alert: Alert) -> str:
    head = f"*[{alert.severity}/5] {_escape(alert.rule_name or alert.rule_id)}*"
    title = _escape(alert.title or "(no title)")
    line = f"<{alert.url}|{title}>" if alert.url else title
    terms = [t.get("text", "") for t in alert.matched.get("terms", [])[:MAX_TERMS] if isinstance(t, dict)]
    parts = [head, line]
    if terms:
        parts.append("matched: " + "، ".join(_escape(t) for t in dict.fromkeys(terms)))
    for line in alert.matched.get("lines", [])[:20] if alert.matched.get("type") == "digest" else []:
        parts.append("• " + _escape(str(line)))
    for key in ("key", "count", "new_term"):
        if alert.matched.get(key) not in (None, ""):
            parts.append(f"{key}: {_escape(str(alert.matched[key]))}")
    return "\n".join(parts)


class SlackNotifier(WebhookNotifier):
    name = "slack"

    def __init__(self, url: Secret, *, channel: str | None = None, username: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.channel = channel
        self.username = username

    def _message(self, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {"text": text}
        if self.channel:
            message["channel"] = self.channel
        if self.username:
            message["username"] = self.username
        return message

    def payload(self, alert: Alert) -> dict[str, Any]:
        return self._message(alert_text(alert))

    def send_digest(self, digest: Digest) -> None:
        lines = [f"*{_escape(digest.rule_name)}*: {len(digest.alerts)} alerts since {digest.opened_at:%H:%M}Z"]
        for alert in digest.alerts[:20]:
            title = _escape(alert.title or alert.alert_id)
            lines.append(f"• <{alert.url}|{title}>" if alert.url else f"• {title}")
        if len(digest.alerts) > 20:
            lines.append(f"… and {len(digest.alerts) - 20} more")
        self.post(self._message("\n".join(lines)), digest.digest_id)
