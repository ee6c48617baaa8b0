"""`db_index`: a real index on the field's column, created, converted, copied and dropped."""

import pytest
from django.db import connection

from database import table_models
from database.compose.tables import table_duplicate
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.params import order_by_expressions, search_q
from database.tables.models import Table
from tests.database.helpers import add_field, insert_rows, purge_trash, values

INDEXABLE = [
    "text",
    "long_text",
    "url",
    "email",
    "phone_number",
    "number",
    "rating",
    "boolean",
    "date",
    "autonumber",
]


def _indexes(table: Table) -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table.db_table)
    return {name: info for name, info in constraints.items() if info["index"]}


def _has_index(field: Field) -> bool:
    index = _indexes(field.table).get(table_models.field_index_name(field))
    return index is not None and index["columns"] == [field.db_column]


def _fields_url(table: Table) -> str:
    return f"/api/database/fields/table/{table.id}/"


@pytest.mark.django_db
def test_the_indexable_types_are_the_ones_with_a_column_to_index():
    indexable = sorted(t.type for t in field_types if t.can_have_db_index)
    assert indexable == sorted(INDEXABLE)
    assert all(field_types.get(name).has_column for name in INDEXABLE)


@pytest.mark.django_db
@pytest.mark.parametrize("type_name", INDEXABLE)
def test_creating_a_field_with_db_index_creates_its_index(user, client_for, table, type_name):
    response = client_for(user).post(
        _fields_url(table), {"name": "Indexed", "type": type_name, "db_index": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["db_index"] is True
    field = Field.objects.get(id=response.json()["id"])
    assert _has_index(field)


@pytest.mark.django_db
def test_a_field_without_db_index_has_no_index(table):
    field = add_field(table, "Plain", "number")
    assert not _has_index(field)


@pytest.mark.django_db
@pytest.mark.parametrize("type_name", ["single_select", "multiple_select", "duration"])
def test_db_index_on_a_type_without_support_is_refused(user, client_for, table, type_name):
    response = client_for(user).post(
        _fields_url(table), {"name": "X", "type": type_name, "db_index": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_DB_INDEX_NOT_SUPPORTED"
    assert f"The field type {type_name} does not support" in response.json()["detail"]
    assert not Field.objects.filter(table=table, name="X").exists()


@pytest.mark.django_db
def test_switching_db_index_on_and_off_creates_and_drops_the_index(user, client_for, table):
    client = client_for(user)
    field = add_field(table, "Amount", "number")
    response = client.patch(f"/api/database/fields/{field.id}/", {"db_index": True}, format="json")
    assert response.status_code == 200 and response.json()["db_index"] is True
    assert _has_index(field)
    response = client.patch(f"/api/database/fields/{field.id}/", {"db_index": False}, format="json")
    assert response.status_code == 200 and response.json()["db_index"] is False
    assert not _has_index(field)


@pytest.mark.django_db
def test_a_type_change_keeps_the_index_on_the_converted_column(user, client_for, table):
    client = client_for(user)
    field = add_field(table, "Amount", "text")
    insert_rows(table, [{field.db_column: "12"}, {field.db_column: "3"}])
    client.patch(f"/api/database/fields/{field.id}/", {"db_index": True}, format="json")
    response = client.patch(f"/api/database/fields/{field.id}/", {"type": "number"}, format="json")
    assert response.status_code == 200, response.json()
    assert _has_index(field)
    assert values(Table.objects.get(id=table.id), field) == ["12", "3"]


@pytest.mark.django_db
def test_a_type_change_to_a_type_without_index_support_is_refused(user, client_for, table):
    client = client_for(user)
    field = add_field(table, "Status", "text")
    client.patch(f"/api/database/fields/{field.id}/", {"db_index": True}, format="json")
    response = client.patch(
        f"/api/database/fields/{field.id}/", {"type": "single_select"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_DB_INDEX_NOT_SUPPORTED"
    field.refresh_from_db()
    assert field.type == "text" and _has_index(field)
    # Switching the index off in the same request makes the change possible.
    response = client.patch(
        f"/api/database/fields/{field.id}/",
        {"type": "single_select", "db_index": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert not _has_index(field)


@pytest.mark.django_db
def test_deleting_an_indexed_field_drops_its_index(user, client_for, table):
    client = client_for(user)
    field = add_field(table, "Amount", "number")
    client.patch(f"/api/database/fields/{field.id}/", {"db_index": True}, format="json")
    assert client.delete(f"/api/database/fields/{field.id}/").status_code == 200
    purge_trash()
    assert table_models.field_index_name(field) not in _indexes(table)


@pytest.mark.django_db
def test_a_duplicated_table_has_the_indexes_of_the_original(user, client_for, table):
    client = client_for(user)
    field = add_field(table, "Amount", "number")
    client.patch(f"/api/database/fields/{field.id}/", {"db_index": True}, format="json")
    copy = table_duplicate(user=user, table_id=table.id)
    copied = Field.objects.get(table=copy, name="Amount")
    assert copied.db_index and _has_index(copied)


@pytest.mark.django_db
def test_the_index_serves_sorted_and_filtered_lists(user, client_for, table):
    """Rows keep their sort and filter results with the index, trashed rows left out."""
    client = client_for(user)
    field = add_field(table, "Amount", "number")
    client.patch(f"/api/database/fields/{field.id}/", {"db_index": True}, format="json")
    insert_rows(table, [{field.db_column: v} for v in ["5", None, "1", "3"]])
    url = f"/api/database/rows/table/{table.id}/"
    ascending = client.get(url, {"order_by": field.db_column}).json()["results"]
    assert [r[field.db_column] for r in ascending] == [None, "1", "3", "5"]
    descending = client.get(url, {"order_by": f"-{field.db_column}"}).json()["results"]
    assert [r[field.db_column] for r in descending] == ["5", "3", "1", None]
    filtered = client.get(url, {f"filter__{field.db_column}__higher_than": "2"}).json()
    assert filtered["count"] == 2


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_postgresql_plans_a_sorted_page_through_the_index(table):
    field = add_field(table, "Amount", "number", number_decimal_places=0)
    field.db_index = True
    table_models.sync_field_index(field)
    model = table_models.get_model(Table.objects.get(id=table.id))
    # The rows list's ORDER BY for `-field`: descending, empty cells last, then order and id.
    ordering = order_by_expressions(model, f"-{field.db_column}", user_field_names=False)
    queryset = model.objects.filter(trashed=False).order_by(*ordering)[:100]
    with connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Scan Backward using {table_models.field_index_name(field)}" in plan


TRIGRAM_TYPES = ["text", "long_text", "url", "email", "phone_number"]
POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's (pg_trgm)"
)


@pytest.mark.django_db
def test_the_trigram_searchable_types_are_the_text_ones():
    assert sorted(t.type for t in field_types if t.trigram_searchable) == sorted(TRIGRAM_TYPES)
    assert table_models.trigram_available() is (connection.vendor == "postgresql")


@POSTGRESQL_ONLY
@pytest.mark.django_db
@pytest.mark.parametrize("type_name", TRIGRAM_TYPES)
def test_an_indexed_text_field_gets_a_trigram_index_on_postgresql(table, type_name):
    field = add_field(table, "Indexed", type_name)
    field.db_index = True
    table_models.sync_field_index(field)
    assert table_models.field_trigram_index_name(field) in _indexes(table)
    field.db_index = False
    table_models.sync_field_index(field)
    assert table_models.field_trigram_index_name(field) not in _indexes(table)
    numbers = add_field(table, "Numbers", "number")
    numbers.db_index = True
    table_models.sync_field_index(numbers)
    assert table_models.field_trigram_index_name(numbers) not in _indexes(table)


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_postgresql_plans_a_search_through_the_trigram_indexes(user, client_for, table):
    client = client_for(user)
    name = Field.objects.get(table=table, primary=True)
    notes = add_field(table, "Notes", "long_text")
    amount = add_field(table, "Amount", "number")
    status = add_field(
        table, "Status", "single_select", select_options=[{"value": "Open", "color": "blue"}]
    )
    for field in (name, notes):
        response = client.patch(f"/api/database/fields/{field.id}/", {"db_index": True})
        assert response.status_code == 200, response.json()
    insert_rows(table, [{name.db_column: "Ada Lovelace", amount.db_column: "3"}])
    model = table_models.get_model(Table.objects.get(id=table.id))
    # A term no option and no number can hold: only the two text columns are searched.
    queryset = model.objects.filter(trashed=False).filter(search_q(model, "lovelace"))
    assert status.db_column not in str(queryset.query).split(" WHERE ", 1)[1]
    assert (
        client.get(f"/api/database/rows/table/{table.id}/", {"search": "LOVE"}).json()["count"] == 1
    )
    with connection.cursor() as cursor:
        # A small table is scanned whatever its indexes: forbid the scan and leave out the
        # b-trees, to see that the trigram indexes serve the search's very expressions.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor the (order, id) walk
        for field in (name, notes):
            cursor.execute(f"DROP INDEX {table_models.field_index_name(field)}")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {table_models.field_trigram_index_name(name)}" in plan
    assert f"Bitmap Index Scan on {table_models.field_trigram_index_name(notes)}" in plan


def _statistics(table: Table) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxname FROM pg_statistic_ext WHERE stxrelid = %s::regclass",
            [table.db_table],
        )
        return {name for (name,) in cursor.fetchall()}


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_text_fields_get_search_statistics_through_their_lifecycle(user, client_for, table):
    client = client_for(user)
    name = Field.objects.get(table=table, primary=True)
    notes = add_field(table, "Notes", "long_text")
    amount = add_field(table, "Amount", "number")
    stats = table_models.search_statistics_name
    # Every text field, indexed or not; no other type.
    assert _statistics(table) == {stats(name), stats(notes)}
    insert_rows(table, [{notes.db_column: "12"}, {amount.db_column: "7"}])
    # A conversion gives the new column its own statistics, or none.
    for field, new_type, expected in (
        (notes, "number", {stats(name)}),
        (amount, "text", {stats(name), stats(amount)}),
    ):
        response = client.patch(f"/api/database/fields/{field.id}/", {"type": new_type})
        assert response.status_code == 200, response.json()
        assert _statistics(table) == expected
    assert values(Table.objects.get(id=table.id), amount) == [None, "7"]
    # They go with the column, and a duplicated table has its own.
    copy = table_duplicate(user=user, table_id=table.id)
    assert _statistics(copy) == {stats(f) for f in Field.objects.filter(table=copy, type="text")}
    assert client.delete(f"/api/database/fields/{amount.id}/").status_code == 200
    purge_trash()
    assert _statistics(table) == {stats(name)}


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_the_search_statistics_give_the_planner_the_share_of_matching_rows(table):
    name = Field.objects.get(table=table, primary=True)
    notes = add_field(table, "Notes", "long_text")
    # 1 row in 20 holds the term: without statistics PostgreSQL guesses 0.5% or less.
    rows = [
        {name.db_column: f"Ada {'Lovelace' if n % 20 == 0 else 'Hopper'} {n}"} for n in range(4000)
    ]
    insert_rows(table, rows)
    model = table_models.get_model(Table.objects.get(id=table.id))
    queryset = model.objects.filter(trashed=False).filter(search_q(model, "lovelace"))
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table.db_table}")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        estimate = cursor.fetchone()[0][0]["Plan"]["Plan Rows"]
    assert notes.db_column in sql
    assert 100 <= estimate <= 400  # 200 rows match
