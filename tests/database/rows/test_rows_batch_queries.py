"""Batch row writes cost a number of queries that does not grow with the number of items.

The table has text, number, single_select, multiple_select and two link_row fields (one to
another table, one to itself); values are given as ids and as names.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from database.fields.models import Field, SelectOption
from tests.database.helpers import add_field, insert_rows
from tests.database.rows.conftest import batch_url

# Queries of a batch create / update of 10 or 200 items on the table below, values given as ids:
# every query but the inserts and updates, then all of them. Before batches were validated
# with one lookup per field, a create of 10 / 200 items cost 81 / 1218 queries, an update
# 84 / 1221 (names: 101 / 1618 and 104 / 1621).
# The select fields' options come with the table's model, not from a query per write.
# The total includes the UPDATE of the table's maintained row count, which on PostgreSQL is part
# of the INSERT's statement (on PostgreSQL the table's lock statement also takes the order lock,
# and the INSERT numbers the appended rows on from the highest order: no read of it before).
# The new rows' own columns come from the INSERT (RETURNING): only their cells in other tables
# (options, links) are read after it. The endpoint's gate query takes the create's locks.
CREATE_READS, CREATE_TOTAL = 14, 19
if connection.vendor == "postgresql":
    CREATE_READS -= 1
    CREATE_TOTAL -= 2
# An update reads the rows it locks with the written cells prefetched (the multiple select
# options, and the relation and linked rows of both links: the values before, for the row
# history), then the updated rows with every cell (the response, and the values after);
# history entries are one INSERT, and the table's data version moves on (one UPDATE).
UPDATE_READS, UPDATE_TOTAL = 24, 30
# Names cost one more query per link_row field: the rows having those primary texts.
NAME_LOOKUPS = 2
# The Projects link is two-way: the Projects rows it gains or loses change their related cell
# and are announced (`rows_updated` of their table). Their table, then those rows with every
# cell (the rows, the relation back, the linked rows' primaries), before and after the write.
LINKED_ROWS_READS = 7
CREATE_READS += LINKED_ROWS_READS
CREATE_TOTAL += LINKED_ROWS_READS
UPDATE_READS += LINKED_ROWS_READS
UPDATE_TOTAL += LINKED_ROWS_READS
# Inserts and updates of the rows' own columns (and history entries) are one statement each on
# both engines, whatever the batch size (split only past the engine's parameter limit).


@pytest.fixture
def linked(table, make_table):
    """`table` with Name, Age, Status, Tags, Projects (to another table) and Parent (self)."""
    projects = make_table("Projects")
    project_ids = insert_rows(
        projects,
        [{Field.objects.get(table=projects, primary=True).db_column: f"P{n}"} for n in range(3)],
    )
    colors = [{"value": "Open", "color": "blue"}, {"value": "Closed", "color": "red"}]
    fields = {
        "name": Field.objects.get(table=table, primary=True),
        "age": add_field(table, "Age", "number"),
        "status": add_field(table, "Status", "single_select", select_options=colors),
        "tags": add_field(table, "Tags", "multiple_select", select_options=colors),
        "projects": add_field(table, "Projects", "link_row", link_row_table_id=projects.id),
        "parent": add_field(
            table, "Parent", "link_row", link_row_table_id=table.id, has_related_field=False
        ),
    }
    parents = insert_rows(table, [{fields["name"].db_column: f"R{n}"} for n in range(3)])
    options = {
        option.value: option.id for option in SelectOption.objects.filter(field=fields["status"])
    }
    tags = {option.value: option.id for option in SelectOption.objects.filter(field=fields["tags"])}
    return {
        "fields": fields,
        "projects": project_ids,
        "parents": parents,
        "options": options,
        "tags": tags,
    }


def cells(linked, n: int, *, names: bool) -> dict:
    """The cells of item `n`, with select and link values as ids or as names."""
    f = linked["fields"]
    if names:
        status, tags = "Open", ["Open", "Closed"]
        projects, parent = [f"P{n % 3}", f"P{(n + 1) % 3}"], [f"R{n % 3}"]
    else:
        status = linked["options"]["Closed"]
        tags = [linked["tags"]["Closed"]]
        projects, parent = [linked["projects"][n % 3]], [linked["parents"][n % 3]]
    return {
        f["name"].db_column: f"row {n}",
        f["age"].db_column: n,
        f["status"].db_column: status,
        f["tags"].db_column: tags,
        f["projects"].db_column: projects,
        f["parent"].db_column: parent,
    }


def is_write(sql: str) -> bool:
    sql = sql.lstrip().upper()
    # A write may start with a CTE (`WITH v AS (VALUES …) UPDATE …`, `WITH … AS (INSERT …)`).
    return sql.startswith(("INSERT", "UPDATE")) or (
        sql.startswith("WITH") and ("INSERT INTO" in sql or re.search(r"\bUPDATE\b.*\bSET\b", sql))
    )


def measure(client, method: str, table, items: list[dict]) -> tuple[int, int]:
    """(all queries, queries other than inserts and updates) of one batch request."""
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 200, response.json()
    assert len(response.json()["items"]) == len(items)
    queries = [query["sql"] for query in context.captured_queries]
    return len(queries), len([sql for sql in queries if not is_write(sql)])


def check_counts(small, large, *, reads: int, total: int, names: bool) -> None:
    extra = NAME_LOOKUPS if names else 0
    assert small == (total + extra, reads + extra)
    assert large == small


@pytest.mark.parametrize("names", [False, True], ids=["ids", "names"])
def test_batch_create_queries_do_not_grow(client, table, linked, names):
    warm = [cells(linked, 0, names=names)]  # builds the models of both tables once
    client.post(batch_url(table.id), {"items": warm}, format="json")
    small = measure(client, "post", table, [cells(linked, n, names=names) for n in range(10)])
    large = measure(client, "post", table, [cells(linked, n, names=names) for n in range(200)])
    check_counts(small, large, reads=CREATE_READS, total=CREATE_TOTAL, names=names)


@pytest.mark.parametrize("names", [False, True], ids=["ids", "names"])
def test_batch_update_queries_do_not_grow(client, table, linked, names):
    ids = insert_rows(table, [{} for _ in range(200)])
    warm = [{"id": ids[0], **cells(linked, 0, names=names)}]
    client.patch(batch_url(table.id), {"items": warm}, format="json")
    small = measure(
        client, "patch", table, [{"id": i, **cells(linked, i, names=names)} for i in ids[:10]]
    )
    large = measure(
        client, "patch", table, [{"id": i, **cells(linked, i, names=names)} for i in ids]
    )
    check_counts(small, large, reads=UPDATE_READS, total=UPDATE_TOTAL, names=names)


def test_batch_create_queries_bounded(client, table, linked, django_assert_max_num_queries):
    client.post(batch_url(table.id), {"items": [cells(linked, 0, names=True)]}, format="json")
    items = [cells(linked, n, names=n % 2 == 0) for n in range(200)]
    bound = CREATE_TOTAL + NAME_LOOKUPS
    with django_assert_max_num_queries(bound):
        response = client.post(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 200
    row = response.json()["items"][1]
    f = linked["fields"]
    assert row[f["status"].db_column]["id"] == linked["options"]["Closed"]
    assert [link["id"] for link in row[f["projects"].db_column]] == [linked["projects"][1]]
    assert [link["id"] for link in row[f["parent"].db_column]] == [linked["parents"][1]]
    named = response.json()["items"][0]
    assert [o["value"] for o in named[f["tags"].db_column]] == ["Open", "Closed"]
    assert [link["value"] for link in named[f["projects"].db_column]] == ["P0", "P1"]
    assert [link["value"] for link in named[f["parent"].db_column]] == ["R0"]


def _items_with_bad_item_37(linked, field_key: str, bad) -> list[dict]:
    items = [cells(linked, n, names=n % 2 == 0) for n in range(60)]
    items[37][linked["fields"][field_key].db_column] = bad
    return items


@pytest.mark.parametrize(
    ("field_key", "bad", "detail"),
    [
        ("projects", [1, 99999, 99998], "The provided row ids [99999, 99998] do not exist."),
        ("parent", [99997], "The provided row ids [99997] do not exist."),
        # Larger than any row id: was a server error (the lookup overflowed), now refused.
        ("parent", [2**70], f"The provided row ids [{2**70}] do not exist."),
        (
            "projects",
            ["nope", "P1", "also not"],
            "The provided text values ['nope', 'also not'] do not match any row of the "
            "linked table.",
        ),
        (
            "status",
            99999,
            "The provided select option id 99999 is not a valid select option.",
        ),
        (
            "tags",
            ["Open", "Unknown"],
            "The provided select option value 'Unknown' is not a valid select option.",
        ),
    ],
)
def test_invalid_ids_in_item_37(client, table, linked, field_key, bad, detail):
    items = _items_with_bad_item_37(linked, field_key, bad)
    for method in ("post", "patch"):
        if method == "patch":
            ids = insert_rows(table, [{} for _ in items])
            items = [{"id": i, **item} for i, item in zip(ids, items, strict=True)]
        response = getattr(client, method)(batch_url(table.id), {"items": items}, format="json")
        assert response.status_code == 400
        assert response.json() == {"error": "ERROR_REQUEST_BODY_VALIDATION", "detail": detail}


def test_item_37_with_a_bad_shape(client, table, linked):
    """Per-item serializer errors keep their index keys next to errors of other items."""
    items = [cells(linked, n, names=False) for n in range(60)]
    items[37][linked["fields"]["parent"].db_column] = {"not": "a list"}
    items[40][linked["fields"]["age"].db_column] = "x"
    response = client.post(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]["items"]
    assert sorted(detail) == ["37", "40"]
    assert detail["37"] == {
        linked["fields"]["parent"].db_column: [
            {"error": "Expected a list of row ids or names.", "code": "invalid"}
        ]
    }
    assert detail["40"][linked["fields"]["age"].db_column][0]["code"] == "invalid"
