"""Public views: info, password auth, grid rows and form submission leak nothing else."""

import json

import pytest
from rest_framework.test import APIClient

from tests.database.filters.helpers import create
from tests.database.helpers import insert_rows, primary_of, read_rows
from tests.database.views.helpers import VIEWS, add_filter, add_sort, create_view
from users.tokens import token_pair_for_user


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def shared(user, user_client, table):
    """A public grid of people older than 25 that hides their secret; a private twin."""
    name = primary_of(table)
    age = create(user, table, "number", "Age")
    secret = create(user, table, "text", "Secret")
    ids = insert_rows(
        table,
        [
            {name.db_column: "Ada", age.db_column: "36", secret.db_column: "ada-pin"},
            {name.db_column: "Bob", age.db_column: "20", secret.db_column: "bob-pin"},
            {name.db_column: "Dee", age.db_column: "50", secret.db_column: "dee-pin"},
        ],
    )
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], age.id, "higher_than", "25")
    add_sort(user_client, view["id"], age.id, "DESC")
    add_sort(user_client, view["id"], secret.id, "ASC")
    hide = {"field_options": {str(secret.id): {"hidden": True}}}
    user_client.patch(f"{VIEWS}/{view['id']}/field-options/", hide, format="json")
    view = user_client.patch(f"{VIEWS}/{view['id']}/", {"public": True}, format="json").json()
    private = create_view(user_client, table)
    return {
        "view": view,
        "private": private,
        "name": name,
        "age": age,
        "secret": secret,
        "ids": ids,
    }


def rows_url(slug: str, query: str = "") -> str:
    return f"{VIEWS}/grid/{slug}/public/rows/?{query}"


def test_public_info_shows_only_visible_fields_and_no_workspace(anonymous, shared, table):
    slug = shared["view"]["slug"]
    response = anonymous.get(f"{VIEWS}/{slug}/public/info/")
    assert response.status_code == 200
    data = response.json()
    assert [f["id"] for f in data["fields"]] == [shared["name"].id, shared["age"].id]
    assert all(f["table_id"] == 0 and f["database_id"] == 0 for f in data["fields"])
    assert all(f["workspace_id"] == 0 for f in data["fields"])
    view = data["view"]
    assert view["id"] == slug and view["table"] == {"id": 0, "database_id": 0}
    assert [s["field"] for s in view["sortings"]] == [shared["age"].id]  # not the hidden one
    text = json.dumps(data)
    assert "Secret" not in text and "pin" not in text
    assert f'"table_id": {table.id}' not in text and "workspace" not in json.dumps(view)


def test_public_rows_only_visible_fields_and_filtered_rows(anonymous, shared):
    ada, _, dee = shared["ids"]
    response = anonymous.get(rows_url(shared["view"]["slug"]))
    assert response.status_code == 200
    data = response.json()
    assert [row["id"] for row in data["results"]] == [dee, ada]
    assert data["count"] == 2
    keys = {"id", "order", shared["name"].db_column, shared["age"].db_column}
    assert all(set(row) == keys for row in data["results"])
    assert "pin" not in json.dumps(data)


def test_public_rows_query_cannot_reach_hidden_fields(anonymous, shared):
    slug, secret, name = shared["view"]["slug"], shared["secret"], shared["name"]
    ada, _, dee = shared["ids"]
    # Searching a hidden cell finds nothing; searching a visible one works.
    assert anonymous.get(rows_url(slug, "search=ada-pin")).json()["results"] == []
    assert [r["id"] for r in anonymous.get(rows_url(slug, "search=dee")).json()["results"]] == [dee]
    hidden_filter = anonymous.get(rows_url(slug, f"filter__field_{secret.id}__contains=pin"))
    assert hidden_filter.status_code == 400
    assert hidden_filter.json()["error"] == "ERROR_FILTER_FIELD_NOT_FOUND"
    hidden = [{"field": secret.id, "type": "empty", "value": ""}]
    tree = json.dumps({"filter_type": "AND", "filters": hidden})
    hidden_tree = anonymous.get(rows_url(slug, f"filters={tree}"))
    assert hidden_tree.status_code == 400
    assert hidden_tree.json()["error"] == "ERROR_FILTER_FIELD_NOT_FOUND"
    hidden_order = anonymous.get(rows_url(slug, f"order_by=field_{secret.id}"))
    assert hidden_order.json()["error"] == "ERROR_ORDER_BY_FIELD_NOT_FOUND"
    # Including only a field the public cannot see includes nothing: every visible field.
    include_hidden = anonymous.get(rows_url(slug, f"include_fields=field_{secret.id}")).json()
    assert all(
        secret.db_column not in row and name.db_column in row for row in include_hidden["results"]
    )
    visible = anonymous.get(rows_url(slug, f"filter__field_{name.id}__contains=a"))
    assert [r["id"] for r in visible.json()["results"]] == [ada]
    limited = anonymous.get(rows_url(slug, "limit=1&offset=1")).json()
    assert [r["id"] for r in limited["results"]] == [ada]
    assert anonymous.get(rows_url(slug, "count")).json() == {"count": 2}


def test_private_and_unknown_views_are_not_reachable(anonymous, shared, user_client):
    private = shared["private"]
    for slug in (private["slug"], "no-such-slug"):
        for url in (f"{VIEWS}/{slug}/public/info/", rows_url(slug)):
            response = anonymous.get(url)
            assert response.status_code == 404, url
            assert response.json()["error"] == "ERROR_VIEW_DOES_NOT_EXIST"
    # The old slug stops working once rotated.
    old = shared["view"]["slug"]
    user_client.post(f"{VIEWS}/{shared['view']['id']}/rotate-slug/")
    assert anonymous.get(f"{VIEWS}/{old}/public/info/").status_code == 404
    # A public view's id is not a slug, and the authenticated endpoints need a JWT.
    assert anonymous.get(f"{VIEWS}/{shared['view']['id']}/").status_code == 401
    assert anonymous.get(f"{VIEWS}/grid/{shared['view']['id']}/").status_code == 401


def test_a_public_form_slug_does_not_list_rows(anonymous, user_client, table, shared):
    form = create_view(user_client, table, "form")
    form = user_client.patch(f"{VIEWS}/{form['id']}/", {"public": True}, format="json").json()
    response = anonymous.get(rows_url(form["slug"]))
    assert response.status_code == 404


def test_password_protected_view(anonymous, user, user_client, shared):
    view, slug = shared["view"], shared["view"]["slug"]
    user_client.patch(
        f"{VIEWS}/{view['id']}/", {"public_view_password": "open sesame"}, format="json"
    )
    for url in (f"{VIEWS}/{slug}/public/info/", rows_url(slug)):
        response = anonymous.get(url)
        assert response.status_code == 401
        assert response.json()["error"] == "ERROR_NO_AUTHORIZATION_TO_PUBLICLY_SHARED_VIEW"
    wrong = anonymous.post(f"{VIEWS}/{slug}/public/auth/", {"password": "guess"}, format="json")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "ERROR_NO_AUTHORIZATION_TO_PUBLICLY_SHARED_VIEW"
    assert anonymous.post(f"{VIEWS}/{slug}/public/auth/", {}, format="json").status_code == 400
    right = anonymous.post(
        f"{VIEWS}/{slug}/public/auth/", {"password": "open sesame"}, format="json"
    )
    assert right.status_code == 200
    token = right.json()["access_token"]
    anonymous.credentials(HTTP_BASEROW_VIEW_AUTHORIZATION=f"JWT {token}")
    assert anonymous.get(f"{VIEWS}/{slug}/public/info/").status_code == 200
    assert anonymous.get(rows_url(slug)).status_code == 200
    # The token is bound to the view and its password.
    private = shared["private"]
    user_client.patch(f"{VIEWS}/{private['id']}/", {"public": True}, format="json")
    other = APIClient()
    other.credentials(HTTP_BASEROW_VIEW_AUTHORIZATION="JWT garbage")
    assert other.get(f"{VIEWS}/{slug}/public/info/").status_code == 401
    user_client.patch(
        f"{VIEWS}/{view['id']}/", {"public_view_password": "new password!"}, format="json"
    )
    assert anonymous.get(f"{VIEWS}/{slug}/public/info/").status_code == 401
    # A user's JWT is not a view token either.
    access, _ = token_pair_for_user(user)
    user_token = APIClient()
    user_token.credentials(HTTP_BASEROW_VIEW_AUTHORIZATION=f"JWT {access}")
    assert user_token.get(f"{VIEWS}/{slug}/public/info/").status_code == 401


def test_auth_on_a_view_without_password_is_refused(anonymous, shared):
    slug = shared["view"]["slug"]
    response = anonymous.post(f"{VIEWS}/{slug}/public/auth/", {"password": "x"}, format="json")
    assert response.status_code == 401


@pytest.fixture
def form(user_client, table, shared):
    """A public form asking for the name (required) and age (optional); secret disabled."""
    view = create_view(user_client, table, "form", title="Join", submit_action_message="Thanks")
    options = {
        str(shared["name"].id): {"enabled": True, "required": True, "name": "Your name"},
        str(shared["age"].id): {"enabled": True, "required": False},
    }
    url = f"{VIEWS}/{view['id']}/field-options/"
    user_client.patch(url, {"field_options": options}, format="json")
    return user_client.patch(f"{VIEWS}/{view['id']}/", {"public": True}, format="json").json()


def test_public_form_info(anonymous, form, shared):
    response = anonymous.get(f"{VIEWS}/form/{form['slug']}/submit/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Join"
    assert [(f["name"], f["required"]) for f in data["fields"]] == [
        ("Your name", True),
        ("Age", False),
    ]
    assert all(f["field"]["table_id"] == 0 for f in data["fields"])
    assert "Secret" not in json.dumps(data)


def test_public_form_submit_creates_one_row_with_enabled_fields(anonymous, form, shared, table):
    name, age, secret = shared["name"], shared["age"], shared["secret"]
    before = len(read_rows(table))
    body = {name.db_column: "Eve", age.db_column: "41", secret.db_column: "injected"}
    response = anonymous.post(f"{VIEWS}/form/{form['slug']}/submit/", body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["submit_action"] == "MESSAGE" and data["submit_action_message"] == "Thanks"
    rows = read_rows(table)
    assert len(rows) == before + 1
    created = next(row for row in rows if row["id"] == data["row_id"])
    assert created[name.db_column] == "Eve" and created[age.db_column] == "41"
    assert created[secret.db_column] is None  # not enabled in the form


def test_public_form_validation(anonymous, form, shared, table):
    before = len(read_rows(table))
    url = f"{VIEWS}/form/{form['slug']}/submit/"
    response = anonymous.post(url, {shared["age"].db_column: "3"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert shared["name"].db_column in response.json()["detail"]
    bad = {shared["name"].db_column: "Eve", shared["age"].db_column: "not a number"}
    response = anonymous.post(url, bad, format="json")
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert anonymous.post(url, [1], format="json").status_code == 400
    assert len(read_rows(table)) == before


def test_private_forms_and_grids_cannot_be_submitted(anonymous, user_client, table, shared):
    private_form = create_view(user_client, table, "form")
    for slug in (private_form["slug"], shared["view"]["slug"], "nope"):
        response = anonymous.post(f"{VIEWS}/form/{slug}/submit/", {}, format="json")
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_FORM_DOES_NOT_EXIST"


def test_password_protected_form(anonymous, user_client, form):
    user_client.patch(
        f"{VIEWS}/{form['id']}/", {"public_view_password": "form pass"}, format="json"
    )
    url = f"{VIEWS}/form/{form['slug']}/submit/"
    assert anonymous.get(url).status_code == 401
    assert anonymous.post(url, {}, format="json").status_code == 401
    token = anonymous.post(
        f"{VIEWS}/{form['slug']}/public/auth/", {"password": "form pass"}, format="json"
    ).json()["access_token"]
    anonymous.credentials(HTTP_BASEROW_VIEW_AUTHORIZATION=f"JWT {token}")
    assert anonymous.get(url).status_code == 200


def test_odd_query_values_are_clear_errors_or_empty(anonymous, shared):
    slug = shared["view"]["slug"]
    for query in ("search=%00", "filters=%7B%7D", "limit=abc&offset=-3", "page=0&size=-1"):
        response = anonymous.get(rows_url(slug, query))
        assert response.status_code < 500, query
