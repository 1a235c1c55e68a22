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
def stages_running(settings: Settings, names: tuple[str, ...] = ("processor", "alerts", "sink")) -> Iterator[list[SupervisedProcess]]:
    started: list[SupervisedProcess] = []
    try:
        for name in names:
            process = stage_process(settings, name)
            process.start()
            started.append(process)
        yield started
    finally:
        for process in reversed(started):
            process.stop()
