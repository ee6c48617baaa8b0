"""Rows of a grid view, field options, and `view_id` on the rows list."""

import pytest

from tests.database.views.helpers import VIEWS, add_filter, add_sort, create_view, grid_ids


@pytest.fixture
def older(user_client, table, people):
    """A grid view of people older than 25, oldest first."""
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], people["age"].id, "higher_than", "25")
    add_sort(user_client, view["id"], people["age"].id, "DESC")
    return view


def test_grid_rows_apply_filters_and_sorts(user_client, older, people):
    ada, _, _, dee = people["ids"]
    response = user_client.get(f"{VIEWS}/grid/{older['id']}/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    assert [row["id"] for row in data["results"]] == [dee, ada]
    name, age = people["name"].db_column, people["age"].db_column
    assert data["results"][0][name] == "Dee" and data["results"][0][age] == "50"
    assert set(data["results"][0]) == {"id", "order", name, age}


def test_grid_query_parameters(user_client, older, people):
    ada, _, _, dee = people["ids"]
    vid = older["id"]
    name, age = people["name"], people["age"]
    assert grid_ids(user_client, vid, "search=ada") == [ada]
    extra = f"filter__field_{name.id}__contains=e"
    assert grid_ids(user_client, vid, extra) == [dee]
    assert grid_ids(user_client, vid, f"order_by=field_{name.id}") == [ada, dee]
    limited = user_client.get(f"{VIEWS}/grid/{vid}/?limit=1&offset=1").json()
    assert [r["id"] for r in limited["results"]] == [ada]
    assert limited["count"] == 2 and limited["next"] is None and limited["previous"]
    first = user_client.get(f"{VIEWS}/grid/{vid}/?limit=1").json()
    assert "offset=1" in first["next"] and first["previous"] is None
    paged = user_client.get(f"{VIEWS}/grid/{vid}/?size=1&page=2").json()
    assert [r["id"] for r in paged["results"]] == [ada]
    big = user_client.get(f"{VIEWS}/grid/{vid}/?size=5000")
    assert big.status_code == 200  # no page size limit on grid views
    assert user_client.get(f"{VIEWS}/grid/{vid}/?count").json() == {"count": 2}
    no_count = user_client.get(f"{VIEWS}/grid/{vid}/?exclude_count").json()
    assert set(no_count) == {"results"}
    only = user_client.get(f"{VIEWS}/grid/{vid}/?include_fields=field_{age.id}").json()
    assert set(only["results"][0]) == {"id", "order", age.db_column}
    without = user_client.get(f"{VIEWS}/grid/{vid}/?exclude_fields=field_{age.id}").json()
    assert set(without["results"][0]) == {"id", "order", name.db_column}
    with_options = user_client.get(f"{VIEWS}/grid/{vid}/?include=field_options").json()
    assert set(with_options["field_options"]) == {str(name.id), str(age.id)}
    assert with_options["field_options"][str(age.id)]["width"] == 200


def test_grid_query_errors(user_client, older, table, people):
    vid = older["id"]
    cases = [
        ("order_by=field_999999", "ERROR_ORDER_BY_FIELD_NOT_FOUND"),
        ("filter__field_999999__equal=1", "ERROR_FILTER_FIELD_NOT_FOUND"),
        (f"filter__field_{people['age'].id}__nope=1", "ERROR_VIEW_FILTER_TYPE_DOES_NOT_EXIST"),
        (
            f"filter__field_{people['age'].id}__contains_word=1",
            "ERROR_VIEW_FILTER_TYPE_UNSUPPORTED_FIELD",
        ),
        ("filters={bad", "ERROR_FILTERS_PARAM_VALIDATION_ERROR"),
    ]
    for query, code in cases:
        response = user_client.get(f"{VIEWS}/grid/{vid}/?{query}")
        assert response.status_code == 400, query
        assert response.json()["error"] == code, query
    form = create_view(user_client, table, "form")
    for view_id in (form["id"], 999999):
        response = user_client.get(f"{VIEWS}/grid/{view_id}/")
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_GRID_DOES_NOT_EXIST"


def test_grid_rows_by_id(user_client, older, people):
    ada, bob, _, dee = people["ids"]
    body = {"row_ids": [ada, bob, dee], "field_ids": [people["name"].id]}
    response = user_client.post(f"{VIEWS}/grid/{older['id']}/", body, format="json")
    assert response.status_code == 200
    rows = response.json()
    assert [row["id"] for row in rows] == [dee, ada]  # Bob is filtered out
    assert set(rows[0]) == {"id", "order", people["name"].db_column}
    bad = user_client.post(f"{VIEWS}/grid/{older['id']}/", {"row_ids": "x"}, format="json")
    assert bad.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_rows_list_with_view_id(user_client, table, older, people, make_table):
    ada, _, _, dee = people["ids"]
    url = f"/api/database/rows/table/{table.id}/"
    assert [r["id"] for r in user_client.get(f"{url}?view_id={older['id']}").json()["results"]] == [
        dee,
        ada,
    ]
    extra = user_client.get(f"{url}?view_id={older['id']}&search=dee").json()
    assert [r["id"] for r in extra["results"]] == [dee] and extra["count"] == 1
    foreign = create_view(user_client, make_table("Other"))
    for view_id in (foreign["id"], 999999, 10**20):
        response = user_client.get(f"{url}?view_id={view_id}")
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_VIEW_DOES_NOT_EXIST"
    # Not a number: the query's validation error, as Baserow's rows list gives it.
    response = user_client.get(f"{url}?view_id=abc")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_QUERY_PARAMETER_VALIDATION",
        "detail": {"view_id": [{"error": "A valid integer is required.", "code": "invalid"}]},
    }


def test_field_options(user_client, table, people):
    view = create_view(user_client, table)
    url = f"{VIEWS}/{view['id']}/field-options/"
    options = user_client.get(url).json()["field_options"]
    assert options[str(people["age"].id)] == {
        "width": 200,
        "hidden": False,
        "order": 32767,
        "aggregation_type": "",
        "aggregation_raw_type": "",
    }
    body = {"field_options": {str(people["age"].id): {"width": 90, "hidden": True}}}
    changed = user_client.patch(url, body, format="json").json()["field_options"]
    assert changed[str(people["age"].id)]["width"] == 90
    assert changed[str(people["age"].id)]["hidden"] is True
    assert changed[str(people["name"].id)]["width"] == 200
    unrelated = {"field_options": {"999999": {"width": 1}}}
    response = user_client.patch(url, unrelated, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_UNRELATED_FIELD"
    invalid = {"field_options": {str(people["age"].id): {"width": "wide"}}}
    assert user_client.patch(url, invalid, format="json").json()["error"] == (
        "ERROR_REQUEST_BODY_VALIDATION"
    )
    assert user_client.get(f"{VIEWS}/999999/field-options/").status_code == 404


def test_form_and_gallery_field_options(user_client, table, people):
    form = create_view(user_client, table, "form")
    options = user_client.get(f"{VIEWS}/{form['id']}/field-options/").json()["field_options"]
    assert options[str(people["age"].id)] == {
        "name": "",
        "description": "",
        "enabled": False,
        "required": True,
        "show_when_matching_conditions": False,
        "condition_type": "AND",
        "order": 32767,
        "conditions": [],
        "condition_groups": [],
        "field_component": "default",
        "include_all_select_options": True,
        "allowed_select_options": [],
    }
    gallery = create_view(user_client, table, "gallery")
    options = user_client.get(f"{VIEWS}/{gallery['id']}/field-options/").json()["field_options"]
    assert options[str(people["name"].id)] == {"hidden": False, "order": 32767}
    assert options[str(people["age"].id)] == {"hidden": True, "order": 32767}


def test_nul_characters_in_queries_are_refused(user_client, older, people):
    name = people["name"]
    for query in ("search=a%00da", f"filter__field_{name.id}__contains=d%00e"):
        response = user_client.get(f"{VIEWS}/grid/{older['id']}/?{query}")
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"
