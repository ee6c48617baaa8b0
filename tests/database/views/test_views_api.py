"""View endpoints: list, create, get, update, delete, order, duplicate, rotate-slug."""

import pytest

from database.compose.tables import table_create, table_duplicate
from database.views.models import View
from tests.database.helpers import primary_of
from tests.database.views.helpers import VIEWS, add_filter, add_sort, create_view


@pytest.fixture
def client(user_client):
    return user_client


def test_create_and_get_a_grid_view(client, table):
    view = create_view(client, table, "grid", row_height_size="medium")
    assert view["table_id"] == table.id
    assert view["type"] == "grid"
    assert view["row_height_size"] == "medium"
    assert view["row_identifier_type"] == "id"
    assert view["filter_type"] == "AND"
    assert view["public"] is False
    assert view["public_view_has_password"] is False
    assert view["ownership_type"] == "collaborative"
    assert view["table"] == {
        "id": table.id,
        "name": table.name,
        "order": table.order,
        "database_id": table.database_id,
    }
    assert len(view["slug"]) >= 32
    assert "filters" not in view
    got = client.get(f"{VIEWS}/{view['id']}/?include=filters,sortings").json()
    assert got["filters"] == [] and got["sortings"] == [] and got["filter_groups"] == []
    assert got["name"] == "My grid"


def test_create_form_and_gallery_with_their_properties(client, table):
    form = create_view(client, table, "form", title="Sign up", submit_text="Send")
    assert (form["title"], form["submit_text"], form["submit_action"]) == (
        "Sign up",
        "Send",
        "MESSAGE",
    )
    gallery = create_view(client, table, "gallery", card_cover_image_field=None)
    assert gallery["card_cover_image_field"] is None


def test_create_errors(client, table, make_table):
    url = f"{VIEWS}/table/{table.id}/"
    response = client.post(url, {"name": "x", "type": "kanban"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    response = client.post(url, {"name": "x", "type": "grid", "row_height_size": "huge"})
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    elsewhere = primary_of(make_table("Other"))
    body = {"name": "x", "type": "gallery", "card_cover_image_field": elsewhere.id}
    response = client.post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_FIELD_NOT_IN_TABLE"
    response = client.post(f"{VIEWS}/table/999999/", {"name": "x", "type": "grid"})
    assert response.status_code == 404
    assert response.json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"


def test_list_groups_by_type_then_order(client, table):
    form = create_view(client, table, "form")
    grid_b = create_view(client, table, "grid", name="B")
    gallery = create_view(client, table, "gallery")
    grid_a = create_view(client, table, "grid", name="A")
    response = client.get(f"{VIEWS}/table/{table.id}/")
    assert [v["id"] for v in response.json()] == [
        grid_b["id"],
        grid_a["id"],
        gallery["id"],
        form["id"],
    ]
    only_grids = client.get(f"{VIEWS}/table/{table.id}/?type=grid&limit=1").json()
    assert [v["id"] for v in only_grids] == [grid_b["id"]]
    with_filters = client.get(f"{VIEWS}/table/{table.id}/?include=filters").json()
    assert all(v["filters"] == [] for v in with_filters)


def test_update_view(client, table):
    view = create_view(client, table)
    body = {
        "name": "Renamed",
        "filter_type": "OR",
        "filters_disabled": True,
        "public": True,
        "row_identifier_type": "count",
        "show_logo": False,
    }
    response = client.patch(f"{VIEWS}/{view['id']}/", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Renamed" and data["filter_type"] == "OR"
    assert data["filters_disabled"] is True and data["public"] is True
    assert data["row_identifier_type"] == "count" and data["show_logo"] is False
    assert data["row_height_size"] == "small"  # kept
    bad = client.patch(f"{VIEWS}/{view['id']}/", {"filter_type": "XOR"}, format="json")
    assert bad.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    short = client.patch(f"{VIEWS}/{view['id']}/", {"public_view_password": "short"})
    assert short.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_password_is_stored_as_a_hash(client, table):
    view = create_view(client, table)
    response = client.patch(
        f"{VIEWS}/{view['id']}/", {"public_view_password": "secret-password"}, format="json"
    )
    assert response.json()["public_view_has_password"] is True
    stored = View.objects.get(id=view["id"]).public_view_password
    assert stored and "secret-password" not in stored
    response = client.patch(f"{VIEWS}/{view['id']}/", {"public_view_password": ""}, format="json")
    assert response.json()["public_view_has_password"] is False


def test_delete_view(client, table):
    view = create_view(client, table)
    assert client.delete(f"{VIEWS}/{view['id']}/").status_code == 204
    response = client.get(f"{VIEWS}/{view['id']}/")
    assert response.status_code == 404
    assert response.json() == {
        "error": "ERROR_VIEW_DOES_NOT_EXIST",
        "detail": "The requested view does not exist.",
    }
    assert client.delete(f"{VIEWS}/{view['id']}/").status_code == 404


def test_order_views(client, table, make_table):
    first, second = create_view(client, table), create_view(client, table)
    url = f"{VIEWS}/table/{table.id}/order/"
    response = client.post(url, {"view_ids": [second["id"], first["id"]]}, format="json")
    assert response.status_code == 204
    assert [v["id"] for v in client.get(f"{VIEWS}/table/{table.id}/").json()] == [
        second["id"],
        first["id"],
    ]
    foreign = create_view(client, make_table("Other"))
    response = client.post(url, {"view_ids": [foreign["id"]]}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_VIEW_NOT_IN_TABLE"
    bad = client.post(url, {"view_ids": "x"}, format="json")
    assert bad.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_duplicate_copies_filters_sorts_and_field_options(client, table):
    name = primary_of(table)
    view = create_view(client, table)
    group = client.post(f"{VIEWS}/{view['id']}/filter-groups/", {"filter_type": "OR"}).json()
    add_filter(client, view["id"], name.id, "contains", "a", group=group["id"])
    add_sort(client, view["id"], name.id, "DESC")
    options = {"field_options": {str(name.id): {"width": 321}}}
    client.patch(f"{VIEWS}/{view['id']}/field-options/", options, format="json")
    after = create_view(client, table)

    response = client.post(f"{VIEWS}/{view['id']}/duplicate/")
    assert response.status_code == 200
    copy = response.json()
    assert copy["name"] == "My grid 2" and copy["id"] != view["id"]
    assert [(f["field"], f["type"], f["value"]) for f in copy["filters"]] == [
        (name.id, "contains", "a")
    ]
    assert copy["filters"][0]["group"] == copy["filter_groups"][0]["id"] != group["id"]
    assert [(s["field"], s["order"]) for s in copy["sortings"]] == [(name.id, "DESC")]
    copied = client.get(f"{VIEWS}/{copy['id']}/field-options/").json()["field_options"]
    assert copied[str(name.id)]["width"] == 321
    order = [v["id"] for v in client.get(f"{VIEWS}/table/{table.id}/").json()]
    assert order == [view["id"], copy["id"], after["id"]]


def test_rotate_slug(client, table):
    view = create_view(client, table)
    response = client.post(f"{VIEWS}/{view['id']}/rotate-slug/")
    assert response.status_code == 200
    assert response.json()["slug"] != view["slug"]
    assert client.post(f"{VIEWS}/999999/rotate-slug/").status_code == 404


def test_another_users_view_is_refused(client_for, other_user, table, user_client):
    view = create_view(user_client, table)
    name = primary_of(table)
    add_filter(user_client, view["id"], name.id, "contains", "a")
    add_sort(user_client, view["id"], name.id)
    stranger = client_for(other_user)
    requests = [
        ("get", f"{VIEWS}/table/{table.id}/", None),
        ("post", f"{VIEWS}/table/{table.id}/", {"name": "x", "type": "grid"}),
        ("post", f"{VIEWS}/table/{table.id}/order/", {"view_ids": [view["id"]]}),
        ("get", f"{VIEWS}/{view['id']}/", None),
        ("patch", f"{VIEWS}/{view['id']}/", {"name": "mine"}),
        ("delete", f"{VIEWS}/{view['id']}/", None),
        ("post", f"{VIEWS}/{view['id']}/duplicate/", None),
        ("post", f"{VIEWS}/{view['id']}/rotate-slug/", None),
        ("get", f"{VIEWS}/{view['id']}/field-options/", None),
        ("patch", f"{VIEWS}/{view['id']}/field-options/", {"field_options": {}}),
        ("get", f"{VIEWS}/{view['id']}/filters/", None),
        ("post", f"{VIEWS}/{view['id']}/filters/", {"field": name.id, "type": "empty"}),
        ("post", f"{VIEWS}/{view['id']}/filter-groups/", {}),
        ("get", f"{VIEWS}/{view['id']}/sortings/", None),
        ("post", f"{VIEWS}/{view['id']}/sortings/", {"field": name.id}),
        ("get", f"{VIEWS}/{view['id']}/group_bys/", None),
        ("post", f"{VIEWS}/{view['id']}/group_bys/", {"field": name.id}),
        ("get", f"{VIEWS}/grid/{view['id']}/", None),
        ("post", f"{VIEWS}/grid/{view['id']}/", {"row_ids": [1]}),
    ]
    for method, url, body in requests:
        response = getattr(stranger, method)(url, body, format="json")
        assert response.status_code == 400, (method, url, response.status_code)
        assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP", (method, url)
    assert View.objects.get(id=view["id"]).name == "My grid"


def test_views_require_a_jwt(api_client, table, user_client):
    view = create_view(user_client, table)
    response = api_client.get(f"{VIEWS}/{view['id']}/")
    assert response.status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token abc")
    assert api_client.get(f"{VIEWS}/{view['id']}/").status_code == 401


def test_new_tables_start_with_a_grid_view(user, database_app):
    table = table_create(user=user, database_id=database_app.id, name="Fresh")
    assert [(v.name, v.type) for v in View.objects.filter(table=table)] == [("Grid", "grid")]


def test_example_database_tables_have_a_grid_view(user):
    views = View.objects.filter(table__database__workspace__memberships__user=user)
    assert {v.table.name for v in views} >= {"Customers", "Projects"}
    assert {v.name for v in views} == {"Grid"}


def test_table_duplication_copies_views(user, user_client, table):
    name = primary_of(table)
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], name.id, "contains", "a")
    add_sort(user_client, view["id"], name.id, "DESC")
    copy = table_duplicate(user=user, table_id=table.id)
    copied = View.objects.get(table=copy)
    copy_name = primary_of(copy)
    assert copied.name == "My grid"
    assert [(f.field_id, f.type, f.value) for f in copied.filters.all()] == [
        (copy_name.id, "contains", "a")
    ]
    assert [(s.field_id, s.order) for s in copied.sortings.all()] == [(copy_name.id, "DESC")]


def test_unknown_tables_and_views_give_404(client):
    table_urls = [
        ("get", f"{VIEWS}/table/999999/", None),
        ("post", f"{VIEWS}/table/999999/order/", {"view_ids": [1]}),
    ]
    for method, url, body in table_urls:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, url
        assert response.json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"
    view_urls = [
        ("patch", f"{VIEWS}/999999/", {"name": "x"}),
        ("post", f"{VIEWS}/999999/duplicate/", None),
        ("get", f"{VIEWS}/999999/field-options/", None),
        ("patch", f"{VIEWS}/999999/field-options/", {"field_options": {}}),
        ("get", f"{VIEWS}/999999/filters/", None),
        ("post", f"{VIEWS}/999999/filters/", {"field": 1, "type": "empty"}),
        ("post", f"{VIEWS}/999999/filter-groups/", {}),
        ("get", f"{VIEWS}/999999/sortings/", None),
        ("post", f"{VIEWS}/999999/sortings/", {"field": 1}),
        ("get", f"{VIEWS}/999999/group_bys/", None),
        ("post", f"{VIEWS}/999999/group_bys/", {"field": 1}),
    ]
    for method, url, body in view_urls:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, url
        assert response.json()["error"] == "ERROR_VIEW_DOES_NOT_EXIST"
    response = client.post(f"{VIEWS}/grid/999999/", {"row_ids": [1]}, format="json")
    assert response.json()["error"] == "ERROR_GRID_DOES_NOT_EXIST"
