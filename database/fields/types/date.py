"""Dates, with or without a time of day.

A date-only field has an SQL `date` column; with `date_include_time` it has a timestamp column
holding UTC. `date_force_timezone` only changes how values are shown as text (and how text
without a zone is read back); the wire value is always the date or the UTC datetime.
"""

import functools
import re
import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.functions import Cast, TruncDate
from rest_framework import serializers

from database import table_models
from database.fields.registry import NOT_QUICK, ColumnOutput, FieldType

DATE_FORMATS = ["EU", "US", "ISO"]
TIME_FORMATS = ["24", "12"]
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DMY_OR_MDY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]{3,})\.?,?[ -](\d{4})", re.I)
_MONTH_NAME_DAY = re.compile(r"([a-z]{3,})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", re.I)
_TIME = re.compile(
    r"(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?)?\s*(?:([ap])\.?m\.?)?", re.I
)
_OFFSET = re.compile(r"(?:utc|gmt)?([+-])(\d{2}):?(\d{2})", re.I)


@functools.cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class TimezoneNameField(serializers.CharField):
    """An IANA time zone name such as "Europe/Amsterdam"."""

    default_error_messages = {"invalid_choice": '"{input}" is not a valid choice.'}  # noqa: RUF012

    def to_internal_value(self, data):
        name = super().to_internal_value(data)
        if name not in timezone_names():
            self.fail("invalid_choice", input=name)
        return name


class DateInput(serializers.DateField):
    """An ISO date; an ISO datetime is accepted too and gives its date in UTC."""

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value.strip()) > len("YYYY-MM-DD"):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                return (moment.astimezone(UTC) if moment.tzinfo else moment).date()
        return super().to_internal_value(value)


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def quick_date(value: Any) -> Any:
    """`YYYY-MM-DD` (a real day) as its date, or null."""
    if value is None:
        return None
    if type(value) is str and ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return NOT_QUICK


def include_time(field) -> bool:
    return bool(field.options.get("date_include_time", False))


def field_zone(field) -> zoneinfo.ZoneInfo:
    """The zone the field shows its values in: the forced one, else UTC."""
    return zoneinfo.ZoneInfo(field.options.get("date_force_timezone") or "UTC")


def datetime_to_wire(value: datetime) -> str:
    """UTC ISO 8601 with `Z`; microseconds only when there are some."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def format_date(day: date, date_format: str) -> str:
    parts = {"EU": (day.day, day.month), "US": (day.month, day.day)}
    if date_format in parts:
        first, second = parts[date_format]
        return f"{first:02d}/{second:02d}/{day.year:04d}"
    return day.isoformat()


def format_time(moment: datetime, time_format: str) -> str:
    if time_format == "12":
        suffix = "AM" if moment.hour < 12 else "PM"
        return f"{(moment.hour % 12) or 12:02d}:{moment.minute:02d} {suffix}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


# Parsing text


def _year(text: str) -> int:
    # Two-digit years as strftime's %y reads them: 69-99 are 19xx, 00-68 are 20xx.
    year = int(text)
    if len(text) == 2:
        return year + (1900 if year >= 69 else 2000)
    return year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(name: str) -> int | None:
    key = name[:3].lower()
    return MONTHS.index(key) + 1 if key in MONTHS else None


def _split_zone(text: str) -> tuple[str, Any]:
    """The text without a trailing zone (IANA name, Z/UTC/GMT or offset), and that zone."""
    head, _, last = text.rpartition(" ")
    if not head:
        return text, None
    if last in timezone_names():
        return head, zoneinfo.ZoneInfo(last)
    if last.upper() in {"Z", "UTC", "GMT"}:
        return head, UTC
    if match := _OFFSET.fullmatch(last):
        sign = -1 if match[1] == "-" else 1
        minutes = int(match[2]) * 60 + int(match[3])
        return head, timezone(sign * timedelta(minutes=minutes))
    return text, None


def _parse_date_part(text: str, date_format: str) -> tuple[date | None, str]:
    """The date at the start of the text and the rest; ambiguous d/m follow `date_format`."""
    if match := _YMD.match(text):
        return _safe_date(int(match[1]), int(match[2]), int(match[3])), text[match.end() :]
    if match := _DMY_OR_MDY.match(text):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        # Try the field's reading first, then the other one (13/01 can only be day-first).
        orders = [(first, second), (second, first)]
        if date_format == "US":
            orders.reverse()
        for day, month in orders:
            if found := _safe_date(year, month, day):
                return found, text[match.end() :]
        return None, ""
    if match := _DAY_MONTH_NAME.match(text):
        month = _month_number(match[2])
        found = month and _safe_date(int(match[3]), month, int(match[1]))
        return found or None, text[match.end() :]
    if match := _MONTH_NAME_DAY.match(text):
        month = _month_number(match[1])
        found = month and _safe_date(int(match[3]), month, int(match[2]))
        return found or None, text[match.end() :]
    return None, ""


def _parse_time_part(text: str) -> time | None:
    match = _TIME.fullmatch(text)
    if match is None or (match[2] is None and match[5] is None):
        return None
    hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
    micro = int((match[4] or "0").ljust(6, "0"))
    if match[5]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[5].lower() == "p" else 0)
    try:
        return time(hour, minute, second, micro)
    except ValueError:
        return None


def parse_date_text(text: str, date_format: str) -> datetime | None:
    """A datetime (naive unless the text names a zone) read leniently from common formats."""
    text = " ".join(text.split())
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time())
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    text, zone = _split_zone(text)
    day, rest = _parse_date_part(text, date_format)
    if day is None:
        return None
    rest = rest.lstrip(" ,T")
    clock = _parse_time_part(rest) if rest else time()
    if clock is None:
        return None
    return datetime.combine(day, clock, zone)


# The type


def date_option_fields() -> dict[str, serializers.Field]:
    return {
        "date_format": serializers.ChoiceField(choices=DATE_FORMATS, default="EU"),
        "date_include_time": serializers.BooleanField(default=False),
        "date_time_format": serializers.ChoiceField(choices=TIME_FORMATS, default="24"),
        "date_show_tzinfo": serializers.BooleanField(default=False),
        "date_force_timezone": TimezoneNameField(allow_null=True, default=None),
        # Write-only and not kept: accepted for compatibility; stored values are not shifted.
        "date_force_timezone_offset": serializers.IntegerField(required=False, allow_null=True),
    }


class DateFieldType(FieldType):
    type = "date"
    search_characters = frozenset("0123456789-:.+ ")
    can_have_db_index = True
    transient_options = ("date_force_timezone_offset",)
    history_options = (
        "date_format",
        "date_include_time",
        "date_time_format",
        "date_show_tzinfo",
        "date_force_timezone",
    )

    def option_fields(self):
        return date_option_fields()

    def response_options(self, field):
        return {
            name: field.options.get(name, option.default)
            for name, option in self.option_fields().items()
            if name not in self.transient_options
        }

    def model_field(self, field, builder):
        if include_time(field):
            return models.DateTimeField(null=True, blank=True)
        return models.DateField(null=True, blank=True)

    def input_field(self, field):
        if include_time(field):
            return serializers.DateTimeField(required=False, allow_null=True, default_timezone=UTC)
        return DateInput(required=False, allow_null=True)

    def quick_input(self, field, prepared):
        if include_time(field):
            return None
        return quick_date

    def output_value(self, field, row) -> Any:
        return self.wire_value(field, getattr(row, field.db_column))

    def column_output(self, field):
        return ColumnOutput(field.db_column, convert=self.wire_values(field), text=True)

    def wire_values(self, field) -> Callable[[date | None], str | None]:
        """`wire_value` for one field; days (most values of date-only fields) go straight."""
        wire_value = self.wire_value

        def wire(value: date | None) -> str | None:
            if type(value) is date:
                return value.isoformat()
            return wire_value(field, value)

        return wire

    def wire_value(self, field, value: date | None) -> str | None:
        """A stored date or datetime as the contract's string."""
        if value is None:
            return None
        if isinstance(value, datetime):
            if include_time(field):
                return datetime_to_wire(value)
            return value.astimezone(field_zone(field)).date().isoformat()
        return value.isoformat()

    def openapi_schema(self, field, *, for_request):
        if include_time(field):
            text = "A date and time in ISO 8601, returned in UTC (`Z`)."
            schema = {"type": "string", "format": "date-time", "nullable": True}
        else:
            text = "A date in ISO 8601 (`YYYY-MM-DD`)."
            schema = {"type": "string", "format": "date", "nullable": True}
        return {**schema, "description": text}

    def example_value(self, field, *, for_request):
        return "2024-03-15T09:30:00Z" if include_time(field) else "2024-03-15"

    def to_text(self, field, value):
        """The value as the field shows it: its date format, time format and zone."""
        if value is None:
            return None
        date_format = field.options.get("date_format", "EU")
        if not isinstance(value, datetime):
            return format_date(value, date_format)
        local = value.astimezone(field_zone(field))
        if not include_time(field):
            return format_date(local.date(), date_format)
        text = f"{format_date(local.date(), date_format)} "
        text += format_time(local, field.options.get("date_time_format", "24"))
        if field.options.get("date_show_tzinfo"):
            text += f" {local.tzinfo}"
        return text

    def from_text(self, field, text):
        """Text read as a date; text without a zone is read in the field's zone."""
        if text is None:
            return None
        moment = parse_date_text(text, field.options.get("date_format", "EU"))
        if moment is None:
            return None
        zone = field_zone(field)
        try:
            if not include_time(field):
                return (moment.astimezone(zone) if moment.tzinfo else moment).date()
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            return None

    def sql_conversion(self, old_field, new_field):
        # Between dates the values move exactly, whatever the text formats say.
        if old_field.type != "date":
            return None
        source = F(old_field.db_column)
        if include_time(old_field) == include_time(new_field):
            return source
        if include_time(new_field):
            return Cast(source, models.DateTimeField())  # midnight UTC
        return TruncDate(source, tzinfo=field_zone(old_field))

    def after_update(self, old_field, field, options):
        # Gaining or losing the time of day changes the column: convert it like a type change.
        if include_time(old_field) != include_time(field):
            table_models.convert_field_storage(old_field, field)
        return []


FIELD_TYPES = [DateFieldType()]
