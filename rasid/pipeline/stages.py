"""The processor and sink as supervised child processes of `rasid run`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rasid.embedded.supervisor import SupervisedProcess
from rasid.settings import Settings


def stage_process(settings: Settings, stage: str) -> SupervisedProcess:
    return SupervisedProcess(
        name=stage,
        command=[sys.executable, "-m", "rasid.cli.main", stage],
        run_dir=settings.data_dir / "run",
        ports={},
        env=settings.as_env(),
    )


@contextmanager
def processes_running(processes: list[SupervisedProcess]) -> Iterator[list[SupervisedProcess]]:
    """Start each in order; stop those that started in reverse order, whatever happens."""
    started: list[SupervisedProcess] = []
    try:
        for process in processes:
            process.start()
            started.append(process)
        yield started
    finally:
        for process in reversed(started):
            process.stop()


@contextmanager
def stages_running(settings: Settings, names: tuple[str, ...] = ("processor", "alerts", "sink")) -> Iterator[list[SupervisedProcess]]:
    with processes_running([stage_process(settings, name) for name in names]) as started:
        yield started
