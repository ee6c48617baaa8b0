"""Values at the edges: huge numbers and far dates match nothing rather than fail."""

import pytest

from database.fields.serializers import field_to_json
from tests.database.filters.helpers import create, ids_where
from tests.database.helpers import insert_rows, primary_of

HUGE = str(10**25)


@pytest.mark.parametrize(
    ("type_name", "filter_type", "value"),
    [
        ("number", "equal", HUGE),
        ("number", "higher_than", "1e100"),
        ("number", "lower_than", "-1e100"),
        ("number", "lower_than", "1e999999999"),
        ("rating", "lower_than", "1e999999999"),
        ("number", "contains", HUGE),
        ("rating", "equal", HUGE),
        ("rating", "higher_than", HUGE),
        ("rating", "lower_than", "-" + HUGE),
        ("duration", "higher_than", HUGE),
        ("date", "date_is", f"UTC?{HUGE}?nr_days_ago"),
        ("date", "date_is", "UTC?99999?nr_years_from_now"),
        ("date", "date_is", "UTC?9999-12-31?exact_date"),
        ("date", "date_is_within", "UTC?9999?nr_years_ago"),
        ("date", "date_equal", "9999-12-31"),
        ("date", "date_within_days", f"UTC?{HUGE}"),
        ("date", "date_equals_day_of_month", f"UTC?{HUGE}"),
        ("text", "length_is_lower_than", HUGE),
        ("single_select", "single_select_equal", HUGE),
        ("single_select", "single_select_is_any_of", f"1,{HUGE}"),
        ("multiple_select", "multiple_select_has", HUGE),
    ],
)
def test_edge_values_do_not_fail(user, table, type_name, filter_type, value):
    extra = {"select_options": []} if "select" in type_name else {}
    field = create(user, table, type_name, "Cell", **extra)
    insert_rows(table, [{}])
    ids_where(table, field, filter_type, value)  # runs without an error


def test_huge_row_id_for_link_row_has(user, table, make_table):
    other = make_table("Other")
    link = create(user, table, "link_row", "Other", link_row_table_id=other.id)
    insert_rows(table, [{}])
    assert ids_where(table, link, "link_row_has", HUGE) == []
    assert ids_where(table, link, "link_row_has_not", HUGE) != []


def test_huge_numbers_against_counts_and_autonumbers(user, table):
    ids = insert_rows(table, [{}])
    link = create(user, table, "link_row", "Self", link_row_table_id=table.id)
    count = create(user, table, "count", "Count", through_field_id=link.id)
    number = create(user, table, "autonumber", "No")
    for field in (count, number):
        assert ids_where(table, field, "equal", HUGE) == []
        assert ids_where(table, field, "lower_than", HUGE) == ids
        assert ids_where(table, field, "higher_than", "-" + HUGE) == ids
        assert ids_where(table, field, "higher_than", "1e30") == []


def test_huge_option_id_matches_nothing(user, table):
    field = create(user, table, "single_select", "S", select_options=[{"value": "a", "color": "b"}])
    option = field_to_json(field)["select_options"][0]["id"]
    insert_rows(table, [{field.db_column: option}])
    assert ids_where(table, field, "single_select_equal", HUGE) == []
    assert primary_of(table)
