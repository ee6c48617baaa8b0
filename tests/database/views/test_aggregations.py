"""Footer aggregations of grid views, over the rows the view's filters keep."""

import pytest

from database.views.aggregations import aggregation_types
from tests.database.filters.helpers import create
from tests.database.helpers import insert_rows, primary_of
from tests.database.views.helpers import VIEWS, add_filter, create_view


@pytest.fixture
def scores(user, user_client, table):
    """Scores 2, 4, 4, 10 and an empty one; the view hides the row named "out" (score 100)."""
    name = primary_of(table)
    score = create(user, table, "number", "Score")
    done = create(user, table, "boolean", "Done")
    rows = [("a", "2", True), ("b", "4", False), ("c", "4", True), ("d", "10", False)]
    insert_rows(
        table,
        [{name.db_column: n, score.db_column: s, done.db_column: d} for n, s, d in rows]
        + [{name.db_column: "e"}, {name.db_column: "out", score.db_column: "100"}],
    )
    view = create_view(user_client, table)
    add_filter(user_client, view["id"], name.id, "not_equal", "out")
    return {"view": view, "score": score, "done": done, "name": name}


@pytest.mark.parametrize(
    ("type_name", "field_key", "expected"),
    [
        ("empty_count", "score", 1),
        ("not_empty_count", "score", 4),
        ("empty_percentage", "score", 20.0),
        ("not_empty_percentage", "score", 80.0),
        ("unique_count", "score", 3),
        ("min", "score", 2),
        ("max", "score", 10),
        ("sum", "score", 20),
        ("average", "score", 5),
        ("variance", "score", 9),
        ("std_dev", "score", 3),
        ("checked_count", "done", 2),
        ("not_checked_count", "done", 3),
        ("empty_count", "done", 3),
        ("unique_count", "name", 5),
    ],
)
def test_aggregation(user_client, scores, type_name, field_key, expected):
    field = scores[field_key]
    url = f"{VIEWS}/grid/{scores['view']['id']}/aggregation/{field.id}/?type={type_name}"
    response = user_client.get(url)
    assert response.status_code == 200, response.json()
    assert float(response.json()["value"]) == pytest.approx(expected)


def test_every_aggregation_type_is_tested():
    tested = {case[0] for case in test_aggregation.pytestmark[0].args[1]}
    assert set(aggregation_types.names()) - tested == {"earliest_date", "latest_date"}


def test_date_aggregations(user, user_client, table):
    when = create(user, table, "date", "When")
    insert_rows(table, [{when.db_column: "2024-05-01"}, {when.db_column: "2023-01-02"}, {}])
    view = create_view(user_client, table)
    base = f"{VIEWS}/grid/{view['id']}/aggregation/{when.id}/"
    assert user_client.get(f"{base}?type=earliest_date").json() == {"value": "2023-01-02"}
    assert user_client.get(f"{base}?type=latest_date").json() == {"value": "2024-05-01"}


def test_aggregations_of_field_options(user_client, scores):
    view = scores["view"]
    options = {
        str(scores["score"].id): {"aggregation_raw_type": "sum", "aggregation_type": "sum"},
        str(scores["done"].id): {"aggregation_raw_type": "checked_count"},
    }
    url = f"{VIEWS}/{view['id']}/field-options/"
    assert user_client.patch(url, {"field_options": options}, format="json").status_code == 200
    response = user_client.get(f"{VIEWS}/grid/{view['id']}/aggregations/")
    assert response.json() == {
        f"field_{scores['score'].id}": 20,
        f"field_{scores['done'].id}": 2,
    }
    bad = {str(scores["score"].id): {"aggregation_raw_type": "nope"}}
    response = user_client.patch(url, {"field_options": bad}, format="json")
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_aggregation_errors(user_client, scores, make_table, client_for, other_user):
    view_id = scores["view"]["id"]
    base = f"{VIEWS}/grid/{view_id}/aggregation"
    cases = [
        (f"{base}/{scores['score'].id}/?type=nope", "ERROR_AGGREGATION_TYPE_DOES_NOT_EXIST"),
        (f"{base}/{scores['name'].id}/?type=sum", "ERROR_AGGREGATION_DOES_NOT_SUPPORTED_FIELD"),
        (
            f"{base}/{primary_of(make_table('Other')).id}/?type=empty_count",
            "ERROR_FIELD_NOT_IN_TABLE",
        ),
    ]
    for url, code in cases:
        response = user_client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"] == code
    missing = user_client.get(f"{VIEWS}/grid/999999/aggregations/")
    assert missing.json()["error"] == "ERROR_GRID_DOES_NOT_EXIST"
    stranger = client_for(other_user)
    for url in (f"{base}/{scores['score'].id}/?type=sum", f"{VIEWS}/grid/{view_id}/aggregations/"):
        assert stranger.get(url).json()["error"] == "ERROR_USER_NOT_IN_GROUP"
