"""The search page in a real headless chromium: Arabic search, filters, threats, live alerts, RTL, keyboard, safety."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.web.conftest import HOSTILE_ID, HOSTILE_TITLE, IndexedNews, screenshot

pytestmark = pytest.mark.servers

TRUMP_CARS = "AL-economy-155-20180304"


def result_ids(page) -> list[str]:  # noqa: ANN001
    return [href.rsplit("/", 1)[1] for href in
            page.locator(".hit .meta a[href^='/articles/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")]


def test_an_arabic_search_shows_the_expected_article_with_marked_words(page, web_url: str, news: IndexedNews) -> None:  # noqa: ANN001
    page.goto(web_url)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.get_by_label("ابحث في الأخبار").fill("ترمب يهدد")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")

    ids = result_ids(page)
    assert ids[0] == TRUMP_CARS
    first = page.locator(".hit").first
    assert first.locator("h3").inner_text() == news.articles[TRUMP_CARS].title
    marked = first.locator("mark").all_inner_texts()
    assert "ترمب" in marked and "يهدد" in marked
    # Only the words of the query are marked, not whole sentences.
    assert all(len(word.split()) == 1 for word in marked)
    screenshot(page, "search")


def test_search_finds_clitic_forms_and_marks_them(page, web_url: str) -> None:  # noqa: ANN001
    # "التجارة" finds "للتجارة"/"والتجارة" forms too (Arabic analysis, as Elasticsearch's arabic analyzer).
    page.goto(f"{web_url}/?q={quote('تجارة')}")
    assert "AL-economy-101-20180225" in result_ids(page)
    marks = page.locator(".hit mark").all_inner_texts()
    assert marks and all("تجار" in mark for mark in marks)


def test_filters_narrow_the_results(page, web_url: str, news: IndexedNews) -> None:  # noqa: ANN001
    everything = set(news.articles)
    page.goto(web_url)
    assert set(result_ids(page)) == everything

    # By date: only the February articles.
    page.goto(f"{web_url}/?date_from=2018-02-01&date_to=2018-02-28")
    february = {i for i, a in news.articles.items() if a.published_at.month == 2}
    assert set(result_ids(page)) == february and 0 < len(february) < len(everything)

    # By threat category: the articles with an economic threat statement.
    economic = {i for i, a in news.articles.items() if any(t.category == "economic" for t in a.threats)}
    assert economic, "the fixture articles should hold an economic threat"
    page.goto(web_url)
    page.get_by_label("فئة التهديد").select_option("economic")
    page.get_by_role("button", name="بحث").click()
    page.wait_for_url("**category=economic**")
    assert set(result_ids(page)) == economic

    # By entity, by clicking an entity chip of the first Trump article.
    page.goto(f"{web_url}/?q={quote('ترمب')}")
    chip = page.locator(".hit").first.locator("a.entity").first
    name = chip.inner_text()
    chip.click()
    page.wait_for_url("**entity=**")
    assert page.get_by_label("كيان (شخص، منظمة، مكان)").input_value() == name
    with_entity = {i for i, a in news.articles.items() if any((e.normalized or e.text) == name for e in a.entities)}
    assert set(result_ids(page)) == with_entity
    screenshot(page, "search-filtered")


def test_article_text_is_never_html(page, web_url: str, news: IndexedNews) -> None:  # noqa: ANN001
    page.goto(f"{web_url}/?q={quote('تامر حسني')}")
    hit = page.locator(".hit", has=page.locator(f"a[href='/articles/{HOSTILE_ID}']"))
    assert hit.locator("h3").inner_text() == HOSTILE_TITLE  # shown as the text it is
    assert hit.locator("h3 a").count() == 0  # its javascript: link is not a link
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("img").count() == 0
    assert page.evaluate("window.__pwned") is None

    page.goto(f"{web_url}/articles/{HOSTILE_ID}")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned") is None

    # The query itself, echoed back, is text too.
    page.goto(f"{web_url}/?q={quote('<b>ترمب</b>')}")
    assert "<b>ترمب</b>" in page.locator("#results-heading").inner_text()
    assert page.locator("#results-heading b").count() == 0
    response = httpx.get(f"{web_url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "python_info" in httpx.get(f"{web_url}/metrics").text  # the web process serves its /metrics too


def test_threats_table_shows_actor_target_condition_and_links_to_the_article(page, web_url: str, news: IndexedNews) -> None:  # noqa: ANN001
    threats = [t for a in news.articles.values() for t in a.threats]
    assert any(t.actor and t.target for t in threats)
    page.goto(f"{web_url}/threats")
    rows = page.locator("table.threats tbody tr")
    assert rows.count() == len(threats)
    shown = [tuple(rows.nth(i).locator("td").nth(c).inner_text() for c in (0, 2, 3)) for i in range(rows.count())]
    expected = [(t.actor.text if t.actor else "—", t.target.text if t.target else "—",
                 t.condition.text if t.condition else "—") for t in threats]
    assert sorted(shown) == sorted(expected)
    screenshot(page, "threats")

    page.get_by_label("الفئة").select_option("economic")
    page.get_by_role("button", name="عرض").click()
    page.wait_for_url("**category=economic**")
    economic = [t for t in threats if t.category == "economic"]
    assert page.locator("table.threats tbody tr").count() == len(economic)

    # "Threats by actor": the filter lists the names actors are aggregated on, and one name finds every way of
    # writing that actor
    page.goto(f"{web_url}/threats")
    counts: dict[str, int] = {}
    for t in threats:
        for name in t.actor_names:
            counts[name] = counts.get(name, 0) + 1
    top = max(counts, key=lambda name: (counts[name], name))
    assert counts[top] >= 2 and counts[top] < len(threats)
    page.get_by_label("الجهة المهدِّدة").select_option(top)
    page.get_by_role("button", name="عرض").click()
    page.wait_for_url("**actor=**")
    assert page.locator("table.threats tbody tr").count() == counts[top]

    page.locator("table.threats tbody tr").first.locator("a[href^='/articles/']").click()
    page.wait_for_url("**/articles/**")
    article_id = page.url.rsplit("/", 1)[1]
    assert page.locator("h1").inner_text() == (news.articles[article_id].title or "(بلا عنوان)")
    assert page.locator(".article-threats li").count() == len(news.articles[article_id].threats)
    screenshot(page, "article")


def test_alerts_list_updates_live(page, web_url: str, news: IndexedNews) -> None:  # noqa: ANN001
    page.goto(f"{web_url}/alerts")
    items = page.locator("#alerts li.alert")
    assert items.count() == len(news.alerts)
    assert page.evaluate("window.__pwned") is None
    hostile = items.filter(has_text="اختبار عنوان عدائي")
    assert HOSTILE_TITLE in hostile.inner_text() and hostile.locator("a").count() == 0

    article = news.articles["AL-culture-100-20180227"]
    news.add_alert(article, "أخبار الفن")
    page.locator("#alerts li.alert", has_text="أخبار الفن").wait_for(timeout=15_000)  # no reload
    assert page.locator("#alerts li.alert").count() == len(news.alerts)
    assert page.locator("#alerts li.alert").first.locator("a.title").inner_text() == article.title
    screenshot(page, "alerts")


def test_keyboard_only_use(page, web_url: str) -> None:  # noqa: ANN001
    page.goto(f"{web_url}/threats")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "تخطَّ إلى المحتوى"
    page.keyboard.press("Tab")  # the brand link, then the section links
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(f"{web_url}/")
    assert page.evaluate("document.activeElement.id") == "q"  # the search box has focus on arrival
    page.keyboard.type("شيران")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=*")
    assert result_ids(page)[0] == "AL-culture-100-20180227"


def test_phone_width_has_no_sideways_scrolling(phone, web_url: str) -> None:  # noqa: ANN001
    for path, name in ((f"/?q={quote('ترمب')}", "search-phone"), ("/threats", "threats-phone"),
                       ("/alerts", "alerts-phone")):
        phone.goto(web_url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px screen"
        screenshot(phone, name)


def test_elasticsearch_down_gives_a_clear_page_not_a_traceback(tmp_path) -> None:  # noqa: ANN001
    from rasid.embedded.supervisor import free_port
    from rasid.settings import Settings
    from rasid.web.app import create_app
    from tests.web.conftest import serving

    settings = Settings(_env_file=None, embedded=False, elasticsearch_url=f"http://127.0.0.1:{free_port()}",  # type: ignore[call-arg]
                        data_dir=tmp_path)
    with serving(create_app(settings)) as url:
        response = httpx.get(url, params={"q": "ترمب"}, timeout=30)
    assert response.status_code == 503
    assert "Elasticsearch لا يجيب" in response.text and settings.elasticsearch_url in response.text
