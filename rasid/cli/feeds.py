"""`rasid feeds …`: import OPML subscription lists, check feeds once."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

feeds_app = typer.Typer(help="Manage and check news feeds.", no_args_is_help=True)
stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


def _feeds_path(feeds_file: Path | None, curated: bool) -> Path:
    from rasid.producers.default_feeds import DEFAULT_FEEDS_FILE
    from rasid.samples import SAMPLE_FEEDS_FILE
    from rasid.settings import get_settings

    if curated:
        return DEFAULT_FEEDS_FILE
    return feeds_file or get_settings().feeds_file or SAMPLE_FEEDS_FILE


@feeds_app.command("import")
def import_command(
    opml: Path = typer.Argument(..., help="OPML file (an export from a feed reader)."),
    output: Path = typer.Option(Path("feeds.yaml"), "--output", "-o", help="Feeds YAML to write or merge into."),
) -> None:
    """Add every feed of OPML to a feeds YAML (feeds already there, by URL, are kept as they are)."""
    from rasid.producers.feeds_config import FeedConfigError, load_feeds
    from rasid.producers.opml_import import merge_into_yaml, read_opml

    try:
        feeds = read_opml(opml)
        added, kept = merge_into_yaml(feeds, output)
        load_feeds(output)  # what was written must load
    except FeedConfigError as exc:
        stderr.print(f"[red]{exc}")
        raise typer.Exit(2) from exc
    stderr.print(f"{output}: {added} feeds added, {kept} already there ({len(feeds)} in {opml.name})")


@feeds_app.command("check")
def check_command(
    feeds_file: Path | None = typer.Option(None, "--feeds", help="Feeds YAML (default: RASID_FEEDS_FILE, else the bundled samples)."),
    curated: bool = typer.Option(False, "--curated", help="Check the curated default list of Arabic news feeds."),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per feed on stdout instead of a table."),
) -> None:
    """Fetch each feed once (no caching, nothing sent to Kafka) and report status, items, encoding, errors.

    Exits 1 if any feed failed.
    """
    from rasid.producers.feed_check import check_feeds
    from rasid.producers.feeds_config import FeedConfigError, load_feeds
    from rasid.producers.producer_options import ProducerOptions

    path = _feeds_path(feeds_file, curated)
    try:
        feeds = load_feeds(path)
    except FeedConfigError as exc:
        stderr.print(f"[red]{exc}")
        raise typer.Exit(2) from exc
    checks = check_feeds(feeds, ProducerOptions())
    if as_json:
        for check in checks:
            typer.echo(json.dumps(asdict(check), ensure_ascii=False))
    else:
        table = Table(title=f"{len(checks)} feeds from {path}")
        for column in ("source", "feed", "status", "items", "encoding", "seconds", "problem"):
            table.add_column(column, overflow="fold", justify="right" if column in ("items", "seconds") else "left")
        for check in checks:
            status = str(check.http_status or ("file" if check.url.startswith("file:") else "—"))
            verdict = f"[green]ok {status}" if check.ok else f"[red]{check.error_kind} {status}"
            table.add_row(check.source, check.url, verdict, str(check.items), check.encoding or "—",
                          f"{check.seconds:.2f}", check.problem or "")
        stdout.print(table)
    failed = [check for check in checks if not check.ok]
    stderr.print(f"{len(checks) - len(failed)} ok, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)
