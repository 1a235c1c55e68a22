"""Full text from article pages (built from ANT full texts), paced per host, never from private addresses unless allowed."""

from __future__ import annotations

from prometheus_client import REGISTRY

from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.producer_options import ProducerOptions
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics
from tests.producers.ant_news import stored_paragraphs
from tests.producers.feed_site import FeedSite
from tests.producers.kafka_reading import raw_articles


# Navigation, aside, footer and script text of every page the site serves (none of it is in an article).
BOILERPLATE = ("قائمة الأقسام الرئيسية للموقع", "اشترك في النشرة البريدية", "جميع الحقوق محفوظة لموقع الاختبار",
               "إعلان ممول من الراعي", "dataLayer", "<", "direction: rtl")


def page_requests(site: FeedSite) -> list:
    return [r for r in site.requests if r.path.startswith("/pages/")]


def test_new_articles_carry_the_main_text_of_their_page(settings: Settings, site: FeedSite) -> None:
    ensure_topics(settings)
    # Arabic-path URLs (Al Arabiya) and plain ones (BBC); every item's page text is in ant-articles.jsonl.
    feeds = [FeedConfig(url=site.serve_shared_feed("alarabia-culture.xml"), source="alarabiya", full_text=True),
             FeedConfig(url=site.serve_shared_feed("bbc-technology.xml"), source="bbc", full_text=True)]
    options = ProducerOptions(_env_file=None, allow_private_addresses=True, page_interval_s=0.05)
    producer = FeedProducer(settings, feeds, options=options)
    report = producer.poll_once()
    producer.close()

    assert report.feed_errors == {} and report.produced == 60
    articles = raw_articles(settings, at_least=60)
    assert len(articles) == 60
    for article in articles:
        record = site.articles[next(u for u in site.articles if site.local_link(u) == article.url)]
        body = stored_paragraphs(record["text"])
        assert all(paragraph in article.content for paragraph in body), article.url
        for boilerplate in BOILERPLATE:
            assert boilerplate not in article.content
    # Polite: pages of this one host were fetched one at a time, 50 ms apart.
    # Arrival times seen by the server jitter with thread scheduling, so check what the host notices:
    # no request begins before the previous one has been answered, and 60 requests span >= 59 intervals.
    requests = sorted(page_requests(site), key=lambda r: r.at)
    assert len(requests) == 60
    assert all(later.at >= earlier.answering for earlier, later in zip(requests, requests[1:]))
    assert requests[-1].at - requests[0].at >= 59 * 0.05 * 0.95


def test_links_to_private_addresses_are_refused_by_default_and_articles_still_flow(
        settings: Settings, site: FeedSite) -> None:
    ensure_topics(settings)
    blocked_before = REGISTRY.get_sample_value("rasid_article_page_fetches_total", {"outcome": "blocked_address"}) or 0
    feeds = [FeedConfig(url=site.serve_shared_feed("bbc-sport.xml"), source="bbc", full_text=True)]
    # The feed itself is the operator's choice and is read; its links to 127.0.0.1 are not followed.
    producer = FeedProducer(settings, feeds, options=ProducerOptions(_env_file=None, page_interval_s=0.0))
    report = producer.poll_once()
    producer.close()

    assert report.feed_errors == {} and report.produced == 30
    assert page_requests(site) == []
    assert all(a.content == "" and a.summary for a in raw_articles(settings, at_least=30))
    blocked = REGISTRY.get_sample_value("rasid_article_page_fetches_total", {"outcome": "blocked_address"})
    assert blocked - blocked_before == 30
