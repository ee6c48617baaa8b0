"""Dates as their field shows them, built in SQL (for `contains` on dates).

Made of Extract functions, which both engines run in a given time zone, so the text matches
`DateFieldType.to_text`: the field's date format, its time format, and its zone.
"""

from django.db import models
from django.db.models import Case, Value, When, lookups
from django.db.models.functions import (
    Cast,
    Concat,
    ExtractDay,
    ExtractHour,
    ExtractMinute,
    ExtractMonth,
    ExtractYear,
    LPad,
    Mod,
)

from database.fields.types.date import field_zone, include_time
from database.rows.filters.registry import Cell

TEXT = models.TextField()


def _padded(number, width: int):
    whole = Cast(number, models.IntegerField())
    return LPad(Cast(whole, TEXT), width, Value("0"), output_field=TEXT)


def date_text(cell: Cell):
    """The cell's date (and time, when the field shows it) as text, e.g. "01/05/2024 14:30"."""
    field = cell.field
    zone = field_zone(field) if cell.has_time else None
    in_zone = {"tzinfo": zone} if zone is not None else {}

    def part(extract, width: int):
        return _padded(extract(cell.value(), **in_zone), width)

    day, month, year = part(ExtractDay, 2), part(ExtractMonth, 2), part(ExtractYear, 4)
    date_format = field.options.get("date_format", "EU")
    if date_format == "EU":
        pieces = [day, Value("/"), month, Value("/"), year]
    elif date_format == "US":
        pieces = [month, Value("/"), day, Value("/"), year]
    else:
        pieces = [year, Value("-"), month, Value("-"), day]
    if cell.has_time and include_time(field):
        hour = ExtractHour(cell.value(), **in_zone)
        minute = part(ExtractMinute, 2)
        if field.options.get("date_time_format", "24") == "12":
            twelve = Mod(hour + Value(11), Value(12)) + Value(1)  # 0 -> 12, 13 -> 1
            noon = lookups.GreaterThanOrEqual(hour, 12)
            suffix = Case(When(noon, then=Value(" PM")), default=Value(" AM"), output_field=TEXT)
            pieces += [Value(" "), _padded(twelve, 2), Value(":"), minute, suffix]
        else:
            pieces += [Value(" "), _padded(hour, 2), Value(":"), minute]
        if field.options.get("date_show_tzinfo"):
            pieces.append(Value(f" {zone}"))
    return Concat(*pieces, output_field=TEXT)
