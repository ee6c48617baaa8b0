"""The quick checks of cell values (imports and large writes) give exactly what the REST
validation gives: the same cells for the values they take, and every other value, with its
error wording, is left to the input field."""

from decimal import Decimal
from typing import Any

import pytest
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from api.validation import serialize_errors
from database import table_models
from database.fields.models import SelectOption
from database.fields.registry import NOT_QUICK, field_types
from database.rows.values import CellsValidator
from tests.database.helpers import add_field, primary_of

# Values as clients and files send them: well-formed, malformed, odd types and edge cases.
COMMON = [
    None,
    "",
    " ",
    "\x00",
    "abc",
    0,
    1,
    2,
    -1,
    1.5,
    True,
    False,
    [],
    {},
    {"a": 1},
    "0",
    "1",
    "3",
    "007",
    "-3",
    " 4",
    "99",
    "1.5",
    "1.50",
    "12.345",
    "-0.00",
    "1e3",
    "1,5",
    "١٢",
    "true",
    "TRUE",
    " yes ",
    "Yes",
    "checked",
    "x",
    "\u2713",
    "false",
    "FALSE",
    "False",
    " false ",
    "f",
    "n",
    "No",
    "off",
    "null",
    "2024-05-01",
    "2024-02-30",
    "2024-5-1",
    "01/05/2024",
    "2024-05-01T10:30:00Z",
    "1:30",
    3600,
    "ada@example.com",
    "https://example.com",
    "+44 20 7946 0000",
    "Red",
    "red",
    " Red",
    "Red, Blue",
    "Red,,Blue ",
    "Blue, Red, Blue",
    "Red, Nope",
]


@pytest.fixture
def fields(table):
    options = [{"value": "Red", "color": "red"}, {"value": "Blue", "color": "blue"}]
    return [
        primary_of(table),
        add_field(table, "Notes", "long_text"),
        add_field(table, "Site", "url"),
        add_field(table, "Mail", "email"),
        add_field(table, "Phone", "phone_number"),
        add_field(table, "Amount", "number", number_decimal_places=2),
        add_field(table, "Signed", "number", number_decimal_places=0, number_negative=True),
        add_field(table, "Stars", "rating", max_value=5),
        add_field(table, "Done", "boolean"),
        add_field(table, "Due", "date"),
        add_field(table, "Took", "duration", duration_format="h:mm"),
        add_field(table, "Color", "single_select", select_options=options),
        add_field(table, "Tags", "multiple_select", select_options=options),
    ]


def values_for(fields) -> list[Any]:
    """COMMON, plus the option ids (as ids, texts and lists) of the select fields."""
    ids = list(
        SelectOption.objects.filter(field__in=fields).order_by("id").values_list("id", flat=True)
    )
    return [*COMMON, *ids, *(str(i) for i in ids), ids, [ids[0], "Blue"], [ids[0], True], 10**9]


def rest_result(input_field: serializers.Field, value: Any) -> Any:
    """What the REST validation makes of the value, or the error it raises."""
    try:
        return ("ok", input_field.run_validation(value))
    except (serializers.ValidationError, RequestBodyValidationError) as error:
        return ("error", error.detail)


def same(left: Any, right: Any) -> bool:
    """Equal, and of the same type (1 is not True, Decimal('1') is not Decimal('1.00'))."""
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return left.as_tuple() == right.as_tuple()
    return type(left) is type(right) and left == right


def test_every_quick_check_gives_what_the_input_field_gives(table, fields):
    values = values_for(fields)
    checked = 0
    for field in fields:
        field_type = field_types.get(field.type)
        prepared = field_type.prepare_batch(field, values)
        check = field_type.quick_input(field, prepared)
        assert check is not None, field.type
        input_field = field_type.batch_input_field(field, prepared)
        for value in values:
            quick = check(value)
            if quick is NOT_QUICK:
                continue
            outcome, rest = rest_result(input_field, value)
            assert outcome == "ok", (field.type, value, rest)
            assert same(quick, rest), (field.type, value, quick, rest)
            checked += 1
    # The checks take the common shapes of every type, not next to nothing.
    assert checked > 200


def test_rows_validate_alike_through_the_quick_checks_and_the_serializer(table, fields):
    """Row by row, the import's validator and the REST serializer give the same cells or the
    same error detail."""
    values = values_for(fields)
    model = table_models.get_model(table)
    rows = [{field.db_column: value for field in fields} for value in values]
    rows += [{field.db_column: value} for field in fields for value in values]
    validator = CellsValidator(model, rows)
    for row in rows:
        try:
            validated = ("ok", validator.validate(row))
        except RequestBodyValidationError as error:
            validated = ("error", error.detail)
        try:
            expected = ("ok", dict(validator.serializer.run_validation(row)))
        except serializers.ValidationError as error:
            expected = ("error", serialize_errors(error.detail))
        except RequestBodyValidationError as error:
            expected = ("error", error.detail)
        assert validated[0] == expected[0], (row, validated, expected)
        if validated[0] == "error":
            assert validated[1] == expected[1]
        else:
            assert validated[1].keys() == expected[1].keys()
            for key, value in validated[1].items():
                assert same(value, expected[1][key]), (key, row[key], value, expected[1][key])
