"""`rasid rules check DIR` and `rasid rules test RULE.yaml --since 7d`."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from rasid.notifiers.secrets import MissingSecret
from rasid.notifiers.targets import notifiers_for_rule
from rasid.rules.duration import parse_duration
from rasid.rules.engine import default_rules_directory
from rasid.rules.loader import load_rule_file, load_rules
from rasid.rules.problems import RuleFileError, RuleProblem

rules_app = typer.Typer(help="Check and back-test alert rules.", no_args_is_help=True)


@rules_app.command("check")
def check_command(
    directory: Path = typer.Argument(None, help="rules directory (default: the bundled sample rules)"),
    allow_missing_env: bool = typer.Option(False, help="do not fail on ${ENV_VAR} secrets that are unset here"),
) -> None:
    """Validate every rule file; print each problem with file, line, what is wrong and what was expected."""
    directory = directory or default_rules_directory()
    loaded = load_rules(directory)
    problems = list(loaded.problems)
    for rule in loaded.rules:
        try:
            notifiers_for_rule(rule.spec)
        except MissingSecret as exc:
            if not allow_missing_env:
                problems.append(RuleProblem(rule.path or directory, None, str(exc), "the variable set"))
    console = Console(stderr=False)
    if loaded.rules:
        table = Table("id", "type", "name", "alert", title=f"{len(loaded.rules)} rules in {directory}")
        for rule in loaded.rules:
            enabled = "" if rule.spec.is_enabled else " (disabled)"
            table.add_row(rule.rule_id, rule.type_name, rule.name + enabled, ", ".join(rule.spec.alert))
        console.print(table)
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {len(loaded.rules)} rules valid")


@rules_app.command("test")
def test_command(
    rule_file: Path = typer.Argument(..., help="the rule file to back-test"),
    since: str = typer.Option("7d", help="how far back: 7d, 12h, 30m …"),
    as_json: bool = typer.Option(False, "--json", help="one JSON alert a line, then a JSON summary"),
    limit: int = typer.Option(50, help="alerts to print (all are counted)"),
) -> None:
    """Back-test a rule on the indexed articles, with the same matching as the stream."""
    from rasid.rules.backtest import backtest, indexed_articles
    from rasid.settings import get_settings
    from rasid.sinks.elasticsearch_client import elasticsearch_client

    try:
        rule = load_rule_file(rule_file, rule_file.parent)
        window = parse_duration(since)
    except RuleFileError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:
        typer.echo(f"error: --since: {exc}", err=True)
        raise typer.Exit(2) from None
    settings = get_settings()
    until = datetime.now(timezone.utc)
    start = until - window
    es = elasticsearch_client(settings)
    result = backtest(rule, indexed_articles(es, f"{settings.index_articles}*", start, until), until)
    for alert in result.alerts[:limit]:
        if as_json:
            typer.echo(alert.model_dump_json())
        else:
            terms = "، ".join(dict.fromkeys(t["text"] for t in alert.matched.get("terms", [])[:5]))
            when = alert.created_at.strftime("%Y-%m-%d %H:%M")
            typer.echo(f"{when}  {alert.alert_id[:12]}  {alert.title[:80]}  {alert.url}" +
                       (f"  [{terms}]" if terms else ""))
    summary = {"rule": rule.rule_id, "since": start.isoformat(), "articles": result.articles,
               "alerts": len(result.alerts)}
    typer.echo(json.dumps(summary, ensure_ascii=False) if as_json else
               f"{rule.rule_id}: {len(result.alerts)} alerts on {result.articles} articles since {start:%Y-%m-%d %H:%M}Z")


if __name__ == "__main__":
    rules_app()
