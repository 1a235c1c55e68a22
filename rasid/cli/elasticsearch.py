"""`rasid es setup|status` and `rasid reindex`: index templates, versioned indices behind aliases, ILM."""

from __future__ import annotations

import json
import time

import typer
from elasticsearch import Elasticsearch
from rich.console import Console

from rasid.cli.logging_config import configure_logging
from rasid.pipeline.servers import servers_available
from rasid.settings import Settings, get_settings
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.sinks.index_aliases import alias_names, alias_state, existing_versions
from rasid.sinks.index_setup import setup_indices
from rasid.sinks.lifecycle import DEFAULT_POLICY, Rollover
from rasid.sinks.reindex import ReindexError, ReindexReport, reindex

stderr = Console(stderr=True)

es_app = typer.Typer(help="Elasticsearch indices: templates, aliases, lifecycle.", no_args_is_help=True)


def wait_for_elasticsearch(es: Elasticsearch, url: str, wait_s: float) -> None:
    """Wait until the cluster answers with at least yellow health (a starting container takes a while)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            es.cluster.health(wait_for_status="yellow", timeout="5s")
            return
        except Exception as exc:  # noqa: BLE001 - any failure means "not yet"; the last one is reported
            if time.monotonic() >= deadline:
                stderr.print(f"[red]Elasticsearch at {url} did not answer within {wait_s:.0f}s:[/red] {exc}")
                raise typer.Exit(1) from exc
            time.sleep(2)


@es_app.command("setup")
def setup(
    shards: int = typer.Option(1, min=1, help="Primary shards per index."),
    replicas: int = typer.Option(None, min=0, help="Replicas per shard (default: 1 when the cluster has a second data node, else 0)."),
    policy: str = typer.Option(DEFAULT_POLICY, help="Name of the ILM policy (where the server has ILM)."),
    rollover_max_size: str = typer.Option(None, help="Turn rollover ON at this primary shard size, e.g. 50gb (read deploy/README.md first: it weakens _id dedup)."),
    rollover_max_age: str = typer.Option(None, help="Turn rollover ON at this index age, e.g. 30d (same caveat)."),
    wait: float = typer.Option(0.0, help="Wait up to this many seconds for Elasticsearch to answer."),
    log_level: str = typer.Option("ERROR", help="Log level for Rasid's own messages."),
) -> None:
    """Install or update the index templates, ILM policy and aliases; safe to run again and again."""
    configure_logging(log_level)
    settings = get_settings()
    rollover = None
    if rollover_max_size or rollover_max_age:
        rollover = Rollover(max_primary_shard_size=rollover_max_size, max_age=rollover_max_age)
    with servers_available(settings):
        es = elasticsearch_client(settings)
        wait_for_elasticsearch(es, settings.elasticsearch_url, wait)
        report = setup_indices(es, settings, shards=shards, replicas=replicas, policy=policy, rollover=rollover)
    for note in report.notes:
        stderr.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    if report.ilm:
        stderr.print(f"ILM policy {report.policy}: {report.policy_status}")
    for name, status in report.templates.templates.items():
        stderr.print(f"template {name}: {status}")
    for state in report.aliases:
        where = ", ".join(state.indices) or "-"
        stderr.print(f"alias {state.alias} → {where}" + (" (created)" if state.created_index else "")
                     + ("  [legacy concrete index]" if state.legacy_index else "")
                     + f"; mappings {report.mappings.get(state.alias)}", highlight=False)
    typer.echo(json.dumps({
        "analysis": "full" if report.templates.analysis.full else "fallback",
        "missing_filters": list(report.templates.analysis.missing),
        "templates": report.templates.templates,
        "aliases": {s.alias: s.indices for s in report.aliases},
        "ilm": report.ilm,
        "mappings": report.mappings,
    }, ensure_ascii=False))


def _status(es: Elasticsearch, settings: Settings) -> dict:
    out = {}
    for alias in alias_names(settings):
        state = alias_state(es, alias)
        versions = existing_versions(es, alias)
        counts = {}
        for index in sorted(name for names in versions.values() for name in names) + (
                [alias] if state.legacy_index else []):
            counts[index] = int(es.count(index=index)["count"])
        out[alias] = {"indices": state.indices, "write_index": state.write_index,
                      "legacy_index": state.legacy_index, "docs": counts}
    return out


@es_app.command("status")
def status() -> None:
    """Where each alias points and how many documents each version holds (JSON on stdout)."""
    settings = get_settings()
    with servers_available(settings):
        typer.echo(json.dumps(_status(elasticsearch_client(settings), settings), ensure_ascii=False, indent=2))


def reindex_command(
    force: bool = typer.Option(False, "--force", help="Swap even when the new version has fewer articles than the live one."),
    delete_old: bool = typer.Option(False, "--delete-old", help="Delete the previous versions after the swap (default: keep them)."),
    alerts: bool = typer.Option(True, "--alerts/--no-alerts", help="Rebuild the alerts index from news.alerts too."),
    log_level: str = typer.Option("WARNING", help="Log level for Rasid's own messages."),
) -> None:
    """Replay news.enriched from the start into new index versions and swap the aliases atomically."""
    configure_logging(log_level)
    settings = get_settings()

    def progress(report: ReindexReport) -> None:
        stderr.print(f"\rreplayed {report.articles} articles, {report.threats} threats, {report.alerts} alerts",
                     end="", highlight=False)

    try:
        with servers_available(settings):
            report = reindex(elasticsearch_client(settings), settings, include_alerts=alerts, force=force,
                             delete_old=delete_old, progress=progress)
    except ReindexError as exc:
        stderr.print(f"\n[red]reindex failed:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    stderr.print()
    for where, first in report.truncated.items():
        stderr.print(f"[yellow]note:[/yellow] {where} starts at offset {first}: older records were removed by retention",
                     highlight=False)
    for alias, index in report.targets.items():
        stderr.print(f"alias {alias}: {', '.join(report.previous[alias]) or '-'} → {index}", highlight=False)
    kept = [i for alias, indices in report.previous.items() for i in indices if i != alias and i not in report.deleted]
    if kept:
        stderr.print(f"kept the previous versions {', '.join(kept)}; delete them when satisfied "
                     "(or run with --delete-old)", highlight=False)
    typer.echo(json.dumps({
        "swapped": report.swapped, "aliases": report.targets, "previous": report.previous,
        "articles": report.articles, "threats": report.threats, "alerts": report.alerts,
        "stale": report.stale, "invalid": report.invalid, "refused": len(report.refused),
        "live_articles": report.live_articles, "new_articles": report.new_articles,
        "caught_up": report.caught_up, "deleted": report.deleted, "seconds": report.seconds,
    }, ensure_ascii=False))


if __name__ == "__main__":
    es_app()
