"""What a rule file may say: the ElastAlert2 vocabulary (name, type, realert, query_key,
num_events, timeframe, alert, http_post_url, slack_webhook_url, email, aggregation …)
plus Rasid's article conditions (query, entity, threat, sources).

Validated with pydantic; every field says what it expects, which is what an
analyst reads when a file is wrong.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from rasid.records import EntityLabel, ThreatCategory
from rasid.rules.duration import Duration

TextField = Literal["title", "summary", "content"]
RuleTypeName = Literal["keyword", "entity", "threat", "frequency", "spike", "new_term", "flatline"]
RULE_TYPES: tuple[str, ...] = ("keyword", "entity", "threat", "frequency", "spike", "new_term", "flatline")
TargetName = Literal["log", "post", "http_post", "post2", "webhook", "slack", "email"]

QUERY_KEY_EXPECTED = "source, feed_url, entity, or entity:PER / entity:ORG / entity:LOC / entity:MISC"
_QUERY_KEY = re.compile(r"^(source|feed_url|entity(:(PER|ORG|LOC|MISC))?)$")
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")
_CAMEO = re.compile(r"^\d{2,4}\*?$")


def _listify(value: Any) -> Any:
    """ElastAlert2 accepts one value where a list is expected (`email: a@b`); so do we."""
    if value is None or isinstance(value, list):
        return value
    return [value]


StrList = Annotated[list[str], BeforeValidator(_listify)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EntityCondition(_Strict):
    """An entity the article must mention."""

    label: EntityLabel | None = Field(None, description="PER, ORG, LOC or MISC (any label when absent)")
    name: str = Field(..., min_length=1, description="the entity's name as written in Arabic, e.g. محمد بن سلمان")
    aliases: StrList = Field(default_factory=list, description="other names of the same entity, e.g. [ولي العهد السعودي]")
    min_mentions: int = Field(1, ge=1, description="a whole number ≥ 1: mentions needed in one article")


class ThreatCondition(_Strict):
    """A threat statement the article must report; every given part must hold."""

    actor: str | None = Field(None, description="a keyword query on the threatening actor (as written, or the name it "
                                                "refers to), e.g. إيران OR طهران")
    target: str | None = Field(None, description="a keyword query on the threatened target")
    category: Annotated[list[ThreatCategory], BeforeValidator(_listify)] | None = Field(
        None, description="one or more of military, terrorism, political, economic, cyber, other")
    cameo_code: StrList | None = Field(
        None, description="CAMEO codes or prefixes, e.g. ['138', '13*'] (13x = threaten)")
    min_severity: int = Field(1, ge=1, le=5, description="a severity from 1 to 5")
    include_negated: bool = Field(False, description="true to count negated threats (لن نهدد …) too")

    @field_validator("cameo_code")
    @classmethod
    def _codes(cls, value: list[str] | None) -> list[str] | None:
        for code in value or []:
            if not _CAMEO.match(code):
                raise ValueError(f"{code!r} is not a CAMEO code (expected digits such as '138' or a prefix '13*')")
        return value


class RuleSpec(_Strict):
    """Keys every rule type shares."""

    name: str = Field(..., min_length=1, description="a unique, human-readable rule name")
    id: str | None = Field(None, description="a stable id of letters, digits, _ . - / (default: the file's path)")
    type: RuleTypeName = Field(..., description=", ".join(RULE_TYPES))
    description: str = ""
    is_enabled: bool = Field(True, description="true or false")
    severity: int = Field(3, ge=1, le=5, description="a severity from 1 (low) to 5 (critical)")
    realert: Duration = Field(timedelta(minutes=1), description="how long to stay quiet per key after an alert, "
                                                                "e.g. {minutes: 10}")
    query_key: str | None = Field(None, description=QUERY_KEY_EXPECTED)
    aggregation: Duration | None = Field(None, description="send a digest every N, e.g. {minutes: 15}")

    # What an article must contain (all given conditions must hold).
    query: str | None = Field(None, description='a keyword query, e.g. بغداد AND (انفجار OR "سيارة مفخخة")')
    fields: list[TextField] = Field(default_factory=lambda: ["title", "summary", "content"],
                                    description="text fields to search: any of title, summary, content")
    default_operator: Literal["AND", "OR"] = Field("AND", description="AND or OR, between words side by side")
    entity: EntityCondition | None = None
    threat: ThreatCondition | None = None
    sources: StrList | None = Field(None, description="source names or feed URLs, e.g. [bbc, alarabiya]")

    # Where alerts go (ElastAlert2 names).
    alert: Annotated[list[TargetName], BeforeValidator(_listify)] = Field(
        default_factory=lambda: ["log"], description="a list of log, post, slack, email")
    http_post_url: str | None = Field(None, description="the webhook URL, or ${ENV_VAR} holding it")
    http_post_headers: dict[str, str] = Field(default_factory=dict, description="header: value (values may be ${ENV_VAR})")
    http_post_static_payload: dict[str, Any] = Field(default_factory=dict, description="extra JSON keys sent with every alert")
    http_post_timeout: float = Field(10.0, gt=0, le=120, description="seconds, more than 0 and at most 120")
    http_post_max_retries: int = Field(3, ge=0, le=10, description="retries after a failed call, 0 to 10")
    slack_webhook_url: str | None = Field(None, description="the Slack incoming-webhook URL, or ${ENV_VAR} holding it")
    slack_channel_override: str | None = None
    slack_username_override: str | None = None
    slack_timeout: float = Field(10.0, gt=0, le=120, description="seconds, more than 0 and at most 120")
    email: StrList | None = Field(None, description="recipient addresses")
    from_addr: str = Field("rasid@localhost", description="the sender address")
    smtp_host: str = Field("localhost", description="the SMTP server host")
    smtp_port: int = Field(25, ge=1, le=65535, description="a TCP port")
    smtp_ssl: bool = Field(False, description="true for SMTP over TLS (port 465)")
    smtp_starttls: bool = Field(False, description="true to upgrade with STARTTLS")
    smtp_user: str | None = Field(None, description="the SMTP user, or ${ENV_VAR}")
    smtp_password: str | None = Field(None, description="${ENV_VAR} holding the SMTP password")
    smtp_timeout: float = Field(10.0, gt=0, le=120, description="seconds, more than 0 and at most 120")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        if value is not None and not _RULE_ID.match(value):
            raise ValueError(f"{value!r} is not a rule id (letters, digits, _ . - / only)")
        return value

    @field_validator("query_key")
    @classmethod
    def _query_key(cls, value: str | None) -> str | None:
        if value is not None and not _QUERY_KEY.match(value):
            raise ValueError(f"{value!r} is not a key to group by (expected {QUERY_KEY_EXPECTED})")
        return value

    @field_validator("fields")
    @classmethod
    def _fields(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("no text field given (expected at least one of title, summary, content)")
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _targets_have_settings(self) -> "RuleSpec":
        wants = set(self.alert)
        if wants & {"post", "http_post", "post2", "webhook"} and not self.http_post_url:
            raise ValueError("alert 'post' needs http_post_url (the webhook URL or ${ENV_VAR})")
        if "slack" in wants and not self.slack_webhook_url:
            raise ValueError("alert 'slack' needs slack_webhook_url (the webhook URL or ${ENV_VAR})")
        if "email" in wants and not self.email:
            raise ValueError("alert 'email' needs email: [recipient addresses]")
        return self

    @property
    def has_condition(self) -> bool:
        return bool(self.query or self.entity or self.threat or self.sources)


class KeywordRuleSpec(RuleSpec):
    type: Literal["keyword"]
    query: str = Field(..., min_length=1, description='a keyword query, e.g. بغداد AND (انفجار OR "سيارة مفخخة")')


class EntityRuleSpec(RuleSpec):
    type: Literal["entity"]
    entity: EntityCondition = Field(..., description="{label: PER, name: …, aliases: […]}")


class ThreatRuleSpec(RuleSpec):
    type: Literal["threat"]
    threat: ThreatCondition = Field(default_factory=ThreatCondition,
                                    description="{actor: …, target: …, category: …, cameo_code: …, min_severity: …}")


class FrequencyRuleSpec(RuleSpec):
    type: Literal["frequency"]
    num_events: int = Field(..., ge=1, description="a whole number ≥ 1: matching articles within timeframe")
    timeframe: Duration = Field(..., description="the window, e.g. {hours: 1}")


class SpikeRuleSpec(RuleSpec):
    type: Literal["spike"]
    timeframe: Duration = Field(..., description="the current window; the reference window is the one before it")
    spike_height: float = Field(..., gt=1, description="a ratio above 1, e.g. 3 for three times the reference rate")
    spike_type: Literal["up", "down", "both"] = Field("up", description="up, down or both")
    threshold_cur: int = Field(0, ge=0, description="minimum matches in the current window")
    threshold_ref: int = Field(0, ge=0, description="minimum matches in the reference window")


class NewTermRuleSpec(RuleSpec):
    type: Literal["new_term"]
    query_key: str = Field("entity", description=QUERY_KEY_EXPECTED)
    terms_window_size: Duration = Field(timedelta(days=30), description="a term unseen this long is new again")
    warmup: Duration = Field(timedelta(0), description="learn terms without alerting for this long after start")


class FlatlineRuleSpec(RuleSpec):
    type: Literal["flatline"]
    threshold: int = Field(1, ge=1, description="fewer articles than this within timeframe is a flatline")
    timeframe: Duration = Field(..., description="the window, e.g. {hours: 6}")
    query_key: str = Field("feed_url", description="feed_url or source")
    realert: Duration = Field(timedelta(hours=6), description="quiet time per feed after a flatline alert")

    @field_validator("query_key")
    @classmethod
    def _feed_key(cls, value: str) -> str:
        if value not in ("feed_url", "source"):
            raise ValueError(f"{value!r} cannot flatline (expected feed_url or source)")
        return value


SPEC_BY_TYPE: dict[str, type[RuleSpec]] = {
    "keyword": KeywordRuleSpec,
    "entity": EntityRuleSpec,
    "threat": ThreatRuleSpec,
    "frequency": FrequencyRuleSpec,
    "spike": SpikeRuleSpec,
    "new_term": NewTermRuleSpec,
    "flatline": FlatlineRuleSpec,
}

# ElastAlert2 keys that make no sense for a rule evaluated on the stream: (why, what to do).
ELASTALERT_ONLY_KEYS: dict[str, tuple[str, str]] = {
    key: ("Rasid rules run on the article stream, not on an index", f"no {key} key (remove it)")
    for key in ("index", "es_host", "es_port", "use_strftime_index", "timestamp_field", "run_every", "buffer_time")
}
ELASTALERT_ONLY_KEYS["filter"] = (
    "Rasid rules do not take Elasticsearch filters",
    "query: a Rasid keyword query instead, e.g. query: 'بغداد AND انفجار'",
)
