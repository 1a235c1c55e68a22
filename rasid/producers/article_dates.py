"""Publication dates as UTC datetimes, from what feeds really send.

feedparser reads RFC 822 / ISO 8601 / W3C dates. Arabic sites also send Arabic month names in
three traditions (Egyptian "فبراير", Levantine/Iraqi "شباط", Maghrebi "فيفري"), Arabic-Indic digits,
ص/م for AM/PM, and day names; those are parsed here. A date without a zone is taken as UTC; a date
far in the future or before the web existed is treated as missing.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate([
    ("يناير", "كانون الثاني", "جانفي", "ينار"),
    ("فبراير", "شباط", "فيفري", "فبراير"),
    ("مارس", "آذار", "اذار", "أذار"),
    ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "افريل", "ابريل"),
    ("مايو", "أيار", "ايار", "ماي"),
    ("يونيو", "يونيه", "حزيران", "جوان"),
    ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    ("أغسطس", "اغسطس", "آب", "اب", "أوت", "اوت", "غشت"),
    ("سبتمبر", "أيلول", "ايلول", "شتنبر"),
    ("أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول", "أكتوبر"),
    ("نوفمبر", "تشرين الثاني", "نونبر"),
    ("ديسمبر", "كانون الأول", "كانون الاول", "دجنبر"),
], start=1):
    for _name in _names:
        _MONTHS[_name] = _number
# Longest first, so "كانون الثاني" is tried before a shorter name inside it.
_MONTH_PATTERN = "|".join(sorted((re.escape(n) for n in _MONTHS), key=len, reverse=True))
_ARABIC_DATE = re.compile(
    rf"(?P<day>\d{{1,2}})\s*(?:[/\-.]\s*)?(?P<month>{_MONTH_PATTERN})\s*(?:[/\-.,،]\s*)?(?P<year>\d{{4}})"
    rf"(?:\D{{0,12}}?(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?)?"
    rf"(?:\s*(?P<ampm>ص|م|صباحا|صباحًا|صباحاً|مساء|مساءً|مساءا))?"
    rf"(?:\s*(?:بتوقيت\s*)?(?:GMT|UTC|غرينتش|جرينتش)?\s*(?P<offset>[+-]\d{{1,2}}(?::?\d{{2}})?))?"
)
_EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
_FUTURE_TOLERANCE = timedelta(days=1)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _offset(text: str | None) -> timezone:
    if not text:
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_arabic_date(text: str) -> datetime | None:
    """A date written with an Arabic month name (and maybe Arabic-Indic digits), in UTC."""
    match = _ARABIC_DATE.search(text.translate(_DIGITS).replace("\u0640", ""))
    if not match:
        return None
    hour = int(match["hour"] or 0)
    if match["ampm"] and match["ampm"].startswith("م") and hour < 12:
        hour += 12
    elif match["ampm"] and match["ampm"].startswith("ص") and hour == 12:
        hour = 0
    try:
        local = datetime(int(match["year"]), _MONTHS[match["month"]], int(match["day"]), hour,
                         int(match["minute"] or 0), int(match["second"] or 0), tzinfo=_offset(match["offset"]))
    except ValueError:
        return None
    return local.astimezone(timezone.utc)


def parse_date_text(text: str) -> datetime | None:
    """Any date string feedparser could not read: Arabic first, then a strict generic parser."""
    text = text.strip()
    if not text:
        return None
    try:  # the usual two, cheaply: RFC 822 (RSS) and ISO 8601 (Atom)
        return _utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return _utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    arabic = parse_arabic_date(text)
    if arabic is not None:
        return arabic
    try:
        return _utc(dateutil_parser.parse(text.translate(_DIGITS), fuzzy=False))
    except (ValueError, OverflowError, TypeError):
        return None


def plausible(value: datetime | None, fetched_at: datetime) -> datetime | None:
    """The date if it can be a publication date (not before 1995, not tomorrow), else None."""
    if value is None or value < _EARLIEST or value > fetched_at + _FUTURE_TOLERANCE:
        return None
    return value


def entry_published(entry: dict, fetched_at: datetime) -> datetime | None:
    """The entry's publication (or update) date in UTC, or None when it has no usable one."""
    for key in ("published", "updated", "created", "dc_date", "date"):
        # dict.get: feedparser's own .get maps a missing "updated" to "published", with a warning.
        parsed: time.struct_time | None = dict.get(entry, f"{key}_parsed")
        if parsed:
            try:
                value = plausible(datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc), fetched_at)
            except (OverflowError, ValueError):
                value = None
            if value is not None:
                return value
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            value = plausible(parse_date_text(raw), fetched_at)
            if value is not None:
                return value
    return None
