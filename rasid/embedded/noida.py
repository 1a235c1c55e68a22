"""noida-db: one binary serving the Kafka and Elasticsearch 8 APIs over a data dir."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from rasid.embedded.supervisor import SupervisedProcess


def noida_binary() -> str:
    binary = files("noida_db").joinpath("noida-db")
    path = Path(str(binary))
    if not path.is_file():
        raise FileNotFoundError(f"noida-db binary not found at {path}; is the noida-db package installed?")
    path.chmod(0o755)
    return str(path)


class NoidaServer(SupervisedProcess):
    """Kafka on `kafka_port`, Elasticsearch on `elasticsearch_port`, data under `data_dir`."""

    def __init__(self, data_dir: Path, kafka_port: int, elasticsearch_port: int, host: str = "127.0.0.1") -> None:
        data_dir = Path(data_dir).resolve()
        super().__init__(
            name="noida-db",
            command=[
                noida_binary(),
                "start",
                "--data-dir", str(data_dir / "noida"),
                "--host", host,
                "--only", "kafka,elasticsearch",
                "--kafka-port", str(kafka_port),
                "--elasticsearch-port", str(elasticsearch_port),
            ],
            run_dir=data_dir / "run",
            ports={"kafka": kafka_port, "elasticsearch": elasticsearch_port},
            host=host,
        )

    @property
    def kafka_bootstrap(self) -> str:
        return f"{self.host}:{self.ports['kafka']}"

    @property
    def elasticsearch_url(self) -> str:
        return f"http://{self.host}:{self.ports['elasticsearch']}"
