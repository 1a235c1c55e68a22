"""Generic webhook (ElastAlert2's `post`): the alert as JSON, with timeouts and retries.

Retries (tenacity, exponential backoff with jitter) cover what may succeed on a
second try — connection errors, timeouts, 429 and 5xx — and not 4xx. Each call
carries `Idempotency-Key: <alert_id>`, so a receiver can drop the duplicate of
a call that was delivered just before a crash.
"""

from __future__ import annotations

from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from rasid.notifiers.base import Notifier, NotifierError
from rasid.notifiers.secrets import Secret, public_url, scrub
from rasid.records import Alert

USER_AGENT = "rasid-alerts/0.1"


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, NotifierError) and exc.retryable


class WebhookNotifier(Notifier):
    name = "post"

    def __init__(self, url: Secret, *, headers: dict[str, Secret] | None = None,
                 static_payload: dict[str, Any] | None = None, timeout: float = 10.0, max_retries: int = 3,
                 backoff_initial: float = 0.5, backoff_max: float = 8.0, client: httpx.Client | None = None) -> None:
        self.url = url
        self.headers = headers or {}
        self.static_payload = static_payload or {}
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self._client = client or httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False)
        self.calls = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({public_url(self.url.reveal())})"

    def payload(self, alert: Alert) -> dict[str, Any]:
        return {**alert.model_dump(mode="json"), **self.static_payload}

    def send(self, alert: Alert) -> None:
        self.post(self.payload(alert), alert.alert_id)

    def post(self, payload: dict[str, Any], idempotency_key: str) -> None:
        headers = {"User-Agent": USER_AGENT, "Idempotency-Key": idempotency_key,
                   **{k: v.reveal() for k, v in self.headers.items()}}
        retrying = Retrying(
            stop=stop_after_attempt(self.max_retries + 1),
            wait=wait_exponential_jitter(multiplier=self.backoff_initial, max=self.backoff_max),
            retry=retry_if_exception(_retryable),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                self._post_once(payload, headers)

    def _post_once(self, payload: dict[str, Any], headers: dict[str, str]) -> None:
        self.calls += 1
        where = public_url(self.url.reveal())
        try:
            response = self._client.post(self.url.reveal(), json=payload, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException as exc:
            raise NotifierError(f"{self.name} to {where}: timed out after {self.timeout}s ({type(exc).__name__})",
                                retryable=True) from None
        except httpx.TransportError as exc:
            raise NotifierError(f"{self.name} to {where}: {type(exc).__name__}: {scrub(str(exc))}",
                                retryable=True) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise NotifierError(f"{self.name} to {where}: HTTP {response.status_code}", retryable=True)
        if response.status_code >= 400:
            raise NotifierError(f"{self.name} to {where}: HTTP {response.status_code} "
                                f"{scrub(response.text[:200])}", retryable=False)

    def close(self) -> None:
        self._client.close()
