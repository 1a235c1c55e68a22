"""`rasid up|down|run|processor|sink`: servers and the running pipeline."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import typer
from rich.console import Console

from rasid.cli.logging_config import configure_logging
from rasid.embedded import ServerStartError
from rasid.observability.process import observe_process
from rasid.pipeline.runner import run_forever, run_once, run_producer
from rasid.pipeline.servers import embedded_server
from rasid.pipeline.stages import StageFailed
from rasid.producers.feeds_config import FeedConfigError, load_feeds
from rasid.samples import SAMPLE_FEEDS_FILE
from rasid.settings import get_settings
from rasid.streams.topics import ensure_topics

stderr = Console(stderr=True)


def up() -> None:
    """Start the embedded Kafka + Elasticsearch server (noida-db) and wait until both answer."""
    configure_logging()
    settings = get_settings()
    if not settings.embedded:
        stderr.print("RASID_EMBEDDED=false: using your own servers, nothing to start.")
        raise typer.Exit(0)
    server = embedded_server(settings)
    try:
        server.start()
    except ServerStartError as exc:
        stderr.print(f"[red]could not start the embedded servers:[/red] {exc}")
        raise typer.Exit(1) from exc
    created = ensure_topics(settings)
    stderr.print(f"Kafka         {settings.kafka_bootstrap}")
    stderr.print(f"Elasticsearch {settings.elasticsearch_url}")
    stderr.print(f"data in {settings.data_dir.resolve()}, pid {server.running_pid()}, log {server.log_file}")
    if created:
        stderr.print(f"created topics: {', '.join(created)}")


def down() -> None:
    """Stop the embedded server started by `rasid up` (its data is kept)."""
    settings = get_settings()
    stopped = embedded_server(settings).stop()
    stderr.print("stopped noida-db" if stopped else "noida-db was not running")


def _feeds(feeds_file: Path | None):  # noqa: ANN202 - list[FeedConfig]
    path = feeds_file or get_settings().feeds_file or SAMPLE_FEEDS_FILE
    try:
        return load_feeds(path)
    except FeedConfigError as exc:
        stderr.print(f"[red]{exc}")
        raise typer.Exit(2) from exc


def run(
    once: bool = typer.Option(False, "--once", help="Poll every feed once, wait until all is indexed, print a JSON summary."),
    feeds_file: Path = typer.Option(None, "--feeds", help="Feeds YAML (default: RASID_FEEDS_FILE, else the bundled samples)."),
    timeout: float = typer.Option(180.0, help="With --once: give up waiting for indexing after this many seconds."),
    log_level: str = typer.Option("WARNING", help="Log level for the pipeline's own messages."),
    processors: int | None = typer.Option(None, "--processors", min=1, max=64,
                                   help="Processor processes to start (default: RASID_PROCESSORS, else 1); "
                                        "one per core enriches that many times faster."),
) -> None:
    """Run producer, processor(s), alert stage and sink together with a live progress display; restart a stage that dies."""
    configure_logging(log_level)
    settings = get_settings()
    if processors is not None:
        settings = settings.model_copy(update={"processors": processors})
    if settings.processors > settings.partitions:
        stderr.print(f"[yellow]{settings.processors} processors share {settings.partitions} partitions: "
                     f"{settings.processors - settings.partitions} will stay idle (RASID_PARTITIONS sets the "
                     "partitions of topics Rasid creates)")
    feeds = _feeds(feeds_file)
    observe_process("producer", settings)
    try:
        if once:
            summary = run_once(settings, feeds, timeout, stderr)
        else:
            stopping = {"flag": False}
            signal.signal(signal.SIGTERM, lambda *_: stopping.update(flag=True))
            try:
                summary = run_forever(settings, feeds, stderr, lambda: stopping["flag"])
            except KeyboardInterrupt:
                stderr.print("stopped")
                return
    except ServerStartError as exc:
        stderr.print(f"[red]could not start the embedded servers:[/red] {exc}")
        raise typer.Exit(1) from exc
    except StageFailed as exc:
        stderr.print(f"[red]stopped:[/red] {exc}")
        raise typer.Exit(1) from exc
    for url, error in summary.feed_errors.items():
        stderr.print(f"[red]feed error[/red] {url}: {error}")
    typer.echo(json.dumps(summary.as_json_dict(), ensure_ascii=False))
    if once and not summary.complete:
        raise typer.Exit(3)


def producer(
    feeds_file: Path = typer.Option(None, "--feeds", help="Feeds YAML (default: RASID_FEEDS_FILE, else the bundled samples)."),
    log_level: str = typer.Option("INFO"),
) -> None:
    """Run the feed producer alone: poll each feed on its interval, send new articles to news.raw."""
    configure_logging(log_level)
    stopping = {"flag": False}
    signal.signal(signal.SIGTERM, lambda *_: stopping.update(flag=True))
    signal.signal(signal.SIGINT, lambda *_: stopping.update(flag=True))
    observe_process("producer", get_settings())
    run_producer(get_settings(), _feeds(feeds_file), lambda: stopping["flag"])


def processor(log_level: str = typer.Option("WARNING")) -> None:
    """Run the Faust enrichment worker (news.raw → news.enriched)."""
    from rasid.processors.worker import run_worker

    configure_logging(log_level)
    run_worker(get_settings(), loglevel=log_level)


def alerts(log_level: str = typer.Option("WARNING")) -> None:
    """Run the alert worker: rules on news.enriched → news.alerts → notifiers (each alert sent once)."""
    from rasid.processors.alert_agent import run_alerts_worker

    configure_logging(log_level)
    run_alerts_worker(get_settings(), loglevel=log_level)


def sink(log_level: str = typer.Option("WARNING")) -> None:
    """Run the Elasticsearch sink (news.enriched → rasid-articles, rasid-threats; news.alerts → rasid-alerts)."""
    from rasid.sinks.elasticsearch_sink import ElasticsearchSink

    configure_logging(log_level)
    observe_process("sink", get_settings())
    worker = ElasticsearchSink(get_settings())
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    signal.signal(signal.SIGINT, lambda *_: worker.stop())
    worker.run()
