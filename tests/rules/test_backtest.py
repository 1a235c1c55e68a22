"""`rasid rules test` semantics on real servers: indexed articles, back-tested with the stream's engine."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ant import ant_rows, enriched
from rasid.nlp.enrichment import enrich
from rasid.rules.backtest import backtest, indexed_articles
from rasid.rules.engine import RuleEngine
from rasid.rules.loader import load_rule_file
from rasid.samples.ant_corpus import article_from_ant_row
from rasid.settings import Settings
from rasid.sinks.article_document import article_document
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.sinks.index_templates import install_templates

pytestmark = pytest.mark.servers

RULE = "name: Baghdad\ntype: keyword\nquery: 'بغداد OR طهران'\nrealert: 0m\n"


def test_backtest_pages_through_the_window_and_fires_what_the_stream_would(
        settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    es = elasticsearch_client(settings)
    install_templates(es, settings)
    now = datetime.now(timezone.utc)
    # 1,200 real ANT articles, one a minute back from now; the last 200 fall outside a 1000-minute window.
    items = [enriched(row, published_at=now - timedelta(minutes=i), fetched_at=now, enriched_at=now)
             for i, row in enumerate(list(ant_rows().values())[:1200])]
    for item in items:
        es.index(index=settings.index_articles, id=item.id, document=article_document(item))
    es.indices.refresh(index=settings.index_articles)
    (tmp_path / "r.yaml").write_text(RULE, encoding="utf-8")
    rule = load_rule_file(tmp_path / "r.yaml")
    since = now - timedelta(minutes=999, seconds=30)

    result = backtest(rule, indexed_articles(es, f"{settings.index_articles}*", since, now, page_size=300), now)

    inside = [i for i in items if i.published_at >= since]
    expected = {a.alert_id for i in inside for a in RuleEngine(rules=[rule]).evaluate(i, i.published_at)}
    assert result.articles == len(inside) == 1000
    assert {a.alert_id for a in result.alerts} == expected and expected

    # The command itself, on the same index.
    from rasid.cli.rules import rules_app
    from rasid.settings import get_settings

    for name, value in settings.as_env().items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    out = CliRunner().invoke(rules_app, ["test", str(tmp_path / "r.yaml"), "--since", "1000m"])
    get_settings.cache_clear()
    assert out.exit_code == 0, out.output
    assert f"{len(expected)} alerts on 1000 articles" in out.output


def test_back_tested_articles_carry_the_entities_and_threats_that_were_indexed(settings: Settings) -> None:
    # Entity and threat rules back-test on what the index stores: mentions and threat statements come back
    # whole, from documents written now (one JSON string, mentions by offsets), and before (mentions whole
    # in that string; both as object arrays).
    es = elasticsearch_client(settings)
    install_templates(es, settings)
    now = datetime.now(timezone.utc)
    rows = [row for row in ant_rows().values() if "تهدد" in row["text"] or "هدد" in row["text"]][:12]
    items = [enrich(article_from_ant_row(row)).model_copy(update={"published_at": now - timedelta(minutes=i)})
             for i, row in enumerate(rows)]
    assert sum(len(i.threats) for i in items) > 0 and sum(len(i.entities) for i in items) > 0
    for number, item in enumerate(items):
        document = article_document(item)
        mentions = [e.model_dump(mode="json") for e in item.entities]
        threats = [t.model_dump(mode="json") for t in item.threats]
        if number % 3 == 1:  # as the sink wrote it before: mentions whole in the JSON string
            document["enrichment"] = json.dumps({"entity_mentions": mentions, "threats": threats}, ensure_ascii=False)
        elif number % 3 == 2:  # and before that: object arrays
            document.pop("enrichment")
            document["entity_mentions"] = mentions
            document["threats"] = threats
        es.index(index=settings.index_articles, id=item.id, document=document)
    es.indices.refresh(index=settings.index_articles)

    back = {a.id: a for a in indexed_articles(es, settings.index_articles, now - timedelta(days=1), now)}
    assert set(back) == {i.id for i in items}
    for item in items:
        assert back[item.id].entities == item.entities
        assert back[item.id].threats == item.threats
