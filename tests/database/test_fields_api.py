"""/api/database/fields/: list, create, read, update, delete, change primary, unique values."""

import pytest
from django.urls import reverse

from database import table_models
from database.applications.models import Application
from database.fields.models import Field
from database.tables.models import Table
from tests.database.helpers import add_field, insert_rows, primary_of, read_rows
from tests.test_malformed_input import BAD_VALUES, RAW_BODIES, assert_clear_4xx
from workspaces.models import WorkspaceUser

NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
TABLE_MISSING = {
    "error": "ERROR_TABLE_DOES_NOT_EXIST",
    "detail": "The requested table does not exist.",
}
FIELD_MISSING = {
    "error": "ERROR_FIELD_DOES_NOT_EXIST",
    "detail": "The requested field does not exist.",
}
NUMBER_DEFAULTS = {
    "number_decimal_places": 0,
    "number_negative": False,
    "number_prefix": "",
    "number_suffix": "",
    "number_separator": "",
    "number_default": None,
}


def list_url(table_id: int) -> str:
    return reverse("api:fields:list", kwargs={"table_id": table_id})


def item_url(field_id: int) -> str:
    return reverse("api:fields:item", kwargs={"field_id": field_id})


def primary_url(table_id: int) -> str:
    return reverse("api:fields:change_primary_field", kwargs={"table_id": table_id})


def values_url(field_id: int) -> str:
    return reverse("api:fields:unique_row_values", kwargs={"field_id": field_id})


def field_json(field: Field, **type_keys) -> dict:
    """The field object the contract gives for `field` as it is stored now."""
    field.refresh_from_db()
    return {
        "id": field.id,
        "table_id": field.table_id,
        "name": field.name,
        "order": field.order,
        "type": field.type,
        "primary": field.primary,
        "read_only": False,
        "immutable_type": False,
        "immutable_properties": False,
        "description": field.description,
        "database_id": field.table.database_id,
        "workspace_id": field.table.database.workspace_id,
        "db_index": field.db_index,
        "field_constraints": [],
        **type_keys,
    }


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def outsider(client_for, other_user):
    return client_for(other_user)


@pytest.fixture
def their_table(other_user, make_table) -> Table:
    """A table in the outsider's own workspace."""
    workspace = WorkspaceUser.objects.filter(user=other_user).first().workspace
    return make_table("Theirs", database=Application.objects.create(workspace=workspace, name="D"))


# List.


def test_list_gives_the_fields_in_order(client, table):
    amount = add_field(table, "Amount", "number", number_decimal_places=2)
    done = add_field(table, "Done", "boolean")
    response = client.get(list_url(table.id))
    assert response.status_code == 200
    assert response.json() == [
        field_json(primary_of(table), text_default=""),
        field_json(amount, **{**NUMBER_DEFAULTS, "number_decimal_places": 2}),
        field_json(done, boolean_default=False),
    ]


def test_list_of_an_unknown_or_trashed_table_is_404(client, table):
    assert client.get(list_url(table.id + 1000)).json() == TABLE_MISSING
    Application.objects.filter(id=table.database_id).update(trashed=True)
    response = client.get(list_url(table.id))
    assert response.status_code == 404
    assert response.json() == TABLE_MISSING


def test_list_needs_a_jwt(api_client, table):
    assert api_client.get(list_url(table.id)).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Bearer nope")
    assert api_client.get(list_url(table.id)).status_code == 401


def test_list_queries_do_not_grow_with_fields(client, table, django_assert_max_num_queries):
    for n in range(20):
        add_field(table, f"F{n}")
    with django_assert_max_num_queries(6):
        assert len(client.get(list_url(table.id)).json()) == 21


# Create.


def test_create_a_text_field(client, table):
    response = client.post(
        list_url(table.id),
        {"name": "Notes", "type": "text", "text_default": "hi", "description": "Free text"},
        format="json",
    )
    assert response.status_code == 200
    field = Field.objects.get(table=table, name="Notes")
    assert response.json() == {**field_json(field, text_default="hi"), "related_fields": []}
    assert field.order == 1
    assert field.primary is False
    assert field.description == "Free text"


def test_create_a_number_field_with_its_properties(client, table):
    body = {
        "name": "Price",
        "type": "number",
        "number_decimal_places": 2,
        "number_negative": True,
        "number_prefix": "$",
        "number_default": "1.5",
        "db_index": True,
    }
    response = client.post(list_url(table.id), body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["db_index"] is True
    assert {key: data[key] for key in NUMBER_DEFAULTS} == {
        **NUMBER_DEFAULTS,
        "number_decimal_places": 2,
        "number_negative": True,
        "number_prefix": "$",
        "number_default": "1.5000000000",
    }


def test_create_ignores_unknown_keys_and_primary(client, table):
    body = {"name": "Done", "type": "boolean", "primary": True, "banana": 1, "text_default": "x"}
    response = client.post(list_url(table.id), body, format="json")
    assert response.status_code == 200
    assert response.json()["primary"] is False
    assert "banana" not in response.json()
    assert "text_default" not in response.json()
    assert primary_of(table).name == "Name"


def test_create_accepts_a_form_body(client, table):
    response = client.post(list_url(table.id), {"name": "Tally", "type": "number"})
    assert response.status_code == 200
    assert response.json()["type"] == "number"


def test_create_checks_the_common_keys(client, table):
    response = client.post(list_url(table.id), {"name": "X"}, format="json")
    assert response.json() == {
        "error": "ERROR_REQUEST_BODY_VALIDATION",
        "detail": {"type": [{"error": "This field is required.", "code": "required"}]},
    }
    response = client.post(list_url(table.id), {"name": "X", "type": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == {
        "type": [{"error": '"nope" is not a valid choice.', "code": "invalid_choice"}]
    }
    response = client.post(list_url(table.id), {"type": "text"}, format="json")
    assert response.json()["detail"]["name"][0]["code"] == "required"


def test_create_checks_the_type_properties(client, table):
    body = {"name": "N", "type": "number", "number_decimal_places": 11}
    response = client.post(list_url(table.id), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert response.json()["detail"]["number_decimal_places"][0]["code"] == "max_value"
    assert not Field.objects.filter(table=table, name="N").exists()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Name", "ERROR_FIELD_WITH_SAME_NAME_ALREADY_EXISTS"),
        # Names arrive trimmed, as DRF's CharField (and so Baserow) trims them.
        (" Name ", "ERROR_FIELD_WITH_SAME_NAME_ALREADY_EXISTS"),
        ("id", "ERROR_RESERVED_BASEROW_FIELD_NAME"),
        ("order", "ERROR_RESERVED_BASEROW_FIELD_NAME"),
        ("", "ERROR_INVALID_BASEROW_FIELD_NAME"),
        ("   ", "ERROR_INVALID_BASEROW_FIELD_NAME"),
        ("x" * 256, "ERROR_MAX_FIELD_NAME_LENGTH_EXCEEDED"),
    ],
)
def test_create_refuses_bad_names(client, table, name, code):
    response = client.post(list_url(table.id), {"name": name, "type": "text"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert Field.objects.filter(table=table).count() == 1


@pytest.mark.parametrize("name", ["name", "NAME", "Id", "ORDER", "x" * 255, "Name 2"])
def test_names_are_compared_exactly(client, table, name):
    response = client.post(list_url(table.id), {"name": name, "type": "text"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == name


def test_the_same_name_is_fine_in_another_table(client, table, make_table):
    other = make_table("Other")
    add_field(table, "Shared")
    response = client.post(list_url(other.id), {"name": "Shared", "type": "text"}, format="json")
    assert response.status_code == 200


def test_create_stops_at_the_field_limit(client, table, settings):
    assert settings.MAX_FIELDS_PER_TABLE == 600
    for n in range(1, 600):
        add_field(table, f"F{n}", "boolean")
    assert Field.objects.filter(table=table).count() == 600
    response = client.post(list_url(table.id), {"name": "One more", "type": "text"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_MAX_FIELD_COUNT_EXCEEDED",
        "detail": "The maximum amount of fields for the table is reached.",
    }
    for n in range(600, 700):
        response = client.post(list_url(table.id), {"name": f"F{n}", "type": "text"})
        assert response.json()["error"] == "ERROR_MAX_FIELD_COUNT_EXCEEDED"
    assert Field.objects.filter(table=table).count() == 600


def test_create_on_an_unknown_table_is_404(client, table):
    response = client.post(list_url(table.id + 1000), {"name": "X", "type": "text"})
    assert response.status_code == 404
    assert response.json() == TABLE_MISSING


# Read.


def test_read_one_field(client, table):
    primary = primary_of(table)
    response = client.get(item_url(primary.id))
    assert response.status_code == 200
    assert response.json() == field_json(primary, text_default="")


def test_read_an_unknown_or_trashed_field_is_404(client, table):
    primary = primary_of(table)
    assert client.get(item_url(primary.id + 1000)).json() == FIELD_MISSING
    Application.objects.filter(id=table.database_id).update(trashed=True)
    response = client.get(item_url(primary.id))
    assert response.status_code == 404
    assert response.json() == FIELD_MISSING


# Update.


def test_rename_and_describe(client, table):
    field = add_field(table, "Old")
    body = {"name": "New", "description": "About it"}
    response = client.patch(item_url(field.id), body, format="json")
    assert response.status_code == 200
    assert response.json() == {**field_json(field, text_default=""), "related_fields": []}
    assert (field.name, field.description) == ("New", "About it")


def test_update_type_properties_keeps_the_others(client, table):
    field = add_field(table, "Price", "number", number_decimal_places=2, number_prefix="$")
    response = client.patch(item_url(field.id), {"number_suffix": "EUR"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["number_decimal_places"], data["number_prefix"], data["number_suffix"]) == (
        2,
        "$",
        "EUR",
    )


def test_convert_text_to_number_keeps_convertible_values(client, table):
    field = add_field(table, "Amount")
    insert_rows(table, [{field.db_column: v} for v in ["12", "3.75", "abc", None]])
    body = {"type": "number", "number_decimal_places": 1}
    response = client.patch(item_url(field.id), body, format="json")
    assert response.status_code == 200
    assert response.json()["type"] == "number"
    assert response.json()["number_decimal_places"] == 1
    assert [row[field.db_column] for row in read_rows(table)] == ["12.0", "3.8", None, None]


def test_update_with_an_unchanged_name_is_fine(client, table):
    field = add_field(table, "Same")
    response = client.patch(item_url(field.id), {"name": "Same"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Name", "ERROR_FIELD_WITH_SAME_NAME_ALREADY_EXISTS"),
        ("id", "ERROR_RESERVED_BASEROW_FIELD_NAME"),
        ("order", "ERROR_RESERVED_BASEROW_FIELD_NAME"),
        ("", "ERROR_INVALID_BASEROW_FIELD_NAME"),
        ("x" * 256, "ERROR_MAX_FIELD_NAME_LENGTH_EXCEEDED"),
    ],
)
def test_rename_refuses_bad_names(client, table, name, code):
    field = add_field(table, "Mine")
    response = client.patch(item_url(field.id), {"name": name}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == code
    field.refresh_from_db()
    assert field.name == "Mine"


def test_update_refuses_an_unknown_type(client, table):
    field = add_field(table, "Mine")
    response = client.patch(item_url(field.id), {"type": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]["type"][0]["code"] == "invalid_choice"


def test_update_of_an_unknown_field_is_404(client, table):
    response = client.patch(item_url(primary_of(table).id + 1000), {"name": "X"}, format="json")
    assert response.status_code == 404
    assert response.json() == FIELD_MISSING


def test_primary_cannot_become_a_type_that_is_never_primary(client, table, never_primary_type):
    primary = primary_of(table)
    response = client.patch(item_url(primary.id), {"type": never_primary_type}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_INCOMPATIBLE_PRIMARY_FIELD_TYPE",
        "detail": f"The field type {never_primary_type} is not compatible with the primary field.",
    }
    primary.refresh_from_db()
    assert primary.type == "text"


def test_primary_cannot_become_link_row(client, table, make_table):
    target = make_table("Target")
    body = {"type": "link_row", "link_row_table_id": target.id}
    response = client.patch(item_url(primary_of(table).id), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_INCOMPATIBLE_PRIMARY_FIELD_TYPE"
    assert primary_of(table).type == "text"


# Delete.


def test_delete_a_field(client, table):
    field = add_field(table, "Gone")
    response = client.delete(item_url(field.id))
    assert response.status_code == 200
    assert response.json() == {"related_fields": []}
    assert not Field.objects.filter(id=field.id).exists()
    assert client.get(item_url(field.id)).status_code == 404
    assert client.delete(item_url(field.id)).json() == FIELD_MISSING


def test_the_primary_field_cannot_be_deleted(client, table):
    response = client.delete(item_url(primary_of(table).id))
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_CANNOT_DELETE_PRIMARY_FIELD",
        "detail": "The primary field cannot be deleted.",
    }
    assert Field.objects.filter(table=table, primary=True).count() == 1


# Change the primary field.


def test_change_primary_field(client, table):
    old = primary_of(table)
    new = add_field(table, "Code", "number")
    response = client.post(primary_url(table.id), {"new_primary_field_id": new.id}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        **field_json(new, **NUMBER_DEFAULTS),
        "related_fields": [field_json(old, text_default="")],
    }
    assert new.primary is True
    assert old.primary is False
    assert list(Field.objects.filter(table=table, primary=True)) == [new]
    # The former primary field is an ordinary field now: it can go.
    assert client.delete(item_url(old.id)).status_code == 200


@pytest.mark.parametrize(
    ("pick", "code"),
    [
        ("primary", "ERROR_FIELD_IS_ALREADY_PRIMARY"),
        ("other_table", "ERROR_FIELD_NOT_IN_TABLE"),
        ("other_primary", "ERROR_FIELD_NOT_IN_TABLE"),
        ("never_primary", "ERROR_INCOMPATIBLE_PRIMARY_FIELD_TYPE"),
    ],
)
def test_change_primary_field_errors(client, table, make_table, never_primary_type, pick, code):
    other = make_table("Other")
    fields = {
        "primary": primary_of(table),
        "other_table": add_field(other, "Elsewhere"),
        "other_primary": primary_of(other),
        "never_primary": add_field(table, "Secret", never_primary_type),
    }
    body = {"new_primary_field_id": fields[pick].id}
    response = client.post(primary_url(table.id), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert primary_of(table).name == "Name"
    assert primary_of(other).name == "Name"


def test_change_primary_field_lookups(client, table):
    primary = primary_of(table)
    response = client.post(primary_url(table.id + 1000), {"new_primary_field_id": primary.id})
    assert response.status_code == 404
    assert response.json() == TABLE_MISSING
    response = client.post(primary_url(table.id), {"new_primary_field_id": primary.id + 1000})
    assert response.status_code == 404
    assert response.json() == FIELD_MISSING
    response = client.post(primary_url(table.id), {}, format="json")
    assert response.json()["detail"]["new_primary_field_id"][0]["code"] == "required"


# Unique row values.


def test_unique_row_values_most_frequent_first(client, table):
    field = add_field(table, "Fruit")
    values = ["pear", "apple", "pear", "fig", "pear", "apple", None, "", "Apple"]
    insert_rows(table, [{field.db_column: v} for v in values])
    response = client.get(values_url(field.id))
    assert response.status_code == 200
    assert response.json() == {"values": ["pear", "apple", "Apple", "fig"]}
    response = client.get(values_url(field.id), {"limit": 2})
    assert response.json() == {"values": ["pear", "apple"]}


def test_unique_row_values_split_by_comma(client, table):
    field = add_field(table, "Tags", "long_text")
    values = ["a, b", "b,c", " c ,, b ", "d", None, "a,b"]
    insert_rows(table, [{field.db_column: v} for v in values])
    response = client.get(values_url(field.id), {"split_comma_separated": "true"})
    assert response.json() == {"values": ["b", "a", "c", "d"]}
    # A flag without a value counts as set, as Baserow's query booleans do.
    assert client.get(values_url(field.id) + "?split_comma_separated=").json() == {
        "values": ["b", "a", "c", "d"]
    }
    response = client.get(values_url(field.id), {"split_comma_separated": "false"})
    assert sorted(response.json()["values"]) == [" c ,, b ", "a, b", "a,b", "b,c", "d"]


def test_unique_row_values_skip_trashed_rows(client, table):
    field = add_field(table, "Fruit")
    _, trashed = insert_rows(table, [{field.db_column: "kept"}, {field.db_column: "gone"}])
    model = table_models.get_model(Table.objects.get(id=table.id))
    model.objects.filter(id=trashed).update(trashed=True)
    assert client.get(values_url(field.id)).json() == {"values": ["kept"]}


def test_unique_row_values_limit_is_at_most_100(client, table):
    field = add_field(table, "Code")
    insert_rows(table, [{field.db_column: f"v{n:03}"} for n in range(120)])
    for query in ({}, {"limit": 0}, {"limit": 500}, {"limit": 100}):
        assert len(client.get(values_url(field.id), query).json()["values"]) == 100, query
    assert len(client.get(values_url(field.id), {"limit": 7}).json()["values"]) == 7


@pytest.mark.parametrize("query", [{"limit": -1}, {"limit": "many"}, {"limit": 10**30}])
def test_unique_row_values_bad_query(client, table, query):
    response = client.get(values_url(primary_of(table).id), query)
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"


@pytest.mark.parametrize("type_name", ["number", "boolean"])
def test_unique_row_values_only_for_text_like_fields(client, table, type_name):
    field = add_field(table, "Other", type_name)
    response = client.get(values_url(field.id))
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_INCOMPATIBLE_FIELD_TYPE_FOR_UNIQUE_VALUES",
        "detail": "The field type is not compatible with listing unique values.",
    }


def test_unique_row_values_of_an_unknown_field_is_404(client, table):
    response = client.get(values_url(primary_of(table).id + 1000))
    assert response.status_code == 404
    assert response.json() == FIELD_MISSING


# Tenants.


def test_an_outsider_cannot_touch_our_fields(outsider, table):
    primary = primary_of(table)
    field = add_field(table, "Secret")
    insert_rows(table, [{field.db_column: "hidden"}])
    requests = [
        ("get", list_url(table.id), None),
        ("post", list_url(table.id), {"name": "Mine", "type": "text"}),
        ("get", item_url(field.id), None),
        ("patch", item_url(field.id), {"name": "Taken"}),
        ("patch", item_url(field.id), {"type": "number"}),
        ("delete", item_url(field.id), None),
        ("post", primary_url(table.id), {"new_primary_field_id": field.id}),
        ("get", values_url(field.id), None),
    ]
    for method, url, body in requests:
        response = getattr(outsider, method)(url, body, format="json")
        assert response.status_code == 400, (method, url)
        assert response.json() == NOT_MEMBER, (method, url)
    assert list(Field.objects.filter(table=table).values_list("id", "name", "type", "primary")) == [
        (primary.id, "Name", "text", True),
        (field.id, "Secret", "text", False),
    ]
    assert [row[field.db_column] for row in read_rows(table)] == ["hidden"]


def test_an_outsider_cannot_make_their_field_our_primary(outsider, their_table, table):
    body = {"new_primary_field_id": add_field(their_table, "Theirs").id}
    response = outsider.post(primary_url(table.id), body, format="json")
    assert response.json() == NOT_MEMBER
    assert primary_of(table).name == "Name"


def test_we_cannot_make_an_outsiders_field_our_primary(client, their_table, table):
    their_field = add_field(their_table, "Private")
    body = {"new_primary_field_id": their_field.id}
    response = client.post(primary_url(table.id), body, format="json")
    assert response.json()["error"] == "ERROR_FIELD_NOT_IN_TABLE"
    their_field.refresh_from_db()
    assert their_field.primary is False


def test_we_cannot_reach_an_outsiders_table(client, their_table):
    field = add_field(their_table, "Private")
    assert client.get(list_url(their_table.id)).json() == NOT_MEMBER
    assert client.get(item_url(field.id)).json() == NOT_MEMBER
    response = client.post(list_url(their_table.id), {"name": "X", "type": "text"})
    assert response.json() == NOT_MEMBER


# Malformed input: always a clear 4xx, never a 500.

SWEEP_KEYS = [
    "name",
    "type",
    "description",
    "db_index",
    "text_default",
    "long_text_enable_rich_text",
    "number_decimal_places",
    "number_negative",
    "number_prefix",
    "number_separator",
    "number_default",
    "boolean_default",
    "new_primary_field_id",
]


@pytest.fixture
def sweep_targets(table):
    """(method, url, base body) of every field endpoint that reads a body."""
    number = add_field(table, "Number", "number", number_decimal_places=2)
    text = add_field(table, "Text")
    insert_rows(table, [{number.db_column: "1.5", text.db_column: "x"}])
    return [
        ("post", list_url(table.id), {"type": "number"}),
        ("post", list_url(table.id), {"type": "text"}),
        ("patch", item_url(number.id), {}),
        ("patch", item_url(text.id), {}),
        ("post", primary_url(table.id), {}),
    ]


def test_wrong_values_in_every_key(client, sweep_targets):
    for index, (method, url, base) in enumerate(sweep_targets):
        for key in SWEEP_KEYS:
            for n, value in enumerate(BAD_VALUES):
                body = {"name": f"Sweep {index} {key} {n}", **base, key: value}
                response = getattr(client, method)(url, body, format="json")
                if response.status_code < 400:
                    continue  # a few of these values are valid for some keys
                assert_clear_4xx(response, (method, url, key, repr(value)[:40]))


def test_broken_bodies(client, sweep_targets):
    for method, url, _ in sweep_targets:
        for raw, content_type in RAW_BODIES:
            response = getattr(client, method)(url, data=raw, content_type=content_type)
            if method == "patch" and response.status_code == 200:
                continue  # parsed as an empty form: a PATCH that changes nothing
            assert_clear_4xx(response, (method, url, raw[:30], content_type))
        raw = b'{"name": "a\\ud83d", "type": "text"}'
        response = getattr(client, method)(url, data=raw, content_type="application/json")
        assert_clear_4xx(response, (method, url, raw))


@pytest.mark.parametrize(
    "query",
    [
        "limit=abc",
        "limit=-5",
        "limit=1e3",
        f"limit={'9' * 40}",
        "split_comma_separated=perhaps",
        "split_comma_separated=" + "x" * 10_000,
    ],
)
def test_broken_unique_values_queries(client, table, query):
    response = client.get(f"{values_url(primary_of(table).id)}?{query}")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"


@pytest.mark.parametrize("huge", ["9" * 19, "9" * 30])
def test_huge_ids_in_paths_and_bodies_are_404(client, table, huge):
    for method, url in [
        ("get", f"/api/database/fields/table/{huge}/"),
        ("post", f"/api/database/fields/table/{huge}/"),
        ("get", f"/api/database/fields/{huge}/"),
        ("patch", f"/api/database/fields/{huge}/"),
        ("delete", f"/api/database/fields/{huge}/"),
        ("get", f"/api/database/fields/{huge}/unique_row_values/"),
        ("post", f"/api/database/fields/table/{huge}/change-primary-field/"),
    ]:
        response = getattr(client, method)(url, {"name": "X", "type": "text"}, format="json")
        assert response.status_code == 404, (method, url, response.content[:200])
    body = {"new_primary_field_id": int(huge)}
    response = client.post(primary_url(table.id), body, format="json")
    assert_clear_4xx(response, body)


def test_we_cannot_link_to_an_outsiders_table(client, their_table, table):
    body = {"name": "Peek", "type": "link_row", "link_row_table_id": their_table.id}
    response = client.post(list_url(table.id), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_LINK_ROW_TABLE_NOT_IN_SAME_DATABASE"
    assert not Field.objects.filter(name="Peek").exists()
    assert list(Field.objects.filter(table=their_table).values_list("name", flat=True)) == ["Name"]
