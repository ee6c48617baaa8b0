"""Sharing a view as it is created, and the caps on filters per view and options per field."""

from tests.database.helpers import primary_of
from tests.database.views.helpers import VIEWS, add_filter, create_view

FIELDS = "/api/database/fields"


def test_a_view_created_public_is_public(user_client, api_client, table):
    view = create_view(user_client, table, public=True)
    assert view["public"] is True
    assert api_client.get(f"{VIEWS}/{view['slug']}/public/info/").status_code == 200
    assert create_view(user_client, table)["public"] is False


def test_a_non_boolean_public_flag_is_refused(user_client, table):
    body = {"name": "V", "type": "grid", "public": "sometimes"}
    response = user_client.post(f"{VIEWS}/table/{table.id}/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]["public"][0]["code"] == "invalid"


def test_an_outsider_cannot_create_a_public_view_in_another_workspace(client_for, make_user, table):
    outsider = client_for(make_user())
    body = {"name": "V", "type": "grid", "public": True}
    response = outsider.post(f"{VIEWS}/table/{table.id}/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"


def test_filters_per_view_are_capped(user_client, table, settings):
    settings.MAX_VIEW_FILTERS = 3
    view = create_view(user_client, table)
    name = primary_of(table)
    for n in range(3):
        add_filter(user_client, view["id"], name.id, "contains", f"x{n}")
    body = {"field": name.id, "type": "contains", "value": "y"}
    response = user_client.post(f"{VIEWS}/{view['id']}/filters/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_MAX_VIEW_FILTERS_EXCEEDED",
        "detail": "A view can have at most 3 filters and 3 filter groups.",
    }
    # Another view has room of its own.
    add_filter(user_client, create_view(user_client, table)["id"], name.id, "contains", "x")


def test_filter_groups_per_view_are_capped(user_client, table, settings):
    settings.MAX_VIEW_FILTERS = 2
    view = create_view(user_client, table)
    url = f"{VIEWS}/{view['id']}/filter-groups/"
    for _ in range(2):
        assert user_client.post(url, {"filter_type": "OR"}, format="json").status_code == 200
    response = user_client.post(url, {"filter_type": "OR"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_MAX_VIEW_FILTERS_EXCEEDED"


def test_options_per_select_field_are_capped(user_client, table, settings):
    settings.MAX_SELECT_OPTIONS = 5
    options = [{"value": f"o{n}", "color": "blue"} for n in range(6)]
    for field_type in ("single_select", "multiple_select"):
        body = {"name": field_type, "type": field_type, "select_options": options}
        response = user_client.post(f"{FIELDS}/table/{table.id}/", body, format="json")
        assert response.status_code == 400
        detail = response.json()["detail"]
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
        assert detail["select_options"][0]["code"] == "max_length"
        body["select_options"] = options[:5]
        response = user_client.post(f"{FIELDS}/table/{table.id}/", body, format="json")
        assert response.status_code == 200
        update = {"select_options": options}
        response = user_client.patch(f"{FIELDS}/{response.json()['id']}/", update, format="json")
        assert response.status_code == 400
