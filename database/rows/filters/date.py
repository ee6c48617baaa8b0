"""Date filters: the multi-step `date_is*` family and the deprecated `date_*` one.

Each filter works out a period of whole days [start, end) in a time zone, then compares the
cell with its bounds: dates with the dates, datetimes with local midnight in that zone.
"""

import calendar
import zoneinfo
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import Q, lookups
from django.db.models.functions import ExtractDay
from django.utils import timezone

from database.fields.types.date import field_zone, timezone_names
from database.rows.filters.registry import (
    DATE_TYPES,
    Cell,
    ViewFilterType,
    match_none,
    negated,
    parse_int,
)

Period = tuple[date, date]
UNITS = ("day", "week", "month", "year")
# Operators of the multi-step filters: (unit, offset in units, whether the value is N).
OPERATORS: dict[str, tuple[str, int, bool]] = {
    "today": ("day", 0, False),
    "yesterday": ("day", -1, False),
    "tomorrow": ("day", 1, False),
    "one_week_ago": ("week", -1, False),
    "one_month_ago": ("month", -1, False),
    "one_year_ago": ("year", -1, False),
    "this_week": ("week", 0, False),
    "this_month": ("month", 0, False),
    "this_year": ("year", 0, False),
    "next_week": ("week", 1, False),
    "next_month": ("month", 1, False),
    "next_year": ("year", 1, False),
    **{f"nr_{unit}s_ago": (unit, -1, True) for unit in UNITS},
    **{f"nr_{unit}s_from_now": (unit, 1, True) for unit in UNITS},
}


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def shift(day: date, unit: str, count: int) -> date:
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "week":
        return day + timedelta(weeks=count)
    return add_months(day, count * (12 if unit == "year" else 1))


def unit_period(day: date, unit: str) -> Period:
    """The calendar day, week (from Monday), month or year holding `day`."""
    if unit == "week":
        start = day - timedelta(days=day.weekday())
    elif unit == "month":
        start = day.replace(day=1)
    elif unit == "year":
        start = day.replace(month=1, day=1)
    else:
        start = day
    return start, shift(start, unit, 1)


def parse_day(text: str) -> date | None:
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def zone_of(cell: Cell, name: str) -> zoneinfo.ZoneInfo | None:
    """The named zone, the field's own one when no name is given, None when unknown."""
    name = name.strip()
    if not name:
        return field_zone(cell.field)
    return zoneinfo.ZoneInfo(name) if name in timezone_names() else None


def today_in(zone: zoneinfo.ZoneInfo) -> date:
    return timezone.now().astimezone(zone).date()


def compare_period(cell: Cell, zone, period: Period, mode: str) -> Q:
    """The cell against the period: "in", "before", "on_or_before", "after", "on_or_after"."""
    start, end = period
    if cell.has_time:
        start = datetime.combine(start, time(), zone)
        end = datetime.combine(end, time(), zone)
    if mode == "in":
        return cell.q("gte", start) & cell.q("lt", end)
    if mode == "before":
        return cell.q("lt", start)
    if mode == "on_or_before":
        return cell.q("lt", end)
    if mode == "after":
        return cell.q("gte", end)
    return cell.q("gte", start)


class DateIsFilterType(ViewFilterType):
    """A multi-step filter; the value is "<timezone>?<value>?<operator>"."""

    compatible_field_types = DATE_TYPES
    empty_is_noop = False
    mode: str

    def build(self, cell, value):
        try:
            return self.build_period(cell, value)
        except (OverflowError, ValueError):  # a period beyond the calendar's years
            return match_none()

    def build_period(self, cell, value) -> Q:
        if not value.strip():
            return Q()
        parts = value.split("?")
        if len(parts) == 3:
            zone_name, given, operator = parts
        elif len(parts) == 2:
            (zone_name, given), operator = parts, "exact_date"
        else:
            zone_name, given, operator = "", value, "exact_date"
        operator = operator or "exact_date"
        zone = zone_of(cell, zone_name)
        if zone is None:
            return match_none()
        today = today_in(zone)
        if operator == "exact_date":
            if not given.strip():
                return Q()
            day = parse_day(given)
            if day is None:
                return match_none()
            period = (day, day + timedelta(days=1))
        elif operator in OPERATORS:
            unit, direction, takes_number = OPERATORS[operator]
            count = direction
            if takes_number:
                if not given.strip():
                    return Q()
                number = parse_int(given)
                if number is None:
                    return match_none()
                count = direction * number
            period = unit_period(shift(today, unit, count), unit)
        else:
            return match_none()
        return self.compare(cell, zone, period, today)

    def compare(self, cell, zone, period: Period, today: date) -> Q:
        return compare_period(cell, zone, period, self.mode)


class DateIsWithinFilterType(DateIsFilterType):
    """Between today and the period, whichever side of today the period is on."""

    type = "date_is_within"

    def compare(self, cell, zone, period, today):
        start, end = period
        if start >= today:
            return compare_period(cell, zone, (today, end), "in")
        return compare_period(cell, zone, (start, today + timedelta(days=1)), "in")


def _date_is(name: str, mode: str) -> DateIsFilterType:
    attrs = {"type": name, "mode": mode}
    return type(f"DateIs{mode.title()}FilterType", (DateIsFilterType,), attrs)()


# The deprecated filters: "<tz>?<argument>", or just the argument, or just the zone.


def _days_ago(argument: str, today: date) -> Period | None:
    number = parse_int(argument)
    return None if number is None else unit_period(today - timedelta(days=number), "day")


def _units_ago(unit: str) -> Callable[[str, date], Period | None]:
    def period(argument: str, today: date) -> Period | None:
        number = parse_int(argument)
        return None if number is None else unit_period(shift(today, unit, -number), unit)

    return period


def _within(unit: str) -> Callable[[str, date], Period | None]:
    def period(argument: str, today: date) -> Period | None:
        number = parse_int(argument)
        if number is None:
            return None
        return today, shift(today, unit, number) + timedelta(days=1)

    return period


def _exact_day(argument: str, today: date) -> Period | None:
    day = parse_day(argument)
    return None if day is None else (day, day + timedelta(days=1))


def _current(unit: str) -> Callable[[str, date], Period | None]:
    return lambda argument, today: unit_period(today, unit)


class LegacyDateFilterType(ViewFilterType):
    compatible_field_types = DATE_TYPES

    def __init__(self, name: str, mode: str, period, *, zone_only: bool = False) -> None:
        self.type, self.mode, self.period, self.zone_only = name, mode, period, zone_only
        # The today-style filters take only a zone: an empty value means UTC, not no filter.
        self.empty_is_noop = not zone_only

    def build(self, cell, value):
        try:
            return self.build_period(cell, value)
        except (OverflowError, ValueError):  # a period beyond the calendar's years
            return match_none()

    def build_period(self, cell, value) -> Q:
        zone_name, _, argument = value.rpartition("?")
        if self.zone_only:
            zone_name, argument = value, ""
        zone = zone_of(cell, zone_name)
        if zone is None:
            return match_none()
        if not self.zone_only and not argument.strip():
            return Q()
        period = self.period(argument, today_in(zone))
        if period is None:
            return match_none()
        return compare_period(cell, zone, period, self.mode)


class DateEqualsDayOfMonthFilterType(ViewFilterType):
    type = "date_equals_day_of_month"
    compatible_field_types = DATE_TYPES

    def build(self, cell, value):
        zone_name, _, argument = value.rpartition("?")
        zone = zone_of(cell, zone_name)
        day = parse_int(argument)
        if zone is None or day is None:
            return match_none()
        if cell.has_time:
            extracted = ExtractDay(cell.value(), tzinfo=zone)
        else:
            extracted = ExtractDay(cell.value())
        return Q(lookups.Exact(extracted, day)) & cell.not_null()


_is = _date_is("date_is", "in")
_equal = LegacyDateFilterType("date_equal", "in", _exact_day)
FILTER_TYPES = [
    _is,
    negated("date_is_not", _is),
    _date_is("date_is_before", "before"),
    _date_is("date_is_on_or_before", "on_or_before"),
    _date_is("date_is_after", "after"),
    _date_is("date_is_on_or_after", "on_or_after"),
    DateIsWithinFilterType(),
    _equal,
    negated("date_not_equal", _equal),
    LegacyDateFilterType("date_before", "before", _exact_day),
    LegacyDateFilterType("date_before_or_equal", "on_or_before", _exact_day),
    LegacyDateFilterType("date_after", "after", _exact_day),
    LegacyDateFilterType("date_after_or_equal", "on_or_after", _exact_day),
    LegacyDateFilterType("date_after_days_ago", "on_or_after", _days_ago),
    LegacyDateFilterType("date_equals_today", "in", _current("day"), zone_only=True),
    LegacyDateFilterType("date_before_today", "before", _current("day"), zone_only=True),
    LegacyDateFilterType("date_after_today", "after", _current("day"), zone_only=True),
    LegacyDateFilterType("date_equals_days_ago", "in", _days_ago),
    LegacyDateFilterType("date_equals_months_ago", "in", _units_ago("month")),
    LegacyDateFilterType("date_equals_years_ago", "in", _units_ago("year")),
    LegacyDateFilterType("date_within_days", "in", _within("day")),
    LegacyDateFilterType("date_within_weeks", "in", _within("week")),
    LegacyDateFilterType("date_within_months", "in", _within("month")),
    LegacyDateFilterType("date_equals_week", "in", _current("week"), zone_only=True),
    LegacyDateFilterType("date_equals_month", "in", _current("month"), zone_only=True),
    LegacyDateFilterType("date_equals_year", "in", _current("year"), zone_only=True),
    DateEqualsDayOfMonthFilterType(),
]
