"""Durations in rule files, written the ElastAlert2 way (`{minutes: 10}`) or short (`10m`, `7d`)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_SHORT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_KWARGS = {"seconds", "minutes", "hours", "days", "weeks"}

EXPECTED = "a duration such as {minutes: 10}, {hours: 1, minutes: 30} or '10m' / '2h' / '7d'"


def parse_duration(value: Any) -> timedelta:
    """Read a duration; raise ValueError with what was expected."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        match = _SHORT.match(value)
        if not match:
            raise ValueError(f"{value!r} is not a duration; expected {EXPECTED}")
        return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
    if isinstance(value, dict):
        unknown = set(value) - _KWARGS
        if unknown:
            raise ValueError(f"unknown duration unit(s) {sorted(unknown)}; expected {EXPECTED}")
        if not value:
            raise ValueError(f"empty duration; expected {EXPECTED}")
        for unit, amount in value.items():
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
                raise ValueError(f"{unit}: {amount!r} is not a non-negative number")
        return timedelta(**value)
    raise ValueError(f"{value!r} is not a duration; expected {EXPECTED}")


def format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
]
