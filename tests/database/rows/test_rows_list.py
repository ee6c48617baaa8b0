"""GET /api/database/rows/table/{id}/: pagination, search, order_by, include/exclude, cost."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from database.fields.models import SelectOption
from database.fields.types import select
from tests.database.helpers import insert_rows
from tests.database.rows.conftest import add, list_url


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_list_pages_with_absolute_links(client, table, five):
    url = list_url(table.id)
    first = client.get(url, {"size": 2}).json()
    assert first["count"] == 5
    assert [row["id"] for row in first["results"]] == five[:2]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/database/rows/table/")
    assert "page=2" in first["next"] and "size=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == five[2:4]
    assert "page=1" in second["previous"]
    last = client.get(second["next"]).json()
    assert [row["id"] for row in last["results"]] == five[4:]
    assert last["next"] is None


def test_list_defaults_and_odd_pages(client, table, five):
    url = list_url(table.id)
    body = client.get(url).json()
    assert body == {**body, "count": 5, "next": None, "previous": None}
    assert ids_of(client.get(url, {"page": "abc"})) == five
    assert ids_of(client.get(url, {"page": "0"})) == five
    past = client.get(url, {"page": 9, "size": 2}).json()
    assert past["results"] == []
    assert past["count"] == 5


def test_list_size_limit(client, table):
    response = client.get(list_url(table.id), {"size": 201})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_PAGE_SIZE_LIMIT",
        "detail": "The page size is limited to 200.",
    }
    assert client.get(list_url(table.id), {"size": 200}).status_code == 200


def test_list_exclude_count(client, table, five):
    body = client.get(list_url(table.id), {"exclude_count": "true", "size": 2}).json()
    assert list(body) == ["results"]
    assert len(body["results"]) == 2


def test_search_is_case_insensitive_across_fields(client, table, projects, people, five):
    url = list_url(table.id)
    assert ids_of(client.get(url, {"search": "AL"})) == [five[1]]
    assert ids_of(client.get(url, {"search": "36"})) == [five[0], five[4]]
    (project,) = insert_rows(projects, [{people.project_name.db_column: "Zeppelin"}])
    (linked,) = insert_rows(
        table,
        [
            {
                people.link.db_column: [project],
                people.status.db_column: people.closed.id,
                people.tags.db_column: [people.tag_open.id],
            }
        ],
    )
    assert ids_of(client.get(url, {"search": "zepp"})) == [linked]
    assert ids_of(client.get(url, {"search": "clos"})) == [linked]
    assert ids_of(client.get(url, {"search": "pen"})) == [linked]
    assert client.get(url, {"search": "nothing-like-this"}).json()["count"] == 0


def test_search_modes_of_baserow_are_accepted(client, table, five):
    a, b, c, _d, e = five
    for mode in ("full-text-with-count", "compat", ""):  # empty: the default, as in Baserow
        response = client.get(list_url(table.id), {"search": "A", "search_mode": mode})
        assert ids_of(response) == [a, b, c, e]
    for mode in ("fuzzy", "COMPAT"):
        response = client.get(list_url(table.id), {"search": "a", "search_mode": mode})
        assert response.status_code == 400
        assert response.json() == {
            "error": "ERROR_QUERY_PARAMETER_VALIDATION",
            "detail": {
                "search_mode": [
                    {"error": f'"{mode}" is not a valid choice.', "code": "invalid_choice"}
                ]
            },
        }
    # Checked before the table, as Baserow validates the query string first.
    assert client.get(list_url(999999), {"search_mode": "fuzzy"}).status_code == 400


def test_search_skips_number_columns_a_term_cannot_match(client, table, people, five):
    """A term with a letter cannot be in a number's text: the number column is not scanned."""
    url = list_url(table.id)
    age_searched = re.compile(rf'"{people.age.db_column}"(::text\))? LIKE')
    with CaptureQueriesContext(connection) as queries:
        assert ids_of(client.get(url, {"search": "a"})) == [five[0], five[1], five[2], five[4]]
    assert not any(age_searched.search(q["sql"]) for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        assert ids_of(client.get(url, {"search": "-4"})) == []
    assert any(age_searched.search(q["sql"]) for q in queries.captured_queries)
    assert ids_of(client.get(url, {"search": "8"})) == [five[2]]


def test_nul_characters_in_search_and_filters_are_refused(client, table, people, five):
    """PostgreSQL text cannot hold NUL: a query parameter holding one is a clear 400."""
    url = list_url(table.id)
    name = people.name.db_column
    for params in ({"search": "A\x00L"}, {f"filter__{name}__contains": "gr\x00ace"}):
        response = client.get(url, params)
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"


def test_order_by_field_references_and_direction(client, table, people, five):
    url = list_url(table.id)
    age = people.age
    assert ids_of(client.get(url, {"order_by": f"-field_{age.id}"})) == [
        five[2],
        five[1],
        five[0],
        five[4],
        five[3],
    ]
    assert ids_of(client.get(url, {"order_by": f"+{age.id}"})) == [
        five[3],
        five[0],
        five[4],
        five[1],
        five[2],
    ]
    by_name = client.get(url, {"order_by": "-Age,Name", "user_field_names": "true"})
    assert ids_of(by_name) == [five[2], five[1], five[0], five[4], five[3]]


def test_order_by_quoted_names(client, table, user, people):
    from tests.database.rows.conftest import add

    odd = add(user, table, "text", 'Last, "first"')
    a, b = insert_rows(table, [{odd.db_column: "b"}, {odd.db_column: "a"}])
    response = client.get(
        list_url(table.id), {"order_by": '-"Last, \\"first\\""', "user_field_names": ""}
    )
    assert ids_of(response) == [a, b]


def test_order_by_single_select_uses_the_option_value(client, table, people):
    status = people.status.db_column
    closed, opened = insert_rows(table, [{status: people.closed.id}, {status: people.open.id}])
    response = client.get(list_url(table.id), {"order_by": f"-field_{people.status.id}"})
    assert ids_of(response) == [opened, closed]


def test_order_by_errors(client, user, table, projects, people):
    url = list_url(table.id)
    unknown = client.get(url, {"order_by": "field_999999"})
    assert unknown.status_code == 400
    assert unknown.json() == {
        "error": "ERROR_ORDER_BY_FIELD_NOT_FOUND",
        "detail": "The field field_999999 was not found in the table.",
    }
    assert client.get(url, {"order_by": "id"}).json()["error"] == "ERROR_ORDER_BY_FIELD_NOT_FOUND"
    name_without_flag = client.get(url, {"order_by": "Age"})
    assert name_without_flag.json()["error"] == "ERROR_ORDER_BY_FIELD_NOT_FOUND"
    # Links, multiple selects and counts sort (see test_rows_sort_relations.py); lookups of
    # fields other than texts do not.
    for field in (people.link, people.tags, people.count):
        assert client.get(url, {"order_by": f"field_{field.id}"}).status_code == 200
    ages = add(
        user,
        table,
        "lookup",
        "Ages",
        through_field_id=people.link.id,
        target_field_id=add(user, projects, "number", "Budget").id,
    )
    response = client.get(url, {"order_by": f"field_{ages.id}"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_ORDER_BY_FIELD_NOT_POSSIBLE",
        "detail": f"It is not possible to order by field_{ages.id} using sort type default "
        "because the field type lookup does not support it.",
    }
    # Named as given (sign and sort type included), and with user field names by name.
    unknown = client.get(url, {"order_by": "-field_999999[order]"}).json()
    assert unknown["detail"] == "The field -field_999999[order] was not found in the table."
    by_name = client.get(url, {"order_by": "Age[order]", "user_field_names": "1"}).json()
    assert by_name["detail"] == (
        "It is not possible to order by Age using sort type order because the field type "
        "number does not support it."
    )


def test_order_by_a_field_left_out_by_include_or_exclude(client, table, people, five):
    # As Baserow: without a view only the listed fields exist for order_by.
    url = list_url(table.id)
    age = f"field_{people.age.id}"
    for narrowing in ({"include": f"field_{people.name.id}"}, {"exclude": age}):
        response = client.get(url, {**narrowing, "order_by": age})
        assert response.status_code == 400
        assert response.json() == {
            "error": "ERROR_ORDER_BY_FIELD_NOT_FOUND",
            "detail": f"The field {age} was not found in the table.",
        }
    included = client.get(url, {"include": age, "order_by": f"-{age}"})
    assert included.status_code == 200
    assert list(included.json()["results"][0]) == ["id", "order", age]


def test_order_by_sort_type_order_sorts_single_selects_by_option_order(client, table, people):
    """`[order]`: the options' order on the field (Open, Closed), not their names."""
    status = people.status
    closed, opened, empty = insert_rows(
        table,
        [{status.db_column: people.closed.id}, {status.db_column: people.open.id}, {}],
    )
    url = list_url(table.id)
    assert ids_of(client.get(url, {"order_by": f"field_{status.id}"})) == [empty, closed, opened]
    by_order = client.get(url, {"order_by": f"field_{status.id}[order]"})
    assert ids_of(by_order) == [empty, opened, closed]
    by_order_desc = client.get(url, {"order_by": f"-field_{status.id}[order]"})
    assert ids_of(by_order_desc) == [closed, opened, empty]
    named = client.get(url, {"order_by": "Status[order]", "user_field_names": "true"})
    assert ids_of(named) == [empty, opened, closed]
    for reference in (f"field_{people.age.id}[order]", f"field_{status.id}[nonsense]"):
        response = client.get(url, {"order_by": reference})
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_ORDER_BY_FIELD_NOT_POSSIBLE"


def test_include_and_exclude(client, table, people, five):
    url = list_url(table.id)
    row = client.get(url, {"include": f"field_{people.age.id},field_424242"}).json()["results"][0]
    assert set(row) == {"id", "order", people.age.db_column}
    row = client.get(url, {"exclude": f"field_{people.age.id}"}).json()["results"][0]
    assert people.age.db_column not in row and people.name.db_column in row
    named = client.get(url, {"include": "Name,Age", "exclude": "Age", "user_field_names": "yes"})
    assert set(named.json()["results"][0]) == {"id", "order", "Name"}


def test_user_field_names_false_spellings(client, table, people, five):
    row = client.get(list_url(table.id), {"user_field_names": "false"}).json()["results"][0]
    assert people.name.db_column in row


def test_list_cost_does_not_grow_with_the_page(
    client, table, projects, people, django_assert_max_num_queries
):
    projects_ids = insert_rows(
        projects, [{people.project_name.db_column: f"P{n}"} for n in range(3)]
    )
    rows = [
        {
            people.name.db_column: f"Row {n}",
            people.status.db_column: people.open.id,
            people.tags.db_column: [people.tag_open.id],
            people.link.db_column: projects_ids,
        }
        for n in range(60)
    ]
    insert_rows(table, rows)
    url = list_url(table.id)
    client.get(url, {"size": 2})  # builds and caches the table's model
    # Auth, membership, table, count, rows and one per prefetched relation.
    with django_assert_max_num_queries(8):
        response = client.get(url, {"size": 60})
    assert len(response.json()["results"]) == 60
    assert response.json()["results"][0][people.link.db_column][2]["value"] == "P2"


@pytest.mark.parametrize("sort", ["", "-", "[order]", "-[order]"])
def test_single_select_sorts_agree_with_looking_options_up(client, user, table, monkeypatch, sort):
    """Ranks in a CASE (few options) and a lookup per row (many) give one order, ties too."""
    options = [{"value": v, "color": "blue"} for v in ("b", "a", "B", "b", "c")]
    status = add(user, table, "single_select", "Grade", select_options=options)
    ids = [o.id for o in SelectOption.objects.filter(field=status).order_by("order")]
    cells = [ids[0], ids[3], None, ids[1], ids[2], ids[4], ids[0], None]
    insert_rows(table, [{status.db_column: cell} for cell in cells])
    descending, _, sort_type = sort.partition("[")
    reference = f"{descending}field_{status.id}" + (f"[{sort_type}" if sort_type else "")
    ranked = ids_of(client.get(list_url(table.id), {"order_by": reference}))
    monkeypatch.setattr(select, "RANKED_SORT_MAX_OPTIONS", 0)
    looked_up = ids_of(client.get(list_url(table.id), {"order_by": reference}))
    assert ranked == looked_up
    assert len(ranked) == len(cells)
