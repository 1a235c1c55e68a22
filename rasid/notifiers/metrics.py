"""Prometheus counters for notifications: what was sent, skipped (already sent) or failed."""

from __future__ import annotations

from prometheus_client import Counter

NOTIFICATIONS = Counter(
    "rasid_notifications_total", "Alert notifications by notifier and outcome", ["notifier", "outcome"]
)
