"""Saved filters and filter groups: endpoints, errors, and every filter type through a view."""

import pytest

from database.fields.models import Field
from database.fields.serializers import field_to_json
from database.fields.services import field_delete, field_update
from database.rows.filters import register_builtin_filter_types
from database.rows.filters.registry import view_filter_types
from database.views.models import View, ViewFilter
from database.views.selectors import view_filter_tree
from tests.database.filters.helpers import create, ids_for_tree, ids_where
from tests.database.helpers import insert_rows, primary_of
from tests.database.views.helpers import VIEWS, add_filter, create_view, grid_ids

register_builtin_filter_types()
# Field types a filter type may be tried on, simplest first.
PLAIN_TYPES = [
    "text",
    "long_text",
    "url",
    "email",
    "phone_number",
    "number",
    "rating",
    "duration",
    "boolean",
    "date",
    "created_on",
    "last_modified",
    "autonumber",
    "single_select",
    "multiple_select",
    "link_row",
    "count",
]
# Field types that take filters but no sorts.
UNSORTABLE_TYPES = ["file"]
LOOKUP_TARGETS = ["text", "number", "date", "boolean", "single_select"]
SAMPLE_CELLS = {
    "text": ["Ada", "bob the builder", None],
    "long_text": ["Ada", "bob the builder", None],
    "url": ["https://a.example", "https://b.example", None],
    "email": ["a@example.com", "b@example.com", None],
    "phone_number": ["+1 555", "+2 777", None],
    "number": ["2", "7", None],
    "rating": [2, 5, 0],
    "duration": ["1:00", "2:30", None],
    "boolean": [True, False, False],
    "date": ["2024-05-01", "2023-01-02", None],
}


def field_for(filter_type) -> tuple[str, str | None]:
    """A field type (and lookup target type) the filter type supports."""
    for type_name in PLAIN_TYPES + UNSORTABLE_TYPES:
        if filter_type.is_compatible(Field(type=type_name)):
            return type_name, None
    base = getattr(filter_type, "positive", filter_type)
    for target in LOOKUP_TARGETS:
        try:
            base.inner_type(Field(type=target))
        except Exception:
            continue
        return "lookup", target
    raise AssertionError(f"no field type for {filter_type.type}")


def value_for(type_name: str, field_type: str, target: str | None, option_id: int) -> str:
    if "select" in type_name or "select" in (target or "") or "select" in field_type:
        return str(option_id)
    if type_name.startswith(("date_is", "has_date", "has_not_date")):
        return "UTC?2024-05-01?exact_date"
    if "date" in type_name:
        return "UTC?2024-05-01" if "days" not in type_name else "UTC?3"
    if type_name in ("link_row_has", "link_row_has_not"):
        return "1"
    if field_type in ("number", "rating", "duration", "count", "autonumber") or target == "number":
        return "2"
    return "a"


def make_field(user, table, make_table, field_type: str, target: str | None):
    """A field of the type on `table`, with three rows of varied values; its option id."""
    options = [{"value": "Open", "color": "blue"}, {"value": "Done", "color": "red"}]
    if field_type in ("single_select", "multiple_select"):
        field = create(user, table, field_type, "F", select_options=options)
        ids = [o["id"] for o in field_to_json(field)["select_options"]]
        cells = [ids[0], ids[1], None] if field_type == "single_select" else [[ids[0]], [], None]
        insert_rows(table, [{field.db_column: cell} for cell in cells])
        return field, ids[0]
    if field_type in ("link_row", "count", "lookup"):
        other = make_table("Other")
        link = create(user, table, "link_row", "Link", link_row_table_id=other.id)
        target_field = primary_of(other)
        option_id = 0
        if target not in (None, "text"):
            kwargs = {"select_options": options} if target == "single_select" else {}
            target_field = create(user, other, target, "Target", **kwargs)
            if target == "single_select":
                option_id = field_to_json(target_field)["select_options"][0]["id"]
        cell = option_id if target == "single_select" else SAMPLE_CELLS[target or "text"][0]
        a, b = insert_rows(other, [{target_field.db_column: cell}, {}])
        insert_rows(table, [{link.db_column: [a]}, {link.db_column: [a, b]}, {}])
        if field_type == "link_row":
            return link, option_id
        if field_type == "count":
            return create(user, table, "count", "F", through_field_id=link.id), option_id
        field = create(
            user, table, "lookup", "F", through_field_id=link.id, target_field_id=target_field.id
        )
        return field, option_id
    field = create(user, table, field_type, "F")
    cells = SAMPLE_CELLS.get(field_type)
    insert_rows(table, [{field.db_column: c} for c in cells] if cells else [{}, {}, {}])
    return field, 0


@pytest.mark.parametrize("type_name", sorted(view_filter_types.names()))
def test_every_filter_type_through_a_view_matches_the_adhoc_filter(
    user, user_client, table, make_table, type_name
):
    filter_type = view_filter_types.get(type_name)
    field_type, target = field_for(filter_type)
    field, option_id = make_field(user, table, make_table, field_type, target)
    value = value_for(type_name, field_type, target, option_id)
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], field.id, type_name, value)
    expected = ids_where(table, field, type_name, value)
    assert sorted(grid_ids(user_client, view["id"])) == expected
    # The rows list with view_id goes the same way.
    response = user_client.get(f"/api/database/rows/table/{table.id}/?view_id={view['id']}")
    assert sorted(row["id"] for row in response.json()["results"]) == expected


def test_nested_filter_groups(user_client, table, people):
    ada, bob, cy, dee = people["ids"]
    name, age = people["name"], people["age"]
    view = create_view(user_client, table)
    vid = view["id"]
    # Age > 30 AND (name contains "b" OR (name contains "d" AND age < 40))
    add_filter(user_client, vid, age.id, "higher_than", "30")
    outer = user_client.post(f"{VIEWS}/{vid}/filter-groups/", {"filter_type": "OR"}).json()
    assert outer["view"] == vid and outer["parent_group"] is None
    add_filter(user_client, vid, name.id, "contains", "b", group=outer["id"])
    inner = user_client.post(
        f"{VIEWS}/{vid}/filter-groups/", {"filter_type": "AND", "parent_group": outer["id"]}
    ).json()
    assert inner["parent_group"] == outer["id"]
    add_filter(user_client, vid, name.id, "contains", "d", group=inner["id"])
    add_filter(user_client, vid, age.id, "lower_than", "40", group=inner["id"])
    assert grid_ids(user_client, vid) == [ada]
    # The saved tree is the same tree the ad-hoc `filters` parameter takes.

    tree = view_filter_tree(View.objects.get(id=vid))
    assert ids_for_tree(table, tree) == [ada]
    user_client.patch(f"{VIEWS}/filter-group/{inner['id']}/", {"filter_type": "OR"})
    assert grid_ids(user_client, vid) == [ada, dee]
    user_client.patch(f"{VIEWS}/{vid}/", {"filter_type": "OR"})
    assert grid_ids(user_client, vid) == [ada, bob, dee]
    user_client.patch(f"{VIEWS}/{vid}/", {"filters_disabled": True})
    assert grid_ids(user_client, vid) == [ada, bob, cy, dee]
    assert user_client.delete(f"{VIEWS}/filter-group/{outer['id']}/").status_code == 204
    assert ViewFilter.objects.filter(view_id=vid).count() == 1  # the nested ones went with it


def test_filter_endpoints(user_client, table, people):
    view = create_view(user_client, table)
    created = add_filter(user_client, view["id"], people["name"].id, "contains", "d")
    assert created == {
        "id": created["id"],
        "view": view["id"],
        "field": people["name"].id,
        "type": "contains",
        "value": "d",
        "preload_values": {},
        "group": None,
    }
    listed = user_client.get(f"{VIEWS}/{view['id']}/filters/").json()
    assert listed == [created]
    url = f"{VIEWS}/filter/{created['id']}/"
    assert user_client.get(url).json() == created
    changed = user_client.patch(
        url, {"field": people["age"].id, "type": "higher_than", "value": "30"}
    )
    assert (changed.json()["type"], changed.json()["value"]) == ("higher_than", "30")
    assert grid_ids(user_client, view["id"]) == [people["ids"][0], people["ids"][3]]
    assert user_client.delete(url).status_code == 204
    response = user_client.get(url)
    assert response.status_code == 404
    assert response.json()["error"] == "ERROR_VIEW_FILTER_DOES_NOT_EXIST"
    assert user_client.patch(url, {"value": "x"}).status_code == 404
    assert user_client.delete(url).status_code == 404


def test_filter_errors(user_client, table, make_table, people):
    view = create_view(user_client, table)
    url = f"{VIEWS}/{view['id']}/filters/"

    def error(body, expected_status=400):
        response = user_client.post(url, body, format="json")
        assert response.status_code == expected_status, response.json()
        return response.json()["error"]

    name = people["name"].id
    assert error({"field": name, "type": "nope"}) == "ERROR_REQUEST_BODY_VALIDATION"
    assert (
        error({"field": name, "type": "higher_than"}) == "ERROR_VIEW_FILTER_TYPE_UNSUPPORTED_FIELD"
    )
    foreign = primary_of(make_table("Other")).id
    assert error({"field": foreign, "type": "empty"}) == "ERROR_FIELD_NOT_IN_TABLE"
    assert error({"field": 999999, "type": "empty"}, 404) == "ERROR_FIELD_DOES_NOT_EXIST"
    missing_group = {"field": name, "type": "empty", "group": 999999}
    assert error(missing_group, 404) == "ERROR_VIEW_FILTER_GROUP_DOES_NOT_EXIST"
    form = create_view(user_client, table, "form")
    response = user_client.post(f"{VIEWS}/{form['id']}/filters/", {"field": name, "type": "empty"})
    assert response.json()["error"] == "ERROR_VIEW_FILTER_NOT_SUPPORTED"
    response = user_client.post(f"{VIEWS}/{form['id']}/filter-groups/", {})
    assert response.json()["error"] == "ERROR_VIEW_FILTER_NOT_SUPPORTED"
    assert user_client.get(f"{VIEWS}/999999/filters/").status_code == 404
    group_url = f"{VIEWS}/filter-group/999999/"
    for method in ("get", "patch", "delete"):
        response = getattr(user_client, method)(group_url, {"filter_type": "OR"}, format="json")
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_VIEW_FILTER_GROUP_DOES_NOT_EXIST"
    other_view = create_view(user_client, table)
    other_group = user_client.post(f"{VIEWS}/{other_view['id']}/filter-groups/", {}).json()
    nested = {"parent_group": other_group["id"]}
    response = user_client.post(f"{VIEWS}/{view['id']}/filter-groups/", nested, format="json")
    assert response.status_code == 404
    good = add_filter(user_client, view["id"], name, "contains", "a")
    bad_change = user_client.patch(f"{VIEWS}/filter/{good['id']}/", {"type": "higher_than"})
    assert bad_change.json()["error"] == "ERROR_VIEW_FILTER_TYPE_UNSUPPORTED_FIELD"


def test_another_users_filters_and_groups(client_for, other_user, user_client, table, people):
    view = create_view(user_client, table)
    item = add_filter(user_client, view["id"], people["name"].id, "contains", "a")
    group = user_client.post(f"{VIEWS}/{view['id']}/filter-groups/", {}).json()
    stranger = client_for(other_user)
    for url in (f"{VIEWS}/filter/{item['id']}/", f"{VIEWS}/filter-group/{group['id']}/"):
        for method in ("get", "patch", "delete"):
            body = {"filter_type": "OR", "value": "x"}
            response = getattr(stranger, method)(url, body, format="json")
            assert response.status_code == 400
            assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"
    assert ViewFilter.objects.get(id=item["id"]).value == "a"


def test_filters_on_a_deleted_field_go_with_it(user, user_client, table, people):
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], people["age"].id, "higher_than", "30")
    field_delete(user=user, field=people["age"])
    assert user_client.get(f"{VIEWS}/{view['id']}/filters/").json() == []
    assert len(grid_ids(user_client, view["id"])) == 4


def test_type_change_removes_incompatible_filters_only(user, user_client, table, people):
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], people["age"].id, "higher_than", "30")
    kept = add_filter(user_client, view["id"], people["age"].id, "empty")
    field_update(user=user, field=people["age"], type="text")
    remaining = user_client.get(f"{VIEWS}/{view['id']}/filters/").json()
    assert [item["id"] for item in remaining] == [kept["id"]]
    assert grid_ids(user_client, view["id"]) == [people["ids"][2]]


def test_a_lookup_filter_must_suit_the_looked_up_field(user, user_client, table, make_table):
    field, _ = make_field(user, table, make_table, "lookup", "text")
    view = create_view(user_client, table)
    body = {"field": field.id, "type": "has_value_higher", "value": "1"}
    response = user_client.post(f"{VIEWS}/{view['id']}/filters/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_VIEW_FILTER_TYPE_UNSUPPORTED_FIELD"
