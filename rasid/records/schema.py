"""Schema versioning shared by every record that crosses a Kafka topic."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

SCHEMA_VERSION = "1.0"
SCHEMA_MAJOR = int(SCHEMA_VERSION.split(".")[0])


class UnsupportedSchemaVersion(ValueError):
    """A record was written by a producer whose major schema version we do not read."""


class VersionedRecord(BaseModel):
    """Base of every topic record: carries `schema_version` and rejects unknown majors."""

    # Unknown fields from a newer *minor* version are tolerated and dropped.
    model_config = ConfigDict(extra="ignore")

    schema_version: str = SCHEMA_VERSION

    @field_validator("schema_version")
    @classmethod
    def _known_major(cls, value: str) -> str:
        major = value.split(".", 1)[0]
        if not major.isdigit() or int(major) != SCHEMA_MAJOR:
            raise UnsupportedSchemaVersion(
                f"schema_version {value!r} is not readable by this Rasid "
                f"(reads major version {SCHEMA_MAJOR})"
            )
        return value
