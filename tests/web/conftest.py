"""The web app on a free port over an isolated index of real, really enriched ANT articles; a headless chromium.

Chromium is Debian's (`apt-get install chromium`), driven by playwright's Python API; playwright's own
browser download is never used. Screenshots of every view go to tests/web/screenshots/ for review.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
import uvicorn
from elasticsearch import Elasticsearch, helpers

from rasid.embedded.supervisor import free_port
from rasid.nlp.enrichment import enrich
from rasid.records import Alert, EnrichedArticle
from rasid.records.alert import alert_id_for
from rasid.settings import Settings
from rasid.sinks.alert_document import alert_document
from rasid.sinks.article_document import article_document, threat_documents
from rasid.sinks.index_templates import install_templates
from rasid.web.app import create_app
from tests.observability.ant_raw import ant_rows, raw_article

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

# Real ANT articles (ids in /work/shared/data/news/ant-articles.jsonl): Trump's tariff threats against
# Europe (economy, Feb/Mar 2018), a WTO warning with a conditional threat, and a culture story.
ARTICLE_IDS = (
    "AL-economy-155-20180304",  # ترمب يهدد بفرض ضريبة على السيارات الأوروبية..فما الرد؟
    "AL-economy-182-20180307",  # ترمب يتمسك بخطته للتعرفات الجمركية على واردات الصلب
    "AL-economy-101-20180225",  # منظمة التجارة العالمية محذرة: حرب تجارية على الأبواب
    "AL-culture-100-20180227",  # المغني إد شيران الأفضل مبيعاً عالمياً في 2017
)
# A real article whose title and link a hostile feed replaced: the page must show them as text.
HOSTILE_ID = "AL-culture-145-20180308"
HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> تامر حسني يعلن موعد ألبومه'
HOSTILE_URL = "javascript:window.__pwned = 3"


@dataclass
class IndexedNews:
    settings: Settings
    es: Elasticsearch
    articles: dict[str, EnrichedArticle]
    alerts: list[Alert]

    def add_alert(self, article: EnrichedArticle, rule_name: str) -> Alert:
        alert = Alert(alert_id=alert_id_for(f"rule-{rule_name}", article.id), rule_id=f"rule-{rule_name}",
                      rule_name=rule_name, article_id=article.id, severity=4, created_at=datetime.now(timezone.utc),
                      title=article.title, url=article.url)
        self.es.index(index=self.settings.index_alerts, id=alert.alert_id, document=alert_document(alert),
                      refresh=True)
        self.alerts.append(alert)
        return alert


def _enriched(article_id: str, rows: dict[str, dict]) -> EnrichedArticle:
    return enrich(raw_article(rows[article_id]))


@pytest.fixture(scope="module")
def news(noida, tmp_path_factory: pytest.TempPathFactory) -> IndexedNews:  # noqa: ANN001 - session noida-db
    from tests.conftest import isolated_settings

    settings = isolated_settings(noida.kafka_bootstrap, noida.elasticsearch_url, tmp_path_factory.mktemp("web"))
    es = Elasticsearch(settings.elasticsearch_url)
    install_templates(es, settings)
    rows = {row["id"]: row for row in ant_rows(1200)}
    articles = {article_id: _enriched(article_id, rows) for article_id in ARTICLE_IDS}
    hostile = raw_article(rows[HOSTILE_ID]).model_copy(update={"title": HOSTILE_TITLE, "url": HOSTILE_URL})
    articles[HOSTILE_ID] = enrich(hostile)
    actions = []
    for article in articles.values():
        actions.append({"_index": settings.index_articles, "_id": article.id, "_source": article_document(article)})
        for threat_id, doc in threat_documents(article):
            actions.append({"_index": settings.index_threats, "_id": threat_id, "_source": doc})
    helpers.bulk(es, actions, refresh=True)
    indexed = IndexedNews(settings, es, articles, [])
    indexed.add_alert(articles["AL-economy-155-20180304"], "تهديدات تجارية")
    indexed.add_alert(articles[HOSTILE_ID], "اختبار عنوان عدائي")
    return indexed


@contextmanager
def serving(app: object) -> Iterator[str]:
    """The app under uvicorn on a free port, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the web app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def web_url(news: IndexedNews) -> Iterator[str]:
    with serving(create_app(news.settings, news.es)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # noqa: ANN001, ANN201 - playwright objects
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def phone(browser):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="ar")
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

