"""One definition of each record that crosses a stage boundary, shared by all stages."""

from rasid.records.alert import Alert, alert_id_for
from rasid.records.article import TEXT_FIELDS, Article, EnrichedArticle
from rasid.records.dead_letter import DeadLetter
from rasid.records.entity import Entity, EntityLabel
from rasid.records.schema import SCHEMA_VERSION, UnsupportedSchemaVersion, VersionedRecord
from rasid.records.threat import Span, ThreatCategory, ThreatStatement

__all__ = [
    "Alert",
    "Article",
    "DeadLetter",
    "EnrichedArticle",
    "Entity",
    "EntityLabel",
    "SCHEMA_VERSION",
    "Span",
    "TEXT_FIELDS",
    "ThreatCategory",
    "ThreatStatement",
    "UnsupportedSchemaVersion",
    "VersionedRecord",
    "alert_id_for",
]
