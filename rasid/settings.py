"""One settings object for every stage: environment variables (RASID_*) or `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Connection and pipeline settings. Every field reads `RASID_<NAME>` from the environment."""

    model_config = SettingsConfigDict(env_prefix="RASID_", env_file=".env", extra="ignore")

    kafka_bootstrap: str = Field("127.0.0.1:19092", description="Kafka bootstrap servers, comma separated")
    elasticsearch_url: str = Field("http://127.0.0.1:19200", description="Elasticsearch base URL")
    kibana_url: str = Field("http://127.0.0.1:5601", description="Kibana base URL (rasid kibana setup)")
    elasticsearch_username: str | None = None
    elasticsearch_password: str | None = None

    # The embedded default: `rasid up` starts noida-db with these ports and data dir.
    # Set RASID_EMBEDDED=false to use your own Kafka and Elasticsearch at the URLs above.
    embedded: bool = True
    data_dir: Path = Path("var")
    embedded_kafka_port: int = 19092
    embedded_elasticsearch_port: int = 19200

    # Partitions of the topics Rasid creates: 6 share evenly among 1, 2, 3 or 6 processors.
    partitions: int = Field(6, ge=1, le=1024)
    # Processor processes `rasid run` starts (one consumer group): enrichment is CPU-bound and one
    # process uses one core. More processors than partitions leave the extra ones idle.
    processors: int = Field(1, ge=1, le=64)
    # How much lower the alert stage's CPU priority is than the other stages' (Unix nice increment): on a
    # saturated machine enrichment and indexing, which make articles searchable, go first and the alert
    # stage catches up after the burst. On a machine with CPU to spare it changes nothing. 0 = equal.
    alerts_nice: int = Field(5, ge=0, le=19)
    replication_factor: int = Field(1, ge=1)
    topic_raw: str = "news.raw"
    topic_enriched: str = "news.enriched"
    topic_alerts: str = "news.alerts"
    topic_dlq: str = "news.dlq"

    index_articles: str = "rasid-articles"
    index_threats: str = "rasid-threats"
    index_alerts: str = "rasid-alerts"

    feeds_file: Path | None = Field(None, description="feeds YAML; default: the bundled offline samples")
    rules_dir: Path | None = Field(None, description="alert rules directory; default: the bundled sample rules")
    processor_group: str = "rasid-enrich"
    sink_group: str = "rasid-sink"

    # Prometheus /metrics per process (0 turns a stage's endpoint off) and log format.
    metrics_host: str = "127.0.0.1"
    metrics_port_producer: int = Field(9311, ge=0, le=65535)
    metrics_port_processor: int = Field(9312, ge=0, le=65535)
    metrics_port_sink: int = Field(9313, ge=0, le=65535)
    metrics_port_alerts: int = Field(9315, ge=0, le=65535)

    # Sink batching (Kafka Connect: batch.size, bulk bytes, linger.ms) and retries.
    sink_batch_docs: int = Field(1000, ge=1)
    sink_batch_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    # Every article waits up to this long for its batch: 30 ms took 45 ms off the median produce ->
    # searchable at 100 articles/s on the embedded default (bench/e2e.py) for 0.1 ms more sink CPU an article.
    sink_linger_ms: int = Field(30, ge=0)
    sink_backoff_max_s: float = Field(30.0, gt=0)
    sink_shutdown_grace_s: float = Field(15.0, ge=0)
    # A rebalance that has not given this sink its partitions (even none) after this long is stuck: leave and rejoin.
    # Twice the sinks' session timeout, so that a rebalance waiting for a dead member to expire runs its course.
    sink_rebalance_stall_s: float = Field(60.0, gt=0)

    @field_validator("kafka_bootstrap")
    @classmethod
    def _bootstrap_has_port(cls, value: str) -> str:
        for server in value.split(","):
            host, _, port = server.strip().rpartition(":")
            if not host or not port.isdigit():
                raise ValueError(f"expected host:port[,host:port…], got {value!r}")
        return value

    @model_validator(mode="after")
    def _embedded_addresses(self) -> "Settings":
        # The embedded servers listen on loopback at the embedded ports: derive the addresses from them.
        if self.embedded:
            self.kafka_bootstrap = f"127.0.0.1:{self.embedded_kafka_port}"
            self.elasticsearch_url = f"http://127.0.0.1:{self.embedded_elasticsearch_port}"
        return self

    @property
    def bootstrap_servers(self) -> list[str]:
        return [s.strip() for s in self.kafka_bootstrap.split(",")]

    def as_env(self) -> dict[str, str]:
        """These settings as RASID_* variables, so child processes run with exactly the same ones."""
        env = {}
        for name, value in self.model_dump().items():
            if value is not None:
                env[f"RASID_{name.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
        return env

    @property
    def alerts_group(self) -> str:
        """The alert stage's consumer group and Faust app id: its own tables, apart from enrichment's."""
        return f"{self.processor_group}-alerts"

    @property
    def topics(self) -> list[str]:
        return [self.topic_raw, self.topic_enriched, self.topic_alerts, self.topic_dlq]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
