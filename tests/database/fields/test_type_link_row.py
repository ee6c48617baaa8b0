"""link_row fields (05-fields.md): relations, the related field, cells, conversion, deletion."""

import pytest
from django.db import connection
from django.urls import reverse

from api.exceptions import RequestBodyValidationError
from database import table_models
from database.applications.models import Application
from database.compose.tables import table_delete
from database.fields import errors
from database.fields.models import Field
from database.fields.serializers import field_to_json
from database.fields.services import (
    field_change_primary,
    field_create,
    field_delete,
    field_update,
)
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from tests.database.helpers import insert_rows, primary_of, purge_trash, read_rows
from workspaces.models import WorkspaceUser

ORDER = "{}.00000000000000000000"


def relations() -> set[str]:
    return {name for name in connection.introspection.table_names() if "relation" in name}


def model_of(table):
    """The current model of the table (the fixture's instance may hold an old schema version)."""
    return table_models.get_model(Table.objects.get(id=table.id))


def names(table, rows: list[str]) -> list[int]:
    return insert_rows(table, [{primary_of(table).db_column: name} for name in rows])


def cells(table, field) -> list:
    return [row[field.db_column] for row in read_rows(table)]


def link(user, table, target, name="Link", **options) -> tuple[Field, list[Field]]:
    return field_create(
        user=user,
        table=table,
        type="link_row",
        name=name,
        options={"link_row_table_id": target.id, **options},
    )


@pytest.fixture
def other(make_table) -> Table:
    return make_table("Projects")


def test_create_makes_the_related_field_and_one_shared_relation(user, table, other):
    field, related = link(user, table, other)

    (reverse,) = related
    assert (reverse.table_id, reverse.name, reverse.type) == (other.id, "Table", "link_row")
    assert reverse.link_row_table_id == table.id
    assert reverse.link_row_relation_id == field.link_row_relation_id
    assert relations() == {f"database_relation_{field.link_row_relation_id}"}
    data = field_to_json(field)
    assert {key: data[key] for key in data if key.startswith(("link_row", "has_"))} == {
        "link_row_table_id": other.id,
        "link_row_table": other.id,
        "link_row_related_field_id": reverse.id,
        "link_row_related_field": reverse.id,
        "link_row_limit_selection_view_id": None,
        "link_row_multiple_relationships": True,
        "has_related_field": True,
        "link_row_table_primary_field": field_to_json(primary_of(other)),
    }
    assert field_to_json(reverse)["link_row_related_field_id"] == field.id


def test_related_field_name_gets_a_number_when_taken(user, table, other):
    field_create(user=user, table=other, type="text", name="Table")

    _, (reverse,) = link(user, table, other)
    _, (second,) = link(user, table, other, name="Again")

    assert (reverse.name, second.name) == ("Table 2", "Table 3")


def test_without_related_field(user, table, other):
    field, related = link(user, table, other, has_related_field=False)

    assert related == []
    assert field_to_json(field)["has_related_field"] is False
    assert not Field.objects.filter(table=other, type="link_row").exists()


def test_self_link_has_no_related_field(user, table):
    field, related = link(user, table, table)

    assert related == []
    assert field.link_row_related_field_id is None
    with pytest.raises(errors.SelfReferencingLinkRowCannotHaveRelatedField):
        link(user, table, table, name="Again", has_related_field=True)


def test_table_must_be_given_and_reachable(user, other_user, table, workspace):
    with pytest.raises(errors.LinkRowTableNotProvided):
        field_create(user=user, table=table, type="link_row", name="Link")
    with pytest.raises(TableDoesNotExist):
        link(user, table, Table(id=987_654))
    second_database = Application.objects.create(workspace=workspace, name="Second")
    elsewhere = Table.objects.create(database=second_database, name="Elsewhere")
    with pytest.raises(errors.LinkRowTableNotInSameDatabase):
        link(user, table, elsewhere)
    bobs = WorkspaceUser.objects.filter(user=other_user).first().workspace
    bobs_table = Table.objects.create(
        database=Application.objects.create(workspace=bobs, name="Bob's"), name="Secret"
    )
    with pytest.raises(errors.LinkRowTableNotInSameDatabase):
        link(user, table, bobs_table)
    assert not Field.objects.filter(type="link_row").exists()


def test_api_refuses_a_table_of_another_workspace(user_client, other_user, table):
    bobs = WorkspaceUser.objects.filter(user=other_user).first().workspace
    bobs_table = Table.objects.create(
        database=Application.objects.create(workspace=bobs, name="Bob's"), name="Secret"
    )
    url = reverse("api:fields:list", kwargs={"table_id": table.id})
    body = {"name": "Link", "type": "link_row", "link_row_table_id": bobs_table.id}

    response = user_client.post(url, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_LINK_ROW_TABLE_NOT_IN_SAME_DATABASE"
    body["link_row_table_id"] = 987_654
    assert user_client.post(url, body, format="json").status_code == 404


def test_api_create_returns_the_related_field(user_client, table, other):
    url = reverse("api:fields:list", kwargs={"table_id": table.id})
    body = {"name": "Link", "type": "link_row", "link_row_table_id": other.id}

    response = user_client.post(url, body, format="json")

    assert response.status_code == 200
    data = response.json()
    (related,) = data["related_fields"]
    assert (related["name"], related["table_id"], related["type"]) == (
        "Table",
        other.id,
        "link_row",
    )
    assert related["link_row_related_field_id"] == data["id"]
    assert data["link_row_table_primary_field"]["id"] == primary_of(other).id


def test_cells_by_ids_names_int_and_comma_string(user, table, other):
    field, (reverse,) = link(user, table, other)
    a, b, c = names(other, ["Alpha", "Beta", "Gamma"])

    insert_rows(
        table,
        [
            {field.db_column: [c, "Alpha"]},
            {field.db_column: b},
            {field.db_column: f"{a}, Gamma"},
            {field.db_column: None},
            {},
        ],
    )

    assert cells(table, field) == [
        [
            {"id": c, "value": "Gamma", "order": ORDER.format(3)},
            {"id": a, "value": "Alpha", "order": ORDER.format(1)},
        ],
        [{"id": b, "value": "Beta", "order": ORDER.format(2)}],
        [
            {"id": a, "value": "Alpha", "order": ORDER.format(1)},
            {"id": c, "value": "Gamma", "order": ORDER.format(3)},
        ],
        [],
        [],
    ]
    # The other side sees the same links.
    assert [[item["id"] for item in cell] for cell in cells(other, reverse)] == [
        [1, 3],
        [2],
        [1, 3],
    ]


def test_unknown_rows_are_refused_with_a_string_detail(user, table, other):
    field, _ = link(user, table, other)
    (a,) = names(other, ["Alpha"])

    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: [a, 999]}])
    assert excinfo.value.detail == "The provided row ids [999] do not exist."
    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: ["Nobody"]}])
    assert isinstance(excinfo.value.detail, str)
    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: {"id": a}}])
    assert excinfo.value.detail[field.db_column][0]["code"] == "invalid"


def test_trashed_rows_are_not_shown_nor_linkable(user, table, other):
    field, _ = link(user, table, other)
    a, b = names(other, ["Alpha", "Beta"])
    insert_rows(table, [{field.db_column: [a, b]}])

    model_of(other).objects.filter(id=a).update(trashed=True)

    assert [item["id"] for item in cells(table, field)[0]] == [b]
    with pytest.raises(RequestBodyValidationError):
        insert_rows(table, [{field.db_column: [a]}])


def test_single_relationship_mode(user, table, other):
    field, _ = link(user, table, other)
    a, b = names(other, ["Alpha", "Beta"])
    insert_rows(table, [{field.db_column: [b, a]}])

    field, _ = field_update(
        user=user, field=field, options={"link_row_multiple_relationships": False}
    )

    assert [item["id"] for item in cells(table, field)[0]] == [b]
    with pytest.raises(RequestBodyValidationError) as excinfo:
        insert_rows(table, [{field.db_column: [a, b]}])
    assert excinfo.value.detail[field.db_column][0]["code"] == "max_length"


def test_links_within_one_table(user, table):
    field, _ = link(user, table, table)
    a, b = names(table, ["Alpha", "Beta"])

    insert_rows(table, [{field.db_column: [a, b]}])

    assert cells(table, field)[2] == [
        {"id": a, "value": "Alpha", "order": ORDER.format(1)},
        {"id": b, "value": "Beta", "order": ORDER.format(2)},
    ]


def test_value_is_the_primary_text_of_other_types(user, table, other):
    field, _ = link(user, table, other)
    number, _ = field_create(
        user=user, table=other, type="number", name="Code", options={"number_decimal_places": 2}
    )
    status, _ = field_create(
        user=user,
        table=other,
        type="single_select",
        name="Status",
        options={"select_options": [{"value": "Open", "color": "blue"}]},
    )
    (a,) = insert_rows(other, [{number.db_column: "7", status.db_column: "Open"}])
    insert_rows(table, [{field.db_column: [a]}])

    field_change_primary(user=user, table=other, field=number)
    assert cells(table, field)[0][0]["value"] == "7.00"

    field_change_primary(user=user, table=other, field=status)
    assert cells(table, field)[0][0]["value"] == "Open"


def test_toggle_the_related_field(user, table, other):
    field, _ = link(user, table, other, has_related_field=False)

    field, related = field_update(user=user, field=field, options={"has_related_field": True})
    (reverse,) = related
    assert field.link_row_related_field_id == reverse.id

    field, _ = field_update(user=user, field=field, options={"has_related_field": False})
    assert field.link_row_related_field_id is None
    assert not Field.objects.filter(id=reverse.id).exists()
    assert relations() == {f"database_relation_{field.link_row_relation_id}"}


def test_pointing_at_another_table_drops_the_links(user, table, other, make_table):
    field, (reverse,) = link(user, table, other)
    (a,) = names(other, ["Alpha"])
    insert_rows(table, [{field.db_column: [a]}])
    third = make_table("Third")

    field, related = field_update(user=user, field=field, options={"link_row_table_id": third.id})

    assert not Field.objects.filter(id=reverse.id).exists()
    (new_reverse,) = related
    assert new_reverse.table_id == third.id
    assert cells(table, field) == [[]]
    assert relations() == {f"database_relation_{field.link_row_relation_id}"}


def test_delete_deletes_the_related_field_and_the_relation(user, table, other):
    field, (reverse,) = link(user, table, other)
    insert_rows(table, [{field.db_column: names(other, ["Alpha"])}])

    field_delete(user=user, field=reverse)
    purge_trash()

    assert not Field.objects.filter(id__in=[field.id, reverse.id]).exists()
    assert relations() == set()
    assert read_rows(table) == [
        {"id": 1, "order": ORDER.format(1), primary_of(table).db_column: None}
    ]


def test_text_to_link_row_and_back(user, table, other):
    field, _ = field_create(user=user, table=table, type="text", name="Link")
    insert_rows(table, [{field.db_column: "Alpha"}])
    names(other, ["Alpha"])

    field, related = field_update(
        user=user, field=field, type="link_row", options={"link_row_table_id": other.id}
    )
    (reverse,) = related
    assert cells(table, field) == [[]]
    assert reverse.table_id == other.id
    insert_rows(table, [{field.db_column: [1]}])

    field, _ = field_update(user=user, field=field, type="text")

    assert cells(table, field) == [None, None]
    assert (field.link_row_table_id, field.link_row_relation_id) == (None, None)
    assert not Field.objects.filter(id=reverse.id).exists()
    assert relations() == set()


def test_deleting_the_linked_table_removes_the_links(user, table, other):
    field, (reverse,) = link(user, table, other)
    insert_rows(table, [{field.db_column: names(other, ["Alpha"])}])

    table_delete(user=user, table_id=other.id)
    purge_trash()

    assert not Field.objects.filter(id__in=[field.id, reverse.id]).exists()
    assert relations() == set()
    assert list(read_rows(table)[0]) == ["id", "order", primary_of(table).db_column]
