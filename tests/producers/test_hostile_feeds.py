"""Hostile and broken feeds: a clear per-feed error, a metric, no local file read, and the other feeds flow."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from rasid.producers.bounded_body import BoundedBody
from rasid.producers.feed_errors import FeedError, FeedErrorKind
from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.producer_options import ProducerOptions
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics
from tests.producers.feed_site import FeedSite, Resource
from tests.producers.kafka_reading import raw_articles

SECRET = "SECRET-MARKER-7f3a1c"
_opened: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        _opened.append(args[0].decode(errors="replace") if isinstance(args[0], bytes) else args[0])


sys.addaudithook(_audit)  # records every file the process opens (cannot be removed; it only appends paths)


def errors_of_kind(kind: str) -> float:
    return REGISTRY.get_sample_value("rasid_feed_errors_total", {"kind": kind}) or 0.0


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><title>t</title>'
            '<item><title>&lol9;</title><link>http://example.com/a</link></item></channel></rss>').encode()


def rss_with_prolog(prolog: str, title: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<rss version="2.0"><channel><title>t</title>'
            f'<item><title>{title}</title><link>http://example.com/news/1</link></item></channel></rss>').encode()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    (tmp_path / "secret.dtd").write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
    return path


def test_hostile_and_broken_feeds_fail_alone_with_clear_errors_and_metrics(
        settings: Settings, site: FeedSite, options: ProducerOptions, secret: Path) -> None:
    ensure_topics(settings)
    real = site.shared_feed("cnn-middleEast.xml")
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MiB of zeros in ~64 KiB
    cases = {
        "laughs": (Resource(body=billion_laughs()), "hostile_xml"),
        "xxe": (Resource(body=rss_with_prolog(f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', "&xxe;")),
                "hostile_xml"),
        "xxe-parameter": (Resource(body=rss_with_prolog(
            f'<!DOCTYPE rss [<!ENTITY % dtd SYSTEM "{secret.with_suffix(".dtd").as_uri()}"> %dtd;]>', "&leak;")),
            "hostile_xml"),
        "path-as-body": (Resource(body=str(secret).encode()), "not_a_feed"),
        "gzip-bomb": (Resource(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}),
                      "too_large"),
        "oversized": (Resource(body=real * 60), "too_large"),
        "html": (Resource(body="<!DOCTYPE html><html><body><p>الصفحة غير موجودة</p></body></html>".encode(),
                          headers={"Content-Type": "text/html; charset=utf-8"}), "not_a_feed"),
        "empty-body": (Resource(body=b""), "empty"),
        "json": (Resource(body=b'{"items": []}', headers={"Content-Type": "application/json"}), "not_a_feed"),
        "brotli": (Resource(body=b"\x1b\x00", headers={"Content-Encoding": "br"}), "unsupported_encoding"),
    }
    feeds = [FeedConfig(url=site.add(f"/hostile/{name}.xml", resource), source=name)
             for name, (resource, _) in cases.items()]
    good = site.serve_shared_feed("cnn-middleEast.xml")
    feeds.insert(len(feeds) // 2, FeedConfig(url=good, source="cnn"))
    before = {kind: errors_of_kind(kind) for _, kind in cases.values()}
    _opened.clear()

    producer = FeedProducer(settings, feeds, options=options)
    report = producer.poll_once()
    producer.close()

    assert report.feed_error_kinds == {site.url(f"/hostile/{name}.xml"): kind for name, (_, kind) in cases.items()}
    assert "entit" in report.feed_errors[site.url("/hostile/xxe.xml")]
    assert "cap" in report.feed_errors[site.url("/hostile/gzip-bomb.xml")]
    expected_counts: dict[str, int] = {}
    for _, kind in cases.values():
        expected_counts[kind] = expected_counts.get(kind, 0) + 1
    assert {kind: errors_of_kind(kind) - before[kind] for kind in expected_counts} == expected_counts
    # The good feed among them flowed in full; no local file was ever opened, nothing secret was sent.
    assert report.produced == 30
    articles = raw_articles(settings, at_least=30)
    assert len(articles) == 30 and {a.source for a in articles} == {"cnn"}
    assert not any(SECRET in a.model_dump_json() for a in articles)
    assert not [path for path in _opened if "secret" in path]


def test_an_external_dtd_is_never_fetched_and_the_feed_still_reads(
        settings: Settings, site: FeedSite, options: ProducerOptions, secret: Path) -> None:
    """A DOCTYPE naming a local DTD (no internal entities) is dropped; the items are read, the file is not."""
    ensure_topics(settings)
    body = rss_with_prolog(f'<!DOCTYPE rss SYSTEM "{secret.with_suffix(".dtd").as_uri()}">', "خبر &amp; تعليق")
    _opened.clear()
    producer = FeedProducer(settings, [FeedConfig(url=site.add("/dtd.xml", Resource(body=body)), source="x")],
                            options=options)
    report = producer.poll_once()
    producer.close()
    assert report.feed_errors == {} and report.produced == 1
    assert [a.title for a in raw_articles(settings, at_least=1)] == ["خبر & تعليق"]
    assert not [path for path in _opened if "secret" in path]


def test_bozo_feeds_are_read_with_a_warning(settings: Settings, site: FeedSite, options: ProducerOptions) -> None:
    """A real feed with a bare '&' and an unclosed tag in it: parsed anyway, the problem named."""
    ensure_topics(settings)
    real = site.shared_feed("france24-middleEast.xml").decode()
    broken = real.replace("</title>", " & </title>", 1).replace("</item>", "<b></item>", 1)
    empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>لا جديد</title></channel></rss>'
    feeds = [FeedConfig(url=site.add("/bozo.xml", Resource(body=broken.encode())), source="france24"),
             FeedConfig(url=site.add("/empty.xml", Resource(body=empty.encode())), source="quiet")]
    producer = FeedProducer(settings, feeds, options=options)
    report = producer.poll_once()
    producer.close()
    assert report.feed_errors == {}
    assert any(w.startswith("malformed") for w in report.feed_warnings[feeds[0].url])
    assert report.feed_warnings[feeds[1].url] == ["empty: the feed has no items"]
    assert report.produced >= 25


def test_a_gzip_bomb_is_cut_off_after_the_cap_not_inflated() -> None:
    """256 MiB of zeros gzipped (~256 KiB): reading stops just past the 1 MiB cap, early in the input."""
    bomb = gzip.compress(b"\0" * (256 << 20), compresslevel=9)
    body = BoundedBody("gzip", max_bytes=1 << 20)
    consumed = 0
    with pytest.raises(FeedError) as error:
        for start in range(0, len(bomb), 4096):
            body.feed(bomb[start:start + 4096])
            consumed += 4096
    assert error.value.kind is FeedErrorKind.TOO_LARGE
    assert consumed < len(bomb) // 50
    assert body.size <= (1 << 20) + 1
