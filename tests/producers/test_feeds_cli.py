"""`rasid feeds import` and `rasid feeds check`, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from rasid.cli.feeds import feeds_app
from rasid.producers.feeds_config import load_feeds
from tests.producers.feed_site import FeedSite, Resource

runner = CliRunner()

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>أخبار</title></head><body>
  <outline text="عربي" title="عربي">
    <outline type="rss" text="BBC Arabic" title="بي بي سي عربي" xmlUrl="https://feeds.bbci.co.uk/arabic/rss.xml" htmlUrl="https://www.bbc.com/arabic"/>
    <outline type="rss" text="France 24" xmlUrl="https://www.france24.com/ar/rss"/>
  </outline>
  <outline type="rss" text="DW" xmlUrl="https://rss.dw.com/rdf/rss-ar-all" language="ar"/>
  <outline text="a folder without a feed"/>
</body></opml>
"""


def test_import_opml_writes_and_merges_a_feeds_file(tmp_path: Path) -> None:
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(OPML, encoding="utf-8")
    target = tmp_path / "feeds.yaml"
    target.write_text(yaml.safe_dump({"feeds": [
        {"url": "https://www.france24.com/ar/rss", "source": "f24", "interval_s": 120}]}), encoding="utf-8")

    result = runner.invoke(feeds_app, ["import", str(opml), "--output", str(target)])

    assert result.exit_code == 0, result.output
    assert "2 feeds added, 1 already there" in result.output
    feeds = {feed.url: feed for feed in load_feeds(target)}
    assert list(feeds) == ["https://www.france24.com/ar/rss", "https://feeds.bbci.co.uk/arabic/rss.xml",
                           "https://rss.dw.com/rdf/rss-ar-all"]
    assert feeds["https://www.france24.com/ar/rss"].source == "f24"  # what was there is kept as it was
    assert feeds["https://www.france24.com/ar/rss"].interval_s == 120
    assert (feeds["https://feeds.bbci.co.uk/arabic/rss.xml"].name, feeds["https://feeds.bbci.co.uk/arabic/rss.xml"].source) == (
        "بي بي سي عربي", "bbci")
    assert feeds["https://rss.dw.com/rdf/rss-ar-all"].source == "dw"
    # Importing again adds nothing.
    again = runner.invoke(feeds_app, ["import", str(opml), "--output", str(target)])
    assert "0 feeds added, 3 already there" in again.output


def test_import_refuses_an_opml_with_entities(tmp_path: Path) -> None:
    opml = tmp_path / "evil.opml"
    opml.write_text('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '<opml><body><outline xmlUrl="http://a.example/&x;"/></body></opml>', encoding="utf-8")
    result = runner.invoke(feeds_app, ["import", str(opml), "--output", str(tmp_path / "out.yaml")])
    assert result.exit_code == 2
    assert "refused" in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_check_reports_status_items_encoding_and_errors_per_feed(tmp_path: Path, site: FeedSite) -> None:
    good = site.serve_shared_feed("skynews-economy.xml")
    cp1256 = site.shared_feed("bbc-economy.xml").decode().replace('encoding="UTF-8"', 'encoding="windows-1256"')
    legacy = site.add("/legacy.xml", Resource(body=cp1256.encode("windows-1256")))
    broken = site.add("/gone.xml", Resource(body=b"gone", status=410))
    html = site.add("/page.xml", Resource(body=b"<html><body>hello</body></html>", headers={"Content-Type": "text/html"}))
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text(yaml.safe_dump({"feeds": [
        {"url": good, "source": "skynews"}, {"url": legacy, "source": "bbc"},
        {"url": broken, "source": "gone"}, {"url": html, "source": "html"}]}), encoding="utf-8")

    result = runner.invoke(feeds_app, ["check", "--feeds", str(feeds_file), "--json"],
                           env={"RASID_PRODUCER_ALLOW_PRIVATE_ADDRESSES": "true"})

    assert result.exit_code == 1  # some feeds failed
    rows = {row["url"]: row for row in map(json.loads, result.stdout.strip().splitlines())}
    assert (rows[good]["ok"], rows[good]["http_status"], rows[good]["items"], rows[good]["encoding"]) == (True, 200, 30, "utf-8")
    assert (rows[legacy]["ok"], rows[legacy]["items"], rows[legacy]["encoding"]) == (True, 30, "cp1256")
    assert (rows[broken]["ok"], rows[broken]["error_kind"], rows[broken]["problem"]) == (False, "http_status", "HTTP 410")
    assert (rows[html]["ok"], rows[html]["error_kind"]) == (False, "not_a_feed")
    assert "2 ok, 2 failed" in result.stderr

    table = runner.invoke(feeds_app, ["check", "--feeds", str(feeds_file)])
    assert table.exit_code == 1
    assert "not_a_feed" in table.stdout and "HTTP 410" in table.stdout and "cp1256" in table.stdout
