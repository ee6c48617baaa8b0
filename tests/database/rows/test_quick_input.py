"""The quick checks of cell values (`FieldType.quick_input`) agree with the input fields.

Large writes validate a cell in its common shapes without DRF. For every value below, a quick
check either leaves the value to the type's input field or gives exactly what that field
gives (same value, same type, same text); the common shapes must be taken quickly.
"""

from typing import Any

import pytest
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from database.fields.registry import NOT_QUICK, field_types
from database.fields.services import field_create

NUL = "a\x00b"

# type, options, values the quick check must take, values it may take or leave.
CASES: list[tuple[str, dict[str, Any], list[Any], list[Any]]] = [
    ("text", {}, ["Ada", "", None, " padded ", "ü" * 5000], [NUL, 5, 2.5, True, ["x"]]),
    ("long_text", {}, ["two\nlines", ""], [NUL, 7, {"a": 1}]),
    (
        "email",
        {},
        ["a@b.c", "", None],
        [" a@b.c", "a@b.c\n", "bad", "x" * 300 + "@b.c", 5, NUL, "a@b@c"],
    ),
    ("url", {}, ["https://example.com/x", "example.com"], ["nope", "http://x y", " a.b"]),
    ("phone_number", {}, ["+1 555 0100", "(0) 12-34"], ["abc", "1" * 101, " 12"]),
    (
        "number",
        {"number_decimal_places": 2},
        ["123.45", "123.4", "123.", "123", 123, "0", "0012.5", "9" * 48, None],
        ["-1", "1.234", "1.230", "1e3", " 12", "+1", 1.5, True, "", "9" * 49, "-0", "٣", "NaN"],
    ),
    (
        "number",
        {"number_decimal_places": 0, "number_negative": True},
        ["-5", "5.", "5", -5, "007", "-0"],
        ["5.0", "-5.5", "--5", "9" * 51, 10**60],
    ),
    ("boolean", {}, [True, False], ["yes", "", 1, 0, None, "false", "checked"]),
    (
        "date",
        {"date_format": "ISO"},
        ["2024-01-02", "2000-02-29", None],
        ["2024-02-30", "2024-1-2", "2024-01-02T10:00:00Z", "20240102", "", 5, " 2024-01-02"],
    ),
    ("rating", {"max_value": 5}, [0, 3, 5], [6, -1, "3", True, 2.0, None]),
    (
        "duration",
        {"duration_format": "h:mm"},
        [3600, 3661, -5, 0, None],
        [10**15, 1.5, "1:30", True, "", "x"],
    ),
]


def _drf_result(input_field: serializers.Field, value: Any) -> tuple[bool, Any]:
    try:
        return True, input_field.run_validation(value)
    except (serializers.ValidationError, RequestBodyValidationError):
        return False, None


def _agree(field, values_taken: list[Any], values_either: list[Any]) -> None:
    field_type = field_types.get(field.type)
    values = [*values_taken, *values_either]
    prepared = field_type.prepare_batch(field, values)
    check = field_type.quick_input(field, prepared)
    input_field = field_type.batch_input_field(field, prepared)
    assert check is not None
    for value in values:
        quick = check(value)
        if quick is NOT_QUICK:
            continue
        valid, expected = _drf_result(input_field, value)
        assert valid, f"{field.type}: {value!r} taken quickly but refused by the input field"
        assert (type(quick), str(quick)) == (type(expected), str(expected)), value
    left = [value for value in values_taken if check(value) is NOT_QUICK]
    assert left == [], f"{field.type}: common values left to the input field"


@pytest.mark.parametrize(
    ("type_name", "options", "taken", "either"),
    CASES,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)],
)
def test_quick_checks_agree_with_the_input_field(user, table, type_name, options, taken, either):
    field, _ = field_create(user=user, table=table, type=type_name, name="Cell", options=options)

    _agree(field, taken, either)


def test_single_select_quick_check_takes_option_ids(user, table):
    field, _ = field_create(
        user=user,
        table=table,
        type="single_select",
        name="Status",
        options={
            "select_options": [{"value": "Open", "color": "blue"}, {"value": "5", "color": "red"}]
        },
    )
    open_id, five_id = field.select_options.order_by("order").values_list("id", flat=True)

    _agree(field, [open_id, five_id, None], [str(open_id), "Open", "5", 10**9, True, 1.0, ""])


def test_types_without_a_quick_check_use_the_input_field(user, table):
    moment, _ = field_create(
        user=user, table=table, type="date", name="At", options={"date_include_time": True}
    )

    assert field_types.get("date").quick_input(moment, None) is None
