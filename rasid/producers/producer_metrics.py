"""Prometheus metrics of the feed producer (default registry; served by whoever exposes /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

FEED_POLLS = Counter("rasid_feed_polls_total", "Feed polls by outcome (ok, not_modified, error)", ["outcome"])
FEED_ERRORS = Counter("rasid_feed_errors_total", "Feed polls that failed, by error kind", ["kind"])
FEED_WARNINGS = Counter("rasid_feed_warnings_total", "Feeds read despite a problem (bozo, wrong encoding)", ["kind"])
ARTICLES_PRODUCED = Counter("rasid_articles_produced_total", "New articles acknowledged by Kafka on news.raw")
ARTICLES_DUPLICATE = Counter("rasid_articles_duplicate_total", "Feed items skipped as already sent")
PAGE_FETCHES = Counter("rasid_article_page_fetches_total", "Full-text page fetches by outcome", ["outcome"])
FETCH_SECONDS = Histogram("rasid_feed_fetch_seconds", "Time to fetch one feed (HTTP, body read)",
                          buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
