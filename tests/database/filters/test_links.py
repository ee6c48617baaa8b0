"""Filters on link_row, count and lookup fields."""

import pytest

from database.fields.serializers import field_to_json
from database.fields.services import field_update
from tests.database.filters.helpers import create, ids_where, model_of
from tests.database.helpers import insert_rows, primary_of


@pytest.fixture
def projects(make_table):
    return make_table("Projects")


@pytest.fixture
def linked(user, table, projects):
    """Projects Alpha (budget 10, 2024-05-01, Open), Beta (5), Gamma (trashed later).

    Table rows: 1 -> [Alpha, Beta], 2 -> [Beta], 3 -> [], 4 -> [Gamma], Gamma being trashed.
    """
    link = create(user, table, "link_row", "Projects", link_row_table_id=projects.id)
    budget = create(user, projects, "number", "Budget")
    when = create(user, projects, "date", "Start")
    state = create(
        user, projects, "single_select", "State", select_options=[{"value": "Open", "color": "b"}]
    )
    open_id = field_to_json(state)["select_options"][0]["id"]
    name = primary_of(projects).db_column
    alpha, beta, gamma = insert_rows(
        projects,
        [
            {
                name: "Alpha",
                budget.db_column: "10",
                when.db_column: "2024-05-01",
                state.db_column: open_id,
            },
            {name: "Beta", budget.db_column: "5"},
            {name: "Gamma"},
        ],
    )
    ids = insert_rows(
        table,
        [
            {link.db_column: [alpha, beta]},
            {link.db_column: [beta]},
            {},
            {link.db_column: [gamma]},
        ],
    )
    model_of(projects).objects.filter(id=gamma).update(trashed=True)
    return {
        "link": link,
        "ids": ids,
        "rows": (alpha, beta, gamma),
        "targets": {"name": primary_of(projects), "budget": budget, "when": when, "state": state},
        "open_id": open_id,
    }


def test_link_row_filters(table, linked):
    link, ids = linked["link"], linked["ids"]
    alpha, beta, gamma = linked["rows"]
    assert ids_where(table, link, "link_row_has", str(beta)) == ids[:2]
    assert ids_where(table, link, "link_row_has", str(gamma)) == []
    assert ids_where(table, link, "link_row_has", "x") == []
    assert ids_where(table, link, "link_row_has_not", str(alpha)) == ids[1:]
    assert ids_where(table, link, "link_row_contains", "ALP") == [ids[0]]
    assert ids_where(table, link, "link_row_contains", "gamma") == []
    assert ids_where(table, link, "link_row_not_contains", "beta") == ids[2:]
    assert ids_where(table, link, "contains", "eta") == ids[:2]
    assert ids_where(table, link, "empty") == ids[2:]
    assert ids_where(table, link, "not_empty") == ids[:2]


def test_link_row_contains_reads_a_number_primary_as_shown(user, table, make_table):
    amounts = make_table("Amounts")
    name = primary_of(amounts)
    field_update(user=user, field=name, type="number", options={"number_decimal_places": 2})
    link = create(user, table, "link_row", "Amounts", link_row_table_id=amounts.id)
    small, big = insert_rows(amounts, [{name.db_column: "1.5"}, {name.db_column: "22"}])
    ids = insert_rows(table, [{link.db_column: [small]}, {link.db_column: [big]}])
    assert ids_where(table, link, "link_row_contains", "1.50") == [ids[0]]
    assert ids_where(table, link, "link_row_contains", "22.00") == [ids[1]]
    assert ids_where(table, link, "link_row_not_contains", "2") == [ids[0]]


def test_link_row_contains_on_a_multiple_select_primary_matches_nothing(user, table, make_table):
    tags = make_table("Tags")
    name = primary_of(tags)
    options = {"select_options": [{"value": "red", "color": "red"}]}
    field_update(user=user, field=name, type="multiple_select", options=options)
    link = create(user, table, "link_row", "Tags", link_row_table_id=tags.id)
    (tag,) = insert_rows(tags, [{}])
    ids = insert_rows(table, [{link.db_column: [tag]}])
    assert ids_where(table, link, "link_row_contains", "red") == []
    assert ids_where(table, link, "link_row_not_contains", "red") == ids


def test_count_filters(user, table, linked):
    count = create(user, table, "count", "Count", through_field_id=linked["link"].id)
    ids = linked["ids"]
    assert ids_where(table, count, "equal", "2") == [ids[0]]
    assert ids_where(table, count, "not_equal", "2") == ids[1:]
    assert ids_where(table, count, "higher_than", "0") == ids[:2]
    assert ids_where(table, count, "lower_than_or_equal", "0.5") == ids[2:]
    assert ids_where(table, count, "is_even_and_whole") == [ids[0], ids[2], ids[3]]
    assert ids_where(table, count, "contains", "1") == [ids[1]]


def lookup_of(user, table, linked, target: str):
    return create(
        user,
        table,
        "lookup",
        f"Lookup {target}",
        through_field_id=linked["link"].id,
        target_field_id=linked["targets"][target].id,
    )


def test_lookup_of_text(user, table, linked):
    field, ids = lookup_of(user, table, linked, "name"), linked["ids"]
    assert ids_where(table, field, "has_value_equal", "Beta") == ids[:2]
    assert ids_where(table, field, "has_value_equal", "") == ids
    assert ids_where(table, field, "has_not_value_equal", "Beta") == ids[2:]
    assert ids_where(table, field, "has_value_contains", "alp") == [ids[0]]
    assert ids_where(table, field, "has_not_value_contains", "alp") == ids[1:]
    assert ids_where(table, field, "has_value_contains_word", "beta") == ids[:2]
    assert ids_where(table, field, "has_value_length_is_lower_than", "5") == ids[:2]
    assert ids_where(table, field, "has_all_values_equal", "Beta") == [ids[1]]
    assert ids_where(table, field, "has_empty_value") == []
    assert ids_where(table, field, "has_not_empty_value") == ids
    assert ids_where(table, field, "empty") == ids[2:]
    assert ids_where(table, field, "not_empty") == ids[:2]


def test_lookup_of_number_date_and_select(user, table, linked):
    ids = linked["ids"]
    budget = lookup_of(user, table, linked, "budget")
    assert ids_where(table, budget, "has_value_higher", "5") == [ids[0]]
    assert ids_where(table, budget, "has_value_lower_or_equal", "5") == ids[:2]
    assert ids_where(table, budget, "has_not_value_higher", "5") == ids[1:]
    assert ids_where(table, budget, "has_value_equal", "10") == [ids[0]]
    when = lookup_of(user, table, linked, "when")
    assert ids_where(table, when, "has_date_equal", "UTC?2024-05-01?exact_date") == [ids[0]]
    assert ids_where(table, when, "has_date_before", "UTC?2024-05-02?exact_date") == [ids[0]]
    assert ids_where(table, when, "has_not_date_after", "UTC?2024-04-01?exact_date") == ids[1:]
    assert ids_where(table, when, "has_empty_value") == ids[:2]
    assert ids_where(table, when, "has_value_contains", "01/05/2024") == [ids[0]]
    state = lookup_of(user, table, linked, "state")
    open_id = str(linked["open_id"])
    assert ids_where(table, state, "has_any_select_option_equal", open_id) == [ids[0]]
    assert ids_where(table, state, "has_none_select_option_equal", open_id) == ids[1:]
    assert ids_where(table, state, "has_value_equal", open_id) == [ids[0]]
    assert ids_where(table, state, "has_value_contains", "ope") == [ids[0]]
