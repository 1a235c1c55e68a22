"""When a feed is polled next: its interval with jitter, exponential backoff on errors, Retry-After."""

from __future__ import annotations

import random

from rasid.producers.feed_errors import FeedError
from rasid.producers.producer_options import ProducerOptions
from rasid.producers.producer_state import FeedSchedule


class PollPlanner:
    def __init__(self, options: ProducerOptions, rng: random.Random | None = None) -> None:
        self.options = options
        self.rng = rng or random.Random()

    def _jittered(self, seconds: float) -> float:
        # Spread polls of feeds with the same interval, so a thousand feeds do not fire in one second.
        return seconds * (1.0 + self.rng.uniform(-self.options.jitter, self.options.jitter))

    def after_success(self, interval_s: float, now: float) -> FeedSchedule:
        return FeedSchedule(next_due=now + self._jittered(interval_s), failures=0)

    def after_error(self, interval_s: float, previous: FeedSchedule, error: FeedError, now: float) -> FeedSchedule:
        failures = previous.failures + 1
        backoff = min(self.options.max_backoff_s, interval_s * 2 ** (failures - 1))
        wait = self._jittered(backoff)
        if error.retry_after_s is not None:
            # The server said when to come back: never earlier than that (within reason).
            wait = max(wait, min(error.retry_after_s, self.options.max_retry_after_s))
        return FeedSchedule(next_due=now + wait, failures=failures, last_error=str(error))
