"""The processor and sink as supervised child processes of `rasid run`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rasid.embedded.supervisor import SupervisedProcess
from rasid.settings import Settings


def stage_process(settings: Settings, stage: str, instance: int = 1) -> SupervisedProcess:
    """`instance` numbers the processes of one stage (several processors share one consumer group)."""
    env = settings.as_env()
    name = stage
    if instance > 1:
        name = f"{stage}-{instance}"
        # Each process serves its own /metrics: the next ones 100 ports apart (9312, 9412, 9512, ...).
        port = int(env.get(f"RASID_METRICS_PORT_{stage.upper()}", "0") or 0)
        if port:
            env[f"RASID_METRICS_PORT_{stage.upper()}"] = str(port + 100 * (instance - 1))
    return SupervisedProcess(
        name=name,
        command=[sys.executable, "-m", "rasid.cli.main", stage],
        run_dir=settings.data_dir / "run",
        ports={},
        env=env,
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
def stages_running(settings: Settings, names: tuple[str, ...] | None = None) -> Iterator[list[SupervisedProcess]]:
    """The named stages, one process each; by default `settings.processors` processors, the alerts and the sink."""
    if names is None:
        wanted = [stage_process(settings, "processor", n) for n in range(1, settings.processors + 1)]
        wanted += [stage_process(settings, "alerts"), stage_process(settings, "sink")]
    else:
        wanted = [stage_process(settings, name) for name in names]
    with processes_running(wanted) as started:
        yield started
