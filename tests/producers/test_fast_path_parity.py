"""The lxml fast path and feedparser give the same articles for every real feed (feedparser is the reference)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from rasid.producers import feed_reader
from rasid.producers.feeds_config import FeedConfig
from tests.producers.feed_site import SHARED_FEEDS

NOW = datetime(2019, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("name", sorted(p.name for p in SHARED_FEEDS.glob("*.xml")))
def test_fast_path_matches_feedparser(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (SHARED_FEEDS / name).read_bytes()
    feed = FeedConfig(url=f"http://example.com/{name}", source=name.split("-")[0])
    assert feed_reader.parse_simple_feed(body) is not None  # these are the fast path's to read
    fast = [item.article.model_dump() for item in feed_reader.parse_feed_document(feed, body, NOW).items]
    monkeypatch.setattr(feed_reader, "parse_simple_feed", lambda document: None)
    reference = [item.article.model_dump() for item in feed_reader.parse_feed_document(feed, body, NOW).items]
    assert fast == reference and len(fast) >= 10


def test_atom_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    """SK-economy-1008-20180719 and its neighbours of skynews-economy.xml, rewritten as an Atom feed."""
    import feedparser

    entries = feedparser.parse((SHARED_FEEDS / "skynews-economy.xml").read_bytes()).entries[:5]
    atom_entries = "".join(
        f'<entry><title type="html">{e.title}</title><link rel="alternate" href="{e.link}"/><id>{e.id}</id>'
        f"<updated>2018-07-19T10:43:32Z</updated><summary type=\"html\"><![CDATA[<p>{e.summary}</p>]]></summary>"
        f"<author><name>سكاي نيوز عربية</name></author><category term=\"economy\"/></entry>" for e in entries)
    body = f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Sky</title>{atom_entries}</feed>'.encode()
    feed = FeedConfig(url="http://example.com/atom", source="skynews")
    fast = [item.article.model_dump() for item in feed_reader.parse_feed_document(feed, body, NOW).items]
    monkeypatch.setattr(feed_reader, "parse_simple_feed", lambda document: None)
    reference = [item.article.model_dump() for item in feed_reader.parse_feed_document(feed, body, NOW).items]
    assert fast == reference and len(fast) == 5
    assert fast[0]["authors"] == ["سكاي نيوز عربية"] and fast[0]["tags"] == ["economy"]
    assert fast[0]["published_at"] == datetime(2018, 7, 19, 10, 43, 32, tzinfo=timezone.utc)
