"""count and lookup fields (05-fields.md), and the query cost of reading computed cells."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from database import table_models
from database.fields import errors
from database.fields.models import Field
from database.fields.serializers import field_to_json
from database.fields.services import (
    field_change_primary,
    field_create,
    field_delete,
    field_update,
)
from database.rows.services import rows_create_unchecked
from database.rows.values import row_to_json
from database.tables.models import Table
from tests.database.helpers import insert_rows, primary_of, read_rows


def model_of(table):
    """The current model of the table (the fixture's instance may hold an old schema version)."""
    return table_models.get_model(Table.objects.get(id=table.id))


def cells(table, field) -> list:
    return [row[field.db_column] for row in read_rows(table)]


def create(user, table, type_name, name, **options) -> Field:
    field, _ = field_create(user=user, table=table, type=type_name, name=name, options=options)
    return field


@pytest.fixture
def projects(make_table):
    return make_table("Projects")


@pytest.fixture
def linked(user, table, projects):
    """Table rows 1 and 2 linked to projects "Alpha" (number 1.5) and "Beta"; row 3 to none."""
    link = create(user, table, "link_row", "Projects", link_row_table_id=projects.id)
    budget = create(user, projects, "number", "Budget", number_decimal_places=1)
    name = primary_of(projects).db_column
    a, b = insert_rows(projects, [{name: "Alpha", budget.db_column: "1.5"}, {name: "Beta"}])
    insert_rows(table, [{link.db_column: [a, b]}, {link.db_column: [b]}, {}])
    return link, budget


def test_count_counts_live_links(user, table, projects, linked):
    link, _ = linked
    count = create(user, table, "count", "Projects count", through_field_id=link.id)

    assert cells(table, count) == ["2", "1", "0"]
    model_of(projects).objects.filter(id=1).update(trashed=True)
    assert cells(table, count) == ["1", "1", "0"]
    data = field_to_json(count)
    assert (data["read_only"], data["through_field_id"], data["error"]) == (True, link.id, None)


def test_count_needs_a_link_of_its_own_table(user, table, projects, linked):
    link, budget = linked
    reverse = Field.objects.get(id=link.link_row_related_field_id)
    for through in (None, budget.id, reverse.id, 987_654):
        with pytest.raises(errors.InvalidCountThroughField):
            create(user, table, "count", "Count", through_field_id=through)


def test_lookup_by_ids_and_by_names(user, table, linked):
    link, budget = linked
    by_id = create(
        user, table, "lookup", "Budgets", through_field_id=link.id, target_field_id=budget.id
    )
    by_name = create(
        user, table, "lookup", "Names", through_field_name="Projects", target_field_name="Name"
    )

    assert cells(table, by_id) == [
        [{"id": 1, "value": "1.5"}, {"id": 2, "value": None}],
        [{"id": 2, "value": None}],
        [],
    ]
    assert cells(table, by_name) == [
        [{"id": 1, "value": "Alpha"}, {"id": 2, "value": "Beta"}],
        [{"id": 2, "value": "Beta"}],
        [],
    ]
    data = field_to_json(by_name)
    assert {
        k: data[k] for k in ("through_field_id", "through_field_name", "target_field_name")
    } == {
        "through_field_id": link.id,
        "through_field_name": "Projects",
        "target_field_name": "Name",
    }
    assert (data["formula_type"], data["array_formula_type"], data["error"]) == (
        "array",
        "text",
        None,
    )
    assert "through_field_name" not in by_name.options


def test_lookup_of_a_single_select(user, table, projects, linked):
    link, _ = linked
    status = create(
        user,
        projects,
        "single_select",
        "Status",
        select_options=[{"value": "Open", "color": "blue"}],
    )
    option_id = field_to_json(status)["select_options"][0]["id"]
    model_of(projects).objects.filter(id=2).update(**{status.db_column: option_id})

    lookup = create(
        user, table, "lookup", "States", through_field_id=link.id, target_field_id=status.id
    )

    assert cells(table, lookup)[1] == [
        {"id": 2, "value": {"id": option_id, "value": "Open", "color": "blue"}}
    ]


def test_lookup_needs_a_link_and_a_target_it_can_show(user, table, projects, linked):
    link, budget = linked
    tags = create(user, projects, "multiple_select", "Tags", select_options=[])
    with pytest.raises(errors.InvalidLookupThroughField):
        create(user, table, "lookup", "L", through_field_id=budget.id, target_field_id=budget.id)
    with pytest.raises(errors.InvalidLookupThroughField):
        create(user, table, "lookup", "L", through_field_name="Nope", target_field_id=budget.id)
    for target in (primary_of(table).id, tags.id, link.link_row_related_field_id, None):
        with pytest.raises(errors.InvalidLookupTargetField):
            create(user, table, "lookup", "L", through_field_id=link.id, target_field_id=target)


def test_deleting_the_link_leaves_computed_fields_in_error(user, table, linked):
    link, budget = linked
    count = create(user, table, "count", "Count", through_field_id=link.id)
    lookup = create(
        user, table, "lookup", "Budgets", through_field_id=link.id, target_field_id=budget.id
    )

    related = field_delete(user=user, field=link)

    assert {field.id for field in related} == {count.id, lookup.id}
    assert (cells(table, count), cells(table, lookup)) == ([None] * 3, [[]] * 3)
    assert field_to_json(lookup)["formula_type"] == "invalid"
    assert field_to_json(count)["error"]


def test_deleting_the_target_leaves_the_lookup_in_error(user, table, projects, linked):
    link, budget = linked
    lookup = create(
        user, table, "lookup", "Budgets", through_field_id=link.id, target_field_id=budget.id
    )

    field_delete(user=user, field=budget)

    assert cells(table, lookup) == [[]] * 3
    assert field_to_json(lookup)["error"] == "references the deleted or unknown target field"


def test_conversions_keep_computed_values_as_data(user, table, linked):
    link, _ = linked
    count = create(user, table, "count", "Count", through_field_id=link.id)
    lookup = create(
        user, table, "lookup", "Names", through_field_id=link.id, target_field_name="Name"
    )

    count, _ = field_update(user=user, field=count, type="number")
    lookup, _ = field_update(user=user, field=lookup, type="text")

    assert cells(table, count) == ["2", "1", "0"]
    assert cells(table, lookup) == ["Alpha, Beta", "Beta", None]


def test_text_to_lookup_computes_values(user, table, linked):
    link, budget = linked
    field = create(user, table, "text", "Later")
    insert_rows(table, [{field.db_column: "x"}])

    field, _ = field_update(
        user=user,
        field=field,
        type="lookup",
        options={"through_field_id": link.id, "target_field_id": budget.id},
    )

    assert cells(table, field)[0] == [{"id": 1, "value": "1.5"}, {"id": 2, "value": None}]
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table.db_table)
    assert field.db_column not in {column.name for column in description}


def test_count_as_primary_names_the_linked_rows(user, table, projects, linked):
    link, _ = linked
    reverse = Field.objects.get(id=link.link_row_related_field_id)
    count = create(user, projects, "count", "Links", through_field_id=reverse.id)

    field_change_primary(user=user, table=projects, field=count)

    assert [item["value"] for item in cells(table, link)[0]] == ["1", "2"]


def query_count(table) -> int:
    with CaptureQueriesContext(connection) as queries:
        read_rows(table)
    return len(queries)


def test_reading_rows_costs_the_same_queries_for_5_or_50(
    user, table, projects, django_assert_max_num_queries
):
    link = create(user, table, "link_row", "Projects", link_row_table_id=projects.id)
    reverse = Field.objects.get(id=link.link_row_related_field_id)
    options = [{"value": "A", "color": "red"}, {"value": "B", "color": "blue"}]
    single = create(user, table, "single_select", "One", select_options=options)
    multiple = create(user, table, "multiple_select", "Many", select_options=options)
    budget = create(user, projects, "number", "Budget")
    create(user, table, "count", "Count", through_field_id=link.id)
    create(user, table, "lookup", "Budgets", through_field_id=link.id, target_field_id=budget.id)
    create(user, projects, "lookup", "Back", through_field_id=reverse.id, target_field_name="Name")
    name = primary_of(projects).db_column
    targets = insert_rows(projects, [{name: f"P{i}", budget.db_column: i} for i in range(5)])

    def add_rows(count: int) -> None:
        insert_rows(
            table,
            [
                {link.db_column: targets[: i % 4], single.db_column: "A", multiple.db_column: "A,B"}
                for i in range(count)
            ],
        )

    add_rows(5)
    query_count(table)  # builds and caches the model
    few = query_count(table)
    add_rows(45)

    with django_assert_max_num_queries(few):
        rows = read_rows(table)
    assert len(rows) == 50
    assert query_count(table) == few
    assert query_count(projects) == query_count(projects)


def test_api_error_codes(user_client, table, linked):
    link, budget = linked
    url = reverse("api:fields:list", kwargs={"table_id": table.id})

    def error(body):
        response = user_client.post(url, {"name": "Computed", **body}, format="json")
        assert response.status_code == 400
        return response.json()["error"]

    assert error({"type": "count", "through_field_id": budget.id}) == (
        "ERROR_INVALID_COUNT_THROUGH_FIELD"
    )
    assert error({"type": "lookup", "through_field_id": budget.id}) == (
        "ERROR_INVALID_LOOKUP_THROUGH_FIELD"
    )
    assert error({"type": "lookup", "through_field_id": link.id, "target_field_id": 0}) == (
        "ERROR_INVALID_LOOKUP_TARGET_FIELD"
    )
    response = user_client.post(
        url,
        {
            "name": "Names",
            "type": "lookup",
            "through_field_id": link.id,
            "target_field_name": "Name",
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["read_only"] is True


def test_a_link_cannot_count_through_itself_when_converted(user, table, linked):
    link, _ = linked

    with pytest.raises(errors.InvalidCountThroughField):
        field_update(user=user, field=link, type="count", options={"through_field_id": link.id})


def test_rows_read_without_prefetch_give_the_same_json(user, table, projects, linked):
    link, budget = linked
    options = [{"value": "A", "color": "red"}]
    single = create(user, table, "single_select", "One", select_options=options)
    multiple = create(user, table, "multiple_select", "Many", select_options=options)
    create(user, table, "count", "Count", through_field_id=link.id)
    create(user, table, "lookup", "Budgets", through_field_id=link.id, target_field_id=budget.id)
    table = Table.objects.get(id=table.id)

    (row_id,) = rows_create_unchecked(
        table=table,
        rows=[{link.db_column: [1, 2], single.db_column: "A", multiple.db_column: ["A"]}],
    )
    plain = table_models.get_model(table).objects.get(id=row_id)  # no prefetch, no annotation

    assert [row_to_json(plain)] == read_rows(table)[-1:]
