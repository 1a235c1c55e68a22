"""A real local HTTP news site and producer options that allow loopback (tests only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rasid.producers.producer_options import ProducerOptions
from tests.producers.feed_site import FeedSite


@pytest.fixture
def site() -> Iterator[FeedSite]:
    server = FeedSite().start()
    yield server
    server.stop()


@pytest.fixture
def options() -> ProducerOptions:
    """Short timeouts for quick tests; loopback allowed explicitly, because the test site is on 127.0.0.1."""
    return ProducerOptions(_env_file=None, allow_private_addresses=True, connect_timeout_s=2.0, read_timeout_s=2.0,
                           total_timeout_s=3.0, page_interval_s=0.02, max_feed_bytes=1024 * 1024)
