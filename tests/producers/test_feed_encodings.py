"""Arabic feeds in legacy encodings, with right, wrong or no declarations, read as the UTF-8 original."""

from __future__ import annotations

import codecs
import unicodedata
from datetime import datetime, timezone

import feedparser
import pytest

from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feed_reader import parse_feed_document
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.producer_options import ProducerOptions
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics
from tests.producers.feed_site import SHARED_FEEDS, FeedSite, Resource
from tests.producers.kafka_reading import raw_articles

FEED = SHARED_FEEDS / "bbc-middleEast.xml"  # encodes losslessly in both windows-1256 and ISO-8859-6
NOW = datetime(2018, 10, 20, tzinfo=timezone.utc)


def original_titles() -> list[str]:
    return [unicodedata.normalize("NFC", " ".join(e.title.split())) for e in feedparser.parse(FEED.read_bytes()).entries]


def variant(encoding: str, declared: str | None) -> bytes:
    text = FEED.read_text(encoding="utf-8")
    text = text.replace('encoding="UTF-8"', f'encoding="{declared}"') if declared else text.replace(' encoding="UTF-8"', "")
    return text.encode(encoding)


CASES = {
    "windows-1256 declared": (variant("windows-1256", "windows-1256"), None, "cp1256", False),
    "ISO-8859-6 declared": (variant("iso-8859-6", "ISO-8859-6"), None, "iso8859-6", False),
    "UTF-8 with BOM": (codecs.BOM_UTF8 + variant("utf-8", "UTF-8"), None, "utf-8", False),
    "UTF-8 without declaration": (variant("utf-8", None), None, "utf-8", False),
    "windows-1256 declared as UTF-8": (variant("windows-1256", "UTF-8"), None, "cp1256", True),
    "ISO-8859-6 declared as windows-1256": (variant("iso-8859-6", "windows-1256"), None, "iso8859-6", True),
    "UTF-8 served as ISO-8859-1": (variant("utf-8", "UTF-8"), "iso-8859-1", "utf-8", True),
    "windows-1256 undeclared": (variant("windows-1256", None), None, "cp1256", True),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_encoding_reads_as_the_utf8_original(case: str) -> None:
    body, header_charset, expected_codec, warned = CASES[case]
    parsed = parse_feed_document(FeedConfig(url="http://example.com/f.xml", source="bbc"), body, NOW, header_charset)
    assert [item.article.title for item in parsed.items] == original_titles()
    assert parsed.encoding == expected_codec
    assert any(w.startswith("encoding") for w in parsed.warnings) is warned


def test_a_windows_1256_feed_over_http_reaches_kafka_in_arabic(
        settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    ensure_topics(settings)
    body = site.shared_feed("bbc-middleEast.xml").decode().replace('encoding="UTF-8"', 'encoding="windows-1256"')
    url = site.add("/cp1256.xml", Resource(body=body.encode("windows-1256"),
                                          headers={"Content-Type": "application/rss+xml; charset=windows-1256"}))
    producer = FeedProducer(settings, [FeedConfig(url=url, source="bbc")], options=options)
    report = producer.poll_once()
    producer.close()
    assert report.produced == 30 and report.feed_warnings == {}
    assert sorted(a.title for a in raw_articles(settings, at_least=30)) == sorted(original_titles())
