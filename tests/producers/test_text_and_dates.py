"""Feed fields as analysts need them: plain sanitised text, and publication dates in UTC."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pytest

from rasid.producers.article_dates import parse_date_text
from rasid.producers.feed_reader import parse_feed_document
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.text_hygiene import plain_text
from tests.producers.ant_news import ant

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FETCHED = datetime(2018, 12, 1, 12, 0, tzinfo=timezone.utc)


def paragraphs(article_id: str) -> list[str]:
    return [" ".join(p.split()) for p in ant(article_id)["text"].split("\n") if p.strip()]


def test_markup_scripts_entities_and_bidi_controls_never_reach_the_text() -> None:
    """AL-culture-100-20180227, wrapped the way hostile or sloppy feeds wrap article text."""
    parts = paragraphs("AL-culture-100-20180227")
    dirty = "".join(
        f'<p dir="rtl" onclick="steal()">\u202b{p.replace(" ", "&nbsp; ", 1)}\u200f</p>'
        f'<script>alert("{i}")</script><style>p{{color:red}}</style><iframe src="//evil">x</iframe>'
        for i, p in enumerate(parts))
    dirty += '<img src=x onerror="alert(1)"><!-- comment -->'
    assert plain_text(dirty) == "\n".join(parts)


def test_double_escaped_html_is_unwrapped_to_text() -> None:
    """Feeds that escape their HTML twice (CN-economy-102-20180508's summary as such a feed sends it)."""
    summary = " ".join(ant("CN-economy-102-20180508")["summary"].split())
    escaped_twice = f"&lt;p&gt;{summary}&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert plain_text(escaped_twice) == summary
    assert plain_text("&amp;lt;b&amp;gt;" + summary + "&amp;lt;/b&amp;gt;") == summary


@pytest.mark.parametrize("article_id", ["AL-culture-100-20180227", "CN-economy-102-20180508"])
def test_arabic_month_names_and_digits_give_the_same_instant_as_the_feed_date(article_id: str) -> None:
    """The real pubDate of the item, rewritten as Egyptian, Levantine and Maghrebi Arabic sites write it."""
    published = ant(article_id)["published"]  # e.g. "Tue, 27 Feb 2018 10:03:32 +0400"
    expected = parsedate_to_datetime(published).astimezone(timezone.utc)
    local = parsedate_to_datetime(published)
    egyptian = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
    levantine = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
                 "تشرين الثاني", "كانون الأول"]
    maghrebi = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
    offset = published.rsplit(" ", 1)[1]
    offset = "+0000" if offset == "GMT" else offset
    clock = local.strftime("%H:%M:%S")
    for months in (egyptian, levantine, maghrebi):
        month = months[local.month - 1]
        assert parse_date_text(f"{local.day} {month} {local.year} {clock} {offset}") == expected
        arabic_digits = f"{local.day} {month} {local.year} {clock} {offset}".translate(ARABIC_DIGITS)
        assert parse_date_text(arabic_digits) == expected
    assert parse_date_text(f"{local.day} {egyptian[local.month - 1]} {local.year}") == datetime(
        local.year, local.month, local.day, tzinfo=timezone.utc)


def test_dates_in_a_feed_are_utc_and_missing_or_absurd_ones_fall_back_to_fetched_at() -> None:
    """Items of AL-culture-100-20180227 with the dates real feeds send, and some they should not."""
    record = ant("AL-culture-100-20180227")
    dates = {
        "rfc822": f"<pubDate>{record['published']}</pubDate>",
        "arabic": "<pubDate>الثلاثاء ٢٧ فبراير ٢٠١٨ - ١٠:٠٣ م</pubDate>",
        "levantine": "<pubDate>27 شباط 2018</pubDate>",
        "missing": "",
        "garbage": "<pubDate>قبل ساعتين</pubDate>",
        "future": "<pubDate>Tue, 27 Feb 2091 10:03:32 +0400</pubDate>",
    }
    items = "".join(f"<item><title>{record['title']}</title><link>http://example.com/{name}</link>{date}</item>"
                    for name, date in dates.items())
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    parsed = parse_feed_document(FeedConfig(url="http://example.com/feed", source="alarabiya"), body.encode(), FETCHED)
    got = {item.article.url.rsplit("/", 1)[1]: (item.article.published_at, item.article.published_at_estimated)
           for item in parsed.items}
    feed_date = parsedate_to_datetime(record["published"]).astimezone(timezone.utc)
    assert got == {
        "rfc822": (feed_date, False),
        "arabic": (datetime(2018, 2, 27, 22, 3, tzinfo=timezone.utc), False),
        "levantine": (datetime(2018, 2, 27, tzinfo=timezone.utc), False),
        "missing": (FETCHED, True),
        "garbage": (FETCHED, True),
        "future": (FETCHED, True),
    }
    assert feed_date == datetime(2018, 2, 27, 6, 3, 32, tzinfo=timezone.utc)
