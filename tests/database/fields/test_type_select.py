"""single_select and multiple_select fields (05-fields.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.exceptions import RequestBodyValidationError
from database.fields.errors import SelectOptionDoesNotBelongToField
from database.fields.models import SelectOption
from database.fields.serializers import field_to_json
from database.fields.services import field_create, field_delete, field_update
from tests.database.helpers import insert_rows, purge_trash, read_rows, values

COLORS = [{"value": "Open", "color": "blue"}, {"value": "Done", "color": "green"}]


def options(field) -> list[dict]:
    return field_to_json(field)["select_options"]


def make_select(user, table, type_name="single_select", name="Status", **extra):
    field, _ = field_create(
        user=user,
        table=table,
        type=type_name,
        name=name,
        options={"select_options": COLORS, **extra},
    )
    return field, {o["value"]: o["id"] for o in options(field)}


def test_create_lists_options_in_order(user, table):
    field, ids = make_select(user, table)

    data = field_to_json(field)
    assert data["select_options"] == [
        {"id": ids["Open"], "value": "Open", "color": "blue"},
        {"id": ids["Done"], "value": "Done", "color": "green"},
    ]
    assert data["single_select_default"] is None
    assert "select_options" not in field.options


@pytest.mark.parametrize("type_name", ["single_select", "multiple_select"])
def test_option_needs_a_color_and_a_short_value(user, table, type_name):
    for bad in ({"value": "x"}, {"value": "x" * 256, "color": "red"}):
        with pytest.raises(RequestBodyValidationError) as excinfo:
            field_create(
                user=user, table=table, type=type_name, name="S", options={"select_options": [bad]}
            )
        assert "select_options" in excinfo.value.detail


def test_single_cells_by_id_or_value(user, table):
    field, ids = make_select(user, table)

    insert_rows(
        table,
        [{field.db_column: ids["Done"]}, {field.db_column: "Open"}, {field.db_column: None}, {}],
    )

    assert values(table, field) == [
        {"id": ids["Done"], "value": "Done", "color": "green"},
        {"id": ids["Open"], "value": "Open", "color": "blue"},
        None,
        None,
    ]


@pytest.mark.parametrize("bad", [999_999, "Nope"])
def test_unknown_single_option_gives_a_string_detail(user, table, bad):
    field, _ = make_select(user, table)

    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: bad}])

    assert isinstance(excinfo.value.detail, str)
    assert str(bad) in excinfo.value.detail


def test_option_of_another_field_is_refused_in_cells_and_properties(user, table):
    field, _ = make_select(user, table)
    _, other_ids = make_select(user, table, name="Other")

    with pytest.raises(RequestBodyValidationError):
        insert_rows(table, [{field.db_column: other_ids["Open"]}])
    with pytest.raises(SelectOptionDoesNotBelongToField):
        field_update(
            user=user,
            field=field,
            options={"select_options": [{"id": other_ids["Open"], "value": "x", "color": "red"}]},
        )


def test_multiple_cells_keep_option_order(user, table):
    field, ids = make_select(user, table, "multiple_select", name="Tags")

    insert_rows(
        table,
        [
            {field.db_column: ["Done", ids["Open"], "Done"]},
            {field.db_column: "Done, Open"},
            {field.db_column: []},
            {field.db_column: None},
        ],
    )

    both = [
        {"id": ids["Open"], "value": "Open", "color": "blue"},
        {"id": ids["Done"], "value": "Done", "color": "green"},
    ]
    assert values(table, field) == [both, both, [], []]


def test_unknown_multiple_option_gives_a_string_detail(user, table):
    field, ids = make_select(user, table, "multiple_select", name="Tags")

    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: [ids["Open"], "Nope"]}])

    assert (
        excinfo.value.detail
        == "The provided select option value 'Nope' is not a valid select option."
    )


def test_defaults_fill_new_rows(user, table):
    single, single_ids = make_select(user, table)
    field_update(user=user, field=single, options={"single_select_default": single_ids["Done"]})
    multiple, multi_ids = make_select(user, table, "multiple_select", name="Tags")
    multiple, _ = field_update(
        user=user, field=multiple, options={"multiple_select_default": [multi_ids["Open"]]}
    )

    insert_rows(table, [{}])

    (row,) = read_rows(table)
    assert row[single.db_column]["id"] == single_ids["Done"]
    assert [o["id"] for o in row[multiple.db_column]] == [multi_ids["Open"]]
    assert field_to_json(multiple)["multiple_select_default"] == [multi_ids["Open"]]


def test_unknown_default_is_dropped(user, table):
    field, _ = make_select(user, table, single_select_default=123_456)

    assert field_to_json(field)["single_select_default"] is None


@pytest.mark.parametrize("type_name", ["single_select", "multiple_select"])
def test_update_adds_renames_and_removes_options(user, table, type_name):
    field, ids = make_select(user, table, type_name)
    cell = ids["Done"] if type_name == "single_select" else [ids["Open"], ids["Done"]]
    insert_rows(table, [{field.db_column: cell}])

    field, _ = field_update(
        user=user,
        field=field,
        options={
            "select_options": [
                {"value": "New", "color": "red"},
                {"id": ids["Open"], "value": "Opened", "color": "dark-blue"},
            ]
        },
    )

    new_id = next(o["id"] for o in options(field) if o["value"] == "New")
    assert options(field) == [
        {"id": new_id, "value": "New", "color": "red"},
        {"id": ids["Open"], "value": "Opened", "color": "dark-blue"},
    ]
    assert not SelectOption.objects.filter(id=ids["Done"]).exists()
    expected = None if type_name == "single_select" else [options(field)[1]]
    assert values(table, field) == [expected]


def test_options_survive_an_update_without_them(user, table):
    field, _ = make_select(user, table)

    field, _ = field_update(user=user, field=field, name="Renamed")

    assert [o["value"] for o in options(field)] == ["Open", "Done"]


def test_text_to_single_select_matches_options_given_in_the_same_patch(user, table):
    field, _ = field_create(user=user, table=table, type="text", name="Status")
    insert_rows(table, [{field.db_column: t} for t in ["Open", "done", "Other", None]])

    field, _ = field_update(
        user=user, field=field, type="single_select", options={"select_options": COLORS}
    )

    assert [v and v["value"] for v in values(table, field)] == ["Open", "Done", None, None]


def test_text_to_multiple_select_splits_on_commas(user, table):
    field, _ = field_create(user=user, table=table, type="text", name="Tags")
    insert_rows(table, [{field.db_column: "Done, Open"}, {field.db_column: "x"}])

    field, _ = field_update(
        user=user, field=field, type="multiple_select", options={"select_options": COLORS}
    )

    assert [[o["value"] for o in v] for v in values(table, field)] == [["Open", "Done"], []]


@pytest.mark.parametrize("type_name", ["single_select", "multiple_select"])
def test_select_to_text_keeps_names_and_drops_options(user, table, type_name):
    field, _ = make_select(user, table, type_name)
    cell = "Done" if type_name == "single_select" else ["Open", "Done"]
    insert_rows(table, [{field.db_column: cell}, {}])

    field, _ = field_update(user=user, field=field, type="text")

    expected = "Done" if type_name == "single_select" else "Open, Done"
    assert values(table, field) == [expected, None]
    assert not SelectOption.objects.filter(field_id=field.id).exists()
    assert f"database_multipleselect_{field.id}" not in connection.introspection.table_names()


def test_single_to_multiple_and_back(user, table):
    field, ids = make_select(user, table)
    insert_rows(table, [{field.db_column: "Done"}, {}])

    field, _ = field_update(user=user, field=field, type="multiple_select")
    assert [[o["id"] for o in v] for v in values(table, field)] == [[ids["Done"]], []]
    assert [o["id"] for o in options(field)] == [ids["Open"], ids["Done"]]

    insert_rows(table, [{field.db_column: ["Open", "Done"]}])
    field, _ = field_update(user=user, field=field, type="single_select")
    assert [v and v["id"] for v in values(table, field)] == [ids["Done"], None, ids["Open"]]


def test_delete_drops_the_storage(user, table):
    single, _ = make_select(user, table)
    multiple, _ = make_select(user, table, "multiple_select", name="Tags")
    relation = f"database_multipleselect_{multiple.id}"
    assert relation in connection.introspection.table_names()

    field_delete(user=user, field=single)
    field_delete(user=user, field=multiple)
    purge_trash()

    assert relation not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table.db_table)
    assert single.db_column not in {column.name for column in description}
    assert not SelectOption.objects.filter(field_id__in=[single.id, multiple.id]).exists()


def test_api_create_and_an_option_of_another_field(user_client, table):
    url = reverse("api:fields:list", kwargs={"table_id": table.id})
    body = {"name": "Status", "type": "single_select", "select_options": COLORS}
    created = user_client.post(url, body, format="json")
    other = user_client.post(url, {**body, "name": "Other"}, format="json").json()

    assert created.status_code == 200
    data = created.json()
    assert [(o["value"], o["color"]) for o in data["select_options"]] == [
        ("Open", "blue"),
        ("Done", "green"),
    ]
    foreign = {"id": other["select_options"][0]["id"], "value": "x", "color": "red"}
    response = user_client.patch(
        reverse("api:fields:item", kwargs={"field_id": data["id"]}),
        {"select_options": [foreign]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_SELECT_OPTION_DOES_NOT_BELONG_TO_FIELD"


def test_listed_cells_follow_option_changes_without_reading_options_per_list(
    user, user_client, table
):
    field, ids = make_select(user, table)
    insert_rows(table, [{field.db_column: ids["Open"]}, {field.db_column: ids["Done"]}])
    url = f"/api/database/rows/table/{table.id}/"

    def cells() -> list:
        response = user_client.get(url)
        assert response.status_code == 200, response.json()
        return [row[field.db_column] for row in response.json()["results"]]

    assert cells() == [
        {"id": ids["Open"], "value": "Open", "color": "blue"},
        {"id": ids["Done"], "value": "Done", "color": "green"},
    ]
    # The table's model keeps its options: a list reads no option.
    with CaptureQueriesContext(connection) as queries:
        cells()
    assert not [q for q in queries.captured_queries if "selectoption" in q["sql"]]
    renamed = [{"id": ids["Open"], "value": "Opened", "color": "red"}]
    response = user_client.patch(
        reverse("api:fields:item", kwargs={"field_id": field.id}),
        {"select_options": renamed},
        format="json",
    )
    assert response.status_code == 200, response.json()
    # The update gave the table a new model, with the options as they are now.
    assert cells() == [{"id": ids["Open"], "value": "Opened", "color": "red"}, None]
