"""The processor and sink as supervised child processes of `rasid run`."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rasid.embedded.supervisor import SupervisedProcess
from rasid.settings import Settings

log = logging.getLogger("rasid.run")

MAX_RESTARTS = 5


class StageFailed(RuntimeError):
    """A stage kept exiting: restarting it again would only hide the fault."""


@dataclass
class StageSupervisor:
    """Restarts a stage process that exited (a crash, an OOM kill, kill -9), at most `max_restarts`
    times each, saying so with the end of its log. The stages commit what they have handled, so the
    restarted one resumes where the dead one stopped and nothing is lost (at-least-once)."""

    processes: list[SupervisedProcess]
    max_restarts: int = MAX_RESTARTS
    restarts: dict[str, int] = field(default_factory=dict)

    def check(self) -> None:
        for process in self.processes:
            code = process.exit_code()
            if code is None:
                continue
            done = self.restarts.get(process.name, 0)
            if done >= self.max_restarts:
                raise StageFailed(f"the {process.name} stage exited with code {code} after {done} restarts; "
                                  f"its log is {process.log_file}, last lines:\n{process.tail_log()}")
            self.restarts[process.name] = done + 1
            log.warning("the %s stage exited with code %s; restarting it (%d of %d). Its log (%s) ends:\n%s",
                        process.name, code, done + 1, self.max_restarts, process.log_file, process.tail_log(8))
            process.start()


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
