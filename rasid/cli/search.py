"""`rasid search QUERY`: top hits with highlighted snippets."""

from __future__ import annotations

import typer
from rich.console import Console

from rasid.pipeline.servers import servers_available
from rasid.search.article_search import search_articles
from rasid.settings import get_settings
from rasid.sinks.elasticsearch_client import elasticsearch_client


def search(
    query: str = typer.Argument(..., help="Arabic words or phrases, e.g. \"الحوثيين\""),
    size: int = typer.Option(10, "--size", "-n", min=1, max=100),
) -> None:
    """Search indexed articles and print the top hits with highlighted snippets."""
    settings = get_settings()
    console = Console()
    with servers_available(settings):
        total, hits = search_articles(elasticsearch_client(settings), settings, query, size)
    console.print(f"{total} article(s) match {query!r}", highlight=False)
    for rank, hit in enumerate(hits, 1):
        console.print(f"\n[bold]{rank}. {hit.title}[/bold]  [dim]{hit.source} · {hit.published_at}[/dim]", highlight=False)
        console.print(f"   {hit.url}", highlight=False, soft_wrap=True)
        for snippet in hit.snippets[:3]:
            console.print(f"   … {snippet} …", highlight=False)
