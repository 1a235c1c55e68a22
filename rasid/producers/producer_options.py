"""How the producer behaves on the network: RASID_PRODUCER_* environment variables or `.env`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from rasid import __version__

DEFAULT_USER_AGENT = f"Rasid/{__version__} (Arabic news monitor; +https://github.com/rasid/rasid) python-httpx"


class ProducerOptions(BaseSettings):
    """Politeness, limits and safety of feed polling and full-text fetching."""

    model_config = SettingsConfigDict(env_prefix="RASID_PRODUCER_", env_file=".env", extra="ignore")

    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = Field(64, ge=1, le=4096, description="feeds fetched at the same time")
    per_host_concurrency: int = Field(8, ge=1, description="feeds of one host fetched at the same time")
    connect_timeout_s: float = Field(10.0, gt=0)
    read_timeout_s: float = Field(20.0, gt=0, description="longest wait for the next bytes")
    total_timeout_s: float = Field(45.0, gt=0, description="longest a whole fetch may take (slow-drip servers)")
    max_feed_bytes: int = Field(5 * 1024 * 1024, ge=1024, description="decompressed size cap of a feed")
    max_page_bytes: int = Field(3 * 1024 * 1024, ge=1024, description="decompressed size cap of an article page")
    max_redirects: int = Field(5, ge=0, le=20)
    jitter: float = Field(0.1, ge=0, le=0.5, description="± fraction of a feed's interval, so polls spread out")
    max_backoff_s: float = Field(6 * 3600, gt=0, description="longest wait after repeated errors")
    max_retry_after_s: float = Field(24 * 3600, gt=0, description="Retry-After values above this are capped")
    page_interval_s: float = Field(1.0, ge=0, description="least time between two article pages of one host")
    allow_private_addresses: bool = Field(
        False, description="let article links reach loopback/private/link-local addresses (tests, intranets)")
    seen_capacity: int = Field(2_000_000, ge=1000, description="article keys remembered (oldest forgotten first)")
