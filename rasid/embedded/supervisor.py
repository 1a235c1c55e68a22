"""Supervise a child process: pid file, log file, readiness wait (open ports), clean stop, no orphans."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


class ServerStartError(RuntimeError):
    """A server binary did not start or did not answer in time."""


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return True


@dataclass
class SupervisedProcess:
    """A long-running child process (server or stage) with its own process group, pid file and log."""

    name: str
    command: list[str]
    run_dir: Path
    ports: dict[str, int]
    host: str = "127.0.0.1"
    env: dict[str, str] = field(default_factory=dict)
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.run_dir / f"{self.name}.log"

    def running_pid(self) -> int | None:
        """The pid recorded in the pid file, if that process is still alive."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if pid_alive(pid) else None

    def answering(self) -> bool:
        return all(port_open(self.host, port) for port in self.ports.values())

    def start(self, timeout: float = 30.0) -> None:
        """Start the binary (unless already running) and wait until every port answers."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self.running_pid() is not None and self.answering():
            return
        busy = [f"{what} {port}" for what, port in self.ports.items() if port_open(self.host, port)]
        if busy:
            raise ServerStartError(
                f"{self.name}: port(s) already in use by another program: {', '.join(busy)}; "
                "stop it or choose other ports (RASID_EMBEDDED_*_PORT)"
            )
        log = self.log_file.open("ab")
        # Own session: Ctrl-C in the terminal reaches us, and we stop the whole group ourselves.
        self._process = subprocess.Popen(
            self.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **self.env},
        )
        log.close()
        self.pid_file.write_text(str(self._process.pid))
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise ServerStartError(
                    f"{self.name} exited with code {self._process.returncode}; "
                    f"last log lines:\n{self.tail_log()}"
                )
            if self.answering():
                return
            time.sleep(0.1)
        self.stop()
        raise ServerStartError(f"{self.name} did not answer on {self.ports} within {timeout:.0f}s:\n{self.tail_log()}")

    def stop(self, timeout: float = 15.0) -> bool:
        """Stop the server group: SIGTERM, then SIGKILL after `timeout`. True if something was stopped."""
        pid = self._process.pid if self._process is not None else self.running_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        self._signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._alive(pid):
            time.sleep(0.1)
        if self._alive(pid):
            self._signal_group(pid, signal.SIGKILL)
            while self._alive(pid):
                time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)
        self._process = None
        return True

    def kill(self) -> None:
        """SIGKILL, as a crash would (for reliability tests)."""
        pid = self._process.pid if self._process is not None else self.running_pid()
        if pid is not None:
            self._signal_group(pid, signal.SIGKILL)
            while self._alive(pid):
                time.sleep(0.05)
        self._process = None

    def exit_code(self) -> int | None:
        """The exit status of a process this object started that has since ended; None while it runs."""
        return self._process.poll() if self._process is not None else None

    def _alive(self, pid: int) -> bool:
        if self._process is not None and self._process.pid == pid:
            return self._process.poll() is None
        return pid_alive(pid)

    @staticmethod
    def _signal_group(pid: int, sig: signal.Signals) -> None:
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def tail_log(self, lines: int = 20) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return "(no log)"
        # noida-db prints a harmless glibc symbol-version warning on older systems.
        kept = [line for line in text.splitlines() if "weak version" not in line]
        return "\n".join(kept[-lines:])
