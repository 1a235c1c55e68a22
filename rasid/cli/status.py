"""`rasid status`: one screen with per-stage throughput, lag per topic and partition, the last error, index counts."""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rasid.observability.pipeline_status import PipelineStatus, StatusReader
from rasid.pipeline.live_view import live_view
from rasid.pipeline.servers import servers_available
from rasid.settings import get_settings
from rasid.sinks.elasticsearch_client import elasticsearch_client

STAGE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("producer", "feeds → news.raw", "raw"),
    ("processor", "news.raw → news.enriched", "enriched"),
    ("alerts", "news.enriched → news.alerts", "alerts"),
    ("sink", "enriched + alerts → Elasticsearch (committed)", "sink_committed"),
)


def render(status: PipelineStatus, title: str = "rasid status") -> Group:
    stages = Table(title=f"throughput (records/s over {status.interval_s:g} s)", title_justify="left", expand=True)
    stages.add_column("stage")
    stages.add_column("flow")
    stages.add_column("per s", justify="right")
    stages.add_column("total", justify="right")
    stages.add_column("/metrics")
    for stage, flow, total_key in STAGE_ROWS:
        metrics = status.metrics_up.get(stage)
        stages.add_row(
            stage, flow, f"{status.throughput_per_s.get(stage, 0.0):g}",
            str(status.totals.get(total_key, "")),
            "" if metrics is None else ("[green]up[/green]" if metrics else "[dim]down[/dim]"),
        )

    lag = Table(title="consumer lag", title_justify="left", expand=True)
    for column, justify in (("group", "left"), ("topic", "left"), ("partition", "right"), ("committed", "right"),
                            ("end", "right"), ("lag", "right")):
        lag.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in status.lag:
        style = "bold yellow" if row.lag else ""
        lag.add_row(row.group, row.topic, str(row.partition), "—" if row.committed is None else str(row.committed),
                    str(row.end_offset), Text(str(row.lag), style=style))
    if not status.lag:
        lag.add_row("[dim]no consumer group has committed yet[/dim]", "", "", "", "", "")

    indices = Table(title="indices", title_justify="left", expand=True)
    indices.add_column("index")
    indices.add_column("documents", justify="right")
    for index, count in status.index_counts.items():
        indices.add_row(index, "[dim]missing[/dim]" if count is None else str(count))

    if status.last_error is None:
        error = Panel(Text(f"none ({status.dead_letters} dead letters)"), title="last error", title_align="left")
    else:
        e = status.last_error
        where = f"{e.topic}[{e.partition}]@{e.offset}" if e.topic is not None else ""
        error = Panel(
            Text.assemble((f"{e.at}  ", "dim"), (f"{e.stage}: ", "bold red"), e.reason,
                          (f"\n{where} key={e.key}   ({status.dead_letters} dead letters in all)", "dim")),
            title="last error (newest dead letter)", title_align="left",
        )
    return Group(Text(title, style="bold"), stages, lag, error, indices)


def status(
    interval: float = typer.Option(2.0, "--interval", "-i", min=0.2, help="Seconds to measure throughput over."),
    watch: bool = typer.Option(False, "--watch", "-w", help="Keep refreshing until Ctrl-C."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of the screen."),
) -> None:
    """Per-stage throughput, lag per topic and partition, the last error and index document counts."""
    settings = get_settings()
    console = Console()
    with servers_available(settings):
        reader = StatusReader(settings, elasticsearch_client(settings))
        try:
            current, snapshot = reader.status(interval)
            if as_json:
                typer.echo(json.dumps(_json(current), ensure_ascii=False))
                return
            if not watch:
                console.print(render(current))
                return
            with live_view(render(current, "rasid status (Ctrl-C stops)"), console, refresh_per_second=1) as live:
                try:
                    while True:
                        time.sleep(interval)
                        current, snapshot = reader.status(interval, previous=snapshot)
                        live.update(render(current, "rasid status (Ctrl-C stops)"))
                except KeyboardInterrupt:
                    pass
        finally:
            reader.close()


def _json(current: PipelineStatus) -> dict[str, object]:
    data = asdict(current)
    data["lag"] = [{**asdict(row), "lag": row.lag} for row in current.lag]
    return data
