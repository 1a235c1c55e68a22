"""Secrets (webhook URLs, SMTP passwords) come from the environment and never reach a log line.

A rule file writes `${RASID_SLACK_URL}`; the value is read when the notifier
is built. `Secret` hides its value from str/repr, and `scrub` removes every
known secret from any text (an httpx error message quotes the URL it called).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_KNOWN: set[str] = set()  # every secret value resolved in this process, for scrubbing


class MissingSecret(ValueError):
    """A `${VAR}` reference whose variable is not set; names the variable, never a value."""

    def __init__(self, variable: str, what: str) -> None:
        self.variable = variable
        super().__init__(f"{what} refers to ${{{variable}}}, but the environment variable {variable} is not set")


class Secret:
    def __init__(self, value: str, label: str) -> None:
        self._value = value
        self.label = label
        if len(value) >= 6:
            _KNOWN.add(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({self.label}=***)"

    __str__ = __repr__


def references(value: str) -> list[str]:
    return _REFERENCE.findall(value)


def resolve(value: str, what: str, env: Mapping[str, str] | None = None) -> Secret:
    """Expand `${VAR}` references from the environment; raise MissingSecret if one is unset."""
    env = os.environ if env is None else env

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env or env[name] == "":
            raise MissingSecret(name, what)
        found = env[name]
        if len(found) >= 6:
            _KNOWN.add(found)
        return found

    return Secret(_REFERENCE.sub(expand, value), what)


def scrub(text: str) -> str:
    """`text` with every known secret value replaced by ***."""
    for value in sorted(_KNOWN, key=len, reverse=True):
        if value in text:
            text = text.replace(value, "***")
    return text


def public_url(url: str) -> str:
    """What may be said about a secret URL: scheme and host only."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}/***"


class ScrubSecrets(logging.Filter):
    """Rewrites a log record so that no known secret survives in it (httpx logs every URL it calls)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _KNOWN:
            message = record.getMessage()
            cleaned = scrub(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


# The HTTP client libraries log request URLs themselves: scrub on the loggers they log to.
for _name in ("httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy"):
    logging.getLogger(_name).addFilter(ScrubSecrets())
