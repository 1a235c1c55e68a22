"""A live-updating table on the console (rich's `Live`) that ends its output with a line break.

rich ends a live display with a line break only on a terminal. Redirected to a file or pipe (a log,
`rasid run --once 2>&1 | tee`), the last frame's final line stayed open and whatever came next (the
JSON summary on stdout) was glued to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console, RenderableType
from rich.live import Live


@contextmanager
def live_view(renderable: RenderableType, console: Console, refresh_per_second: float) -> Iterator[Live]:
    try:
        with Live(renderable, console=console, refresh_per_second=refresh_per_second) as live:
            yield live
    finally:
        if not console.is_terminal:
            console.line()
