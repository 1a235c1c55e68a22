"""`rasid web`: the built-in search page (search, threats, live alerts) on http://127.0.0.1:8080."""

from __future__ import annotations

import typer
from rich.console import Console

from rasid.cli.logging_config import configure_logging
from rasid.observability.structured_logging import bind_process
from rasid.pipeline.servers import servers_available
from rasid.settings import get_settings


def web(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 to reach it from other machines)."),
    port: int = typer.Option(8080, min=1, max=65535, help="Port to listen on."),
    log_level: str = typer.Option("INFO"),
) -> None:
    """Serve the search page: Arabic search with highlighted snippets, filters, threats table, live alerts."""
    import uvicorn

    from rasid.web.app import create_app

    configure_logging(log_level)
    bind_process(stage="web")
    settings = get_settings()
    with servers_available(settings):
        Console(stderr=True).print(f"Rasid web on http://{host}:{port}/  (metrics on /metrics; Ctrl-C stops)")
        uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
