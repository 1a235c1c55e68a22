"""Loading with readable errors, hot reload, and the prefilter never changing an answer."""

from __future__ import annotations

import os
import random
import time
from datetime import datetime, timezone
from pathlib import Path

from typer.testing import CliRunner

from ant import ant_rows, article, enriched
from rasid.cli.rules import rules_app
from rasid.rules.conditions import ArticleContext
from rasid.rules.engine import RuleEngine
from rasid.rules.loader import load_rules

T0 = datetime(2018, 9, 1, tzinfo=timezone.utc)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_problems_name_file_line_what_and_expected(tmp_path: Path) -> None:
    write(tmp_path, "typo.yaml", "name: a\ntype: keyword\nquery: بغداد\nrealret: {minutes: 5}\n")
    write(tmp_path, "query.yaml", "name: b\ntype: keyword\nquery: 'بغداد AND (انفجار OR هجوم'\n")
    write(tmp_path, "missing.yaml", "name: c\ntype: frequency\nquery: بغداد\ntimeframe: 5x\n")
    write(tmp_path, "elastalert.yaml", "name: d\ntype: keyword\nquery: بغداد\nindex: logstash-*\n")
    write(tmp_path, "syntax.yaml", "name: e\ntype: keyword\nquery: [بغداد\n")
    write(tmp_path, "twice.yaml", "name: f\ntype: keyword\nquery: بغداد\nname: g\n")
    problems = {p.file.name + ":" + str(p.line): str(p) for p in load_rules(tmp_path).problems}
    assert "did you mean 'realert'" in problems["typo.yaml:4"]
    assert "missing ')'" in problems["query.yaml:3"]
    assert "num_events" in problems["missing.yaml:1"] and "whole number" in problems["missing.yaml:1"]
    assert "'5x' is not a duration" in problems["missing.yaml:4"]
    assert "ElastAlert2 key 'index'" in problems["elastalert.yaml:4"]
    assert "YAML syntax error" in problems["syntax.yaml:4"]
    assert "appears twice" in problems["twice.yaml:4"]


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: same\ntype: keyword\nquery: بغداد\n")
    write(tmp_path, "b.yaml", "name: same\ntype: keyword\nquery: طهران\n")
    loaded = load_rules(tmp_path)
    assert len(loaded.rules) == 1 and "already used" in str(loaded.problems[0])


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(rules_app, ["check"])
    assert ok.exit_code == 0 and "7 rules valid" in ok.output
    write(tmp_path, "bad.yaml", "name: a\ntype: keyword\nquery: بغداد\nseverity: 9\n")
    bad = runner.invoke(rules_app, ["check", str(tmp_path)])
    assert bad.exit_code == 1
    assert "bad.yaml:4" in bad.output and "severity" in bad.output


def test_cli_check_reports_unset_secret_variables(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RASID_TEST_HOOK_URL", raising=False)
    write(tmp_path, "hook.yaml", "name: a\ntype: keyword\nquery: بغداد\nalert: [post]\n"
                                 "http_post_url: ${RASID_TEST_HOOK_URL}\n")
    result = CliRunner().invoke(rules_app, ["check", str(tmp_path)])
    assert result.exit_code == 1 and "RASID_TEST_HOOK_URL is not set" in result.output


def test_rules_reload_when_files_change_without_restart(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", "name: r\ntype: keyword\nquery: طهران\nrealert: 0m\n")
    engine = RuleEngine(tmp_path, reload_interval=0)
    baghdad_only = article("CN-middleEast-941-20180516")  # mentions بغداد, not طهران
    assert engine.evaluate(baghdad_only, T0) == []
    path.write_text("name: r\ntype: keyword\nquery: بغداد\nrealert: 0m\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert len(engine.evaluate(baghdad_only, T0)) == 1
    # A broken edit keeps the last good version running, and says why.
    path.write_text("name: r\ntype: keyword\nquery: 'بغداد AND ('\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 2_000_000))
    assert len(engine.evaluate(baghdad_only, T0)) == 1
    assert engine.problems and "query" in str(engine.problems[0])
    path.unlink()
    assert engine.evaluate(baghdad_only, T0) == []


def test_prefilter_never_changes_the_answer(tmp_path: Path) -> None:
    queries = ["بغداد", "إيران AND NOT طهران", '"الولايات المتحدة"', "اقتصاد* OR نفط", "NOT كرة",
               "ترامب NEAR/5 إيران", "(روسيا OR الصين) AND اتفاق*", "title:أردوغان", "-بغداد -طهران"]
    for i, query in enumerate(queries):
        write(tmp_path, f"q{i}.yaml", f"name: q{i}\ntype: keyword\nquery: '{query}'\nrealert: 0m\n")
    engine = RuleEngine(tmp_path)
    rng = random.Random(7)
    for row in rng.sample(list(ant_rows().values()), 150):
        item = enriched(row)
        fired = {a.rule_id for a in engine.evaluate(item, T0)}
        ctx = ArticleContext(item, T0.timestamp())
        direct = {r.rule_id for r in engine.rules if r.condition_evidence(ctx) is not None}
        assert fired == direct, row["id"]
