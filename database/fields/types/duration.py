"""Durations: a number of seconds, shown and parsed in the field's `duration_format`.

Stored as an SQL decimal of seconds with 3 places: every format rounds to at most
milliseconds, so values are kept exactly and rounding per format is plain decimal rounding.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models
from rest_framework import serializers

from database import table_models
from database.fields.registry import NOT_QUICK, NUMBER_CHARACTERS, ColumnOutput, FieldType

# Each format with the unit its values are rounded to, in seconds.
FORMAT_UNITS = {
    "h:mm": Decimal(60),
    "h:mm:ss": Decimal(1),
    "h:mm:ss.s": Decimal("0.1"),
    "h:mm:ss.ss": Decimal("0.01"),
    "h:mm:ss.sss": Decimal("0.001"),
    "d h": Decimal(3600),
    "d h:mm": Decimal(60),
    "d h:mm:ss": Decimal(1),
    "d h mm": Decimal(60),
    "d h mm ss": Decimal(1),
}
MAX_SECONDS = Decimal(10) ** 15
BATCH = 2000
_NUMBER = r"\d+(?:[.,]\d+)?"
_CLOCK = re.compile(
    rf"(?:({_NUMBER})\s*d(?:ays?)?\s*)?(\d+):(\d+)(?::({_NUMBER}))?",
    re.I,
)
_UNITS = re.compile(
    rf"(?:({_NUMBER})\s*d(?:ays?)?)?\s*"
    rf"(?:({_NUMBER})\s*h(?:ours?|rs?)?)?\s*"
    rf"(?:({_NUMBER})\s*m(?:in(?:ute)?s?)?)?\s*"
    rf"(?:({_NUMBER})\s*s(?:ec(?:ond)?s?)?)?",
    re.I,
)


def _format(field) -> str:
    return field.options.get("duration_format", "h:mm")


def _seconds(value: Decimal | None) -> float | None:
    """A stored duration as the contract's number of seconds."""
    return None if value is None else float(value)


def _decimal(text: str | None) -> Decimal:
    return Decimal((text or "0").replace(",", "."))


def round_to_format(seconds: Decimal, duration_format: str) -> Decimal:
    """Seconds rounded to the smallest unit the format shows (half away from zero)."""
    unit = FORMAT_UNITS[duration_format]
    return (seconds / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def parse_duration(text: str) -> Decimal | None:
    """Seconds from "90", "1:30", "1:30:15.5", "1d 2:30", "1d 2h 30m 15s"; None if unreadable."""
    text = text.strip()
    sign = Decimal(1)
    if text and text[0] in "+-":
        sign, text = Decimal(-1 if text[0] == "-" else 1), text[1:].strip()
    if not text:
        return None
    if re.fullmatch(_NUMBER, text):
        return sign * _decimal(text)
    match = _CLOCK.fullmatch(text) or _UNITS.fullmatch(text)
    if match is None or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (_decimal(match[i]) for i in range(1, 5))
    return sign * (days * 86400 + hours * 3600 + minutes * 60 + seconds)


def format_duration(seconds: Decimal, duration_format: str) -> str:
    """Seconds as the format shows them, e.g. "1:30" for 5400 in "h:mm"."""
    seconds = round_to_format(seconds, duration_format)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    with_days = duration_format.startswith("d ")
    days, rest = divmod(seconds, 86400) if with_days else (Decimal(0), seconds)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    days, hours, minutes = int(days), int(hours), int(minutes)
    clock_part = duration_format.removeprefix("d ")
    if clock_part == "h":
        text = f"{hours}h"
    elif clock_part == "h mm":
        text = f"{hours}h {minutes}m"
    elif clock_part == "h mm ss":
        text = f"{hours}h {minutes}m {int(secs)}s"
    elif clock_part == "h:mm":
        text = f"{hours}:{minutes:02d}"
    else:  # h:mm:ss with 0 to 3 decimals
        places = len(clock_part) - len("h:mm:ss.") if "." in clock_part else 0
        width = 2 + (places + 1 if places else 0)
        text = f"{hours}:{minutes:02d}:{secs:0{width}.{places}f}"
    return f"{sign}{days}d {text}" if with_days else f"{sign}{text}"


class DurationInput(serializers.Field):
    """Seconds as a number, or a duration string; rounded to the field's format."""

    default_error_messages = {  # noqa: RUF012 (DRF merges these per class)
        "invalid": "The value is not a valid duration.",
        "max_value": "The duration is too long.",
    }

    def __init__(self, *, duration_format: str, **kwargs):
        super().__init__(**kwargs)
        self.duration_format = duration_format

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int | float | Decimal):
            try:
                seconds = Decimal(str(data))
            except InvalidOperation:
                self.fail("invalid")
        elif isinstance(data, str):
            seconds = parse_duration(data)
        else:
            seconds = None
        if seconds is None or not seconds.is_finite():
            self.fail("invalid")
        if abs(seconds) >= MAX_SECONDS:
            self.fail("max_value")
        return round_to_format(seconds, self.duration_format)

    def to_representation(self, value):
        return float(value)


class DurationFieldType(FieldType):
    type = "duration"
    search_characters = NUMBER_CHARACTERS
    history_options = ("duration_format",)

    def option_fields(self):
        return {
            "duration_format": serializers.ChoiceField(choices=list(FORMAT_UNITS), default="h:mm")
        }

    def model_field(self, field, builder):
        return models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)

    def input_field(self, field):
        return DurationInput(duration_format=_format(field), required=False, allow_null=True)

    def quick_input(self, field, prepared):
        duration_format = _format(field)

        def check(value: Any) -> Any:
            # Whole seconds, as the input field rounds them.
            if value is None:
                return None
            if type(value) is int and abs(value) < MAX_SECONDS:
                return round_to_format(Decimal(value), duration_format)
            return NOT_QUICK

        return check

    def output_value(self, field, row) -> Any:
        return _seconds(getattr(row, field.db_column))

    def column_output(self, field):
        return ColumnOutput(field.db_column, convert=_seconds)

    def openapi_schema(self, field, *, for_request):
        duration_format = _format(field)
        if for_request:
            text = (
                "A duration in seconds, or as text such as `1:30` or `1d 2h 30m`; rounded to "
                f"the `{duration_format}` format."
            )
            return {"type": "number", "nullable": True, "description": text}
        text = f"A duration in seconds (shown as `{duration_format}`)."
        return {"type": "number", "format": "double", "nullable": True, "description": text}

    def example_value(self, field, *, for_request):
        return 3600 if for_request else 3600.0  # whole hours round to every format

    def to_text(self, field, value):
        return None if value is None else format_duration(Decimal(value), _format(field))

    def from_text(self, field, text):
        seconds = None if text is None else parse_duration(text)
        if seconds is None or not seconds.is_finite() or abs(seconds) >= MAX_SECONDS:
            return None
        return round_to_format(seconds, _format(field))

    def after_update(self, old_field, field, options):
        # A coarser format rounds the stored values to its unit, as new input would be. In
        # Python: SQLite would divide the integers it keeps whole-second values as.
        duration_format = _format(field)
        if FORMAT_UNITS[duration_format] <= FORMAT_UNITS[_format(old_field)]:
            return []
        column = field.db_column
        model = table_models.build_model(field.table)
        rows = model.objects.filter(**{f"{column}__isnull": False}).order_by("id")
        changed = []
        for row_id, value in rows.values_list("id", column).iterator(chunk_size=BATCH):
            rounded = round_to_format(value, duration_format)
            if rounded != value:
                changed.append(model(id=row_id, **{column: rounded}))
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, [column])
                changed = []
        model.objects.bulk_update(changed, [column])
        return []


FIELD_TYPES = [DurationFieldType()]
