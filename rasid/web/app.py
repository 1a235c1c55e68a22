"""The web app: Arabic search with highlighted snippets and filters, a threats table, live alerts, one article.

Everything from users and articles reaches the page as text: Jinja2 autoescapes every value, snippets
are segments (the template adds <mark>), links are only http(s) URLs, the live alert list is built
with textContent, and a Content-Security-Policy allows scripts and styles from this server only.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch import Elasticsearch
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from rasid.settings import Settings
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.web.queries import (
    THREAT_CATEGORIES,
    ArticleFilters,
    article_by_id,
    facets,
    recent_alerts,
    search_page,
    threat_actors,
    threat_rows,
)

log = logging.getLogger("rasid.web")

HERE = Path(__file__).resolve().parent
CATEGORY_NAMES = {
    "military": "عسكري", "terrorism": "إرهابي", "political": "سياسي",
    "economic": "اقتصادي", "cyber": "سيبراني", "other": "أخرى",
}
ENTITY_NAMES = {"per": "أشخاص", "org": "منظمات", "loc": "أماكن", "misc": "أخرى"}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a feed's `javascript:` link must never become a link."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def when(value: str | None) -> str:
    """ISO-8601 → `2018-02-27 06:03 UTC` (as stored: UTC); unparsable values as they are."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.utcoffset() is not None else "")


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value, whatever the template's name
        undefined=jinja2.StrictUndefined,
    )
    env.filters["safe_url"] = safe_url
    env.filters["when"] = when
    env.globals.update(categories=THREAT_CATEGORIES, category_names=CATEGORY_NAMES, entity_names=ENTITY_NAMES)
    return Jinja2Templates(env=env)


def _parse_day(value: str, label: str, problems: list[str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"{label}: تاريخ غير صالح، استعمل الصيغة YYYY-MM-DD")
        return None


def create_app(settings: Settings, es: Elasticsearch | None = None) -> FastAPI:
    client = es or elasticsearch_client(settings)
    templates = _templates()
    app = FastAPI(title="Rasid", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(TransportConnectionError)
    async def elasticsearch_down(request: Request, exc: TransportConnectionError) -> Response:
        log.warning("Elasticsearch did not answer: %s", exc)
        return templates.TemplateResponse(request, "unavailable.html", {"page": "", "url": settings.elasticsearch_url},
                                          status_code=503)

    def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    @app.get("/", response_class=HTMLResponse)
    def search(request: Request, q: str = "", source: str = "", entity: str = "", category: str = "",
               date_from: str = "", date_to: str = "", page: int = 1) -> HTMLResponse:
        problems: list[str] = []
        if category and category not in THREAT_CATEGORIES:
            problems.append("فئة تهديد غير معروفة")
            category = ""
        filters = ArticleFilters(
            query=q.strip()[:500], source=source.strip(), entity=entity.strip(), category=category,
            date_from=_parse_day(date_from, "من", problems), date_to=_parse_day(date_to, "إلى", problems),
            page=max(1, min(page, 500)),
        )
        results = search_page(client, settings, filters)
        return render(request, "search.html", {
            "page": "search", "filters": filters, "results": results, "facets": facets(client, settings),
            "problems": problems, "raw": {"date_from": date_from, "date_to": date_to},
        })

    @app.get("/threats", response_class=HTMLResponse)
    def threats(request: Request, category: str = "", source: str = "", actor: str = "") -> HTMLResponse:
        category = category if category in THREAT_CATEGORIES else ""
        return render(request, "threats.html", {
            "page": "threats", "rows": threat_rows(client, settings, category, source.strip(), actor=actor.strip()),
            "category": category, "source": source.strip(), "actor": actor.strip(), "facets": facets(client, settings),
            "actors": threat_actors(client, settings),
        })

    @app.get("/alerts", response_class=HTMLResponse)
    def alerts(request: Request) -> HTMLResponse:
        return render(request, "alerts.html", {"page": "alerts", "alerts": recent_alerts(client, settings)})

    @app.get("/api/alerts")
    def alerts_json(size: int = 50) -> JSONResponse:
        rows = recent_alerts(client, settings, max(1, min(size, 200)))
        return JSONResponse([{**asdict(row), "url": safe_url(row.url), "created": when(row.created_at)}
                             for row in rows])

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: str) -> HTMLResponse:
        doc = article_by_id(client, settings, article_id)
        if doc is None:
            return render(request, "not_found.html", {"page": "", "article_id": article_id}, status_code=404)
        paragraphs = [p.strip() for p in (doc.get("content") or "").split("\n") if p.strip()]
        return render(request, "article.html", {"page": "", "doc": doc, "paragraphs": paragraphs})

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
