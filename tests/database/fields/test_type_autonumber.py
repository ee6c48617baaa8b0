"""autonumber fields (05-fields.md)."""

import threading

import pytest
from django.db import connection

from database import table_models
from database.fields.serializers import field_to_json
from database.fields.services import field_create, field_delete, field_update
from database.tables.models import Table
from tests.database.helpers import column_types, insert_rows, purge_trash, read_rows


def numbers_by_id(table, field) -> dict[int, int]:
    return {row["id"]: row[field.db_column] for row in read_rows(table)}


def make_autonumber(user, table, **options):
    field, _ = field_create(user=user, table=table, type="autonumber", name="No", options=options)
    return field


def row_model(table):
    return table_models.get_model(Table.objects.get(id=table.id))


def test_create_makes_an_integer_column_and_a_read_only_field(user, table):
    field = make_autonumber(user, table, view_id=None)

    assert column_types(table)[field.db_column] == "IntegerField"
    data = field_to_json(field)
    assert data["read_only"] is True
    assert "view_id" not in data
    assert field.options == {}


def test_existing_rows_are_numbered_by_order_then_id(user, table):
    first, second, third = insert_rows(table, [{}, {}, {}])
    row_model(table).objects.filter(id=first).update(order=10)

    field = make_autonumber(user, table)

    assert numbers_by_id(table, field) == {second: 1, third: 2, first: 3}


def test_new_rows_get_the_next_numbers_and_client_values_are_ignored(user, table):
    insert_rows(table, [{}, {}])
    field = make_autonumber(user, table)

    ids = insert_rows(table, [{field.db_column: 99}, {}, {}])
    more = insert_rows(table, [{}])

    numbers = numbers_by_id(table, field)
    assert [numbers[row_id] for row_id in ids + more] == [3, 4, 5, 6]


def test_an_empty_table_starts_at_one(user, table):
    field = make_autonumber(user, table)

    insert_rows(table, [{}])

    assert list(numbers_by_id(table, field).values()) == [1]


def test_numbers_after_the_last_row_is_deleted(user, table):
    field = make_autonumber(user, table)
    *_, last = insert_rows(table, [{}, {}])
    row_model(table).objects.filter(id=last).delete()

    (new,) = insert_rows(table, [{}])

    # PostgreSQL's sequence never gives a number twice; SQLite continues from the highest.
    expected = 3 if connection.vendor == "postgresql" else 2
    assert numbers_by_id(table, field)[new] == expected


def test_update_properties_keeps_numbers(user, table):
    insert_rows(table, [{}, {}])
    field = make_autonumber(user, table)

    field, _ = field_update(user=user, field=field, name="Number", options={"view_id": 3})

    assert field.name == "Number"
    assert sorted(numbers_by_id(table, field).values()) == [1, 2]


def test_to_text_keeps_numbers_and_back_renumbers(user, table):
    first, second = insert_rows(table, [{}, {}])
    field = make_autonumber(user, table)

    field, _ = field_update(user=user, field=field, type="text")
    assert numbers_by_id(table, field) == {first: "1", second: "2"}

    row_model(table).objects.filter(id=first).update(order=5)
    field, _ = field_update(user=user, field=field, type="autonumber")
    assert column_types(table)[field.db_column] == "IntegerField"
    assert numbers_by_id(table, field) == {second: 1, first: 2}
    (third,) = insert_rows(table, [{}])
    assert numbers_by_id(table, field)[third] == 3


def test_delete_drops_the_column_and_its_sequence(user, table):
    field = make_autonumber(user, table)

    field_delete(user=user, field=field)
    purge_trash()

    assert field.db_column not in column_types(table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relkind = 'S' AND relname LIKE %s",
                [f"{table.db_table}_field_%"],
            )
            assert cursor.fetchone()[0] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_get_distinct_numbers(user, table):
    field = make_autonumber(user, table)
    errors = []

    def insert_some():
        try:
            for _ in range(5):
                insert_rows(table, [{}, {}])
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=insert_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers_by_id(table, field).values()) == list(range(1, 41))
