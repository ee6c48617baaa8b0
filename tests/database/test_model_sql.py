"""The hand-written reads of every request (api.model_sql): the same instances as the ORM's."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from database.tables.selectors import table_get
from users.models import User
from users.selectors import user_by_id
from workspaces.errors import UserNotInWorkspace


def concrete_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.django_db
def test_user_by_id_reads_every_column_as_the_orm_does(user):
    # Values of every kind the converters handle: booleans, a timestamp, JSON, an empty one.
    User.objects.filter(id=user.id).update(
        is_staff=True,
        completed_guided_tours=["tour", {"step": 2}],
        last_password_change=timezone.now(),
    )
    expected = User.objects.get(id=user.id)
    for claim in (user.id, str(user.id)):
        found = user_by_id(claim)
        assert isinstance(found, User)
        assert concrete_values(found) == concrete_values(expected)
        assert found._state.adding is False and found._state.db == "default"


@pytest.mark.django_db
@pytest.mark.parametrize("claim", [0, 10**9, 2**63, -(2**63) - 1, "12a", "", None, "١٢", 1.0])
def test_user_by_id_without_such_user(user, claim):
    assert user_by_id(claim) is None


@pytest.mark.django_db
def test_table_get_reads_table_database_and_workspace_in_one_query(user, table):
    expected = Table.objects.select_related("database__workspace").get(id=table.id)
    with CaptureQueriesContext(connection) as queries:
        found = table_get(table_id=table.id, member=user)
        assert concrete_values(found) == concrete_values(expected)
        assert concrete_values(found.database) == concrete_values(expected.database)
        workspace = found.database.workspace
        assert concrete_values(workspace) == concrete_values(expected.database.workspace)
    assert len(queries) == 1


@pytest.mark.django_db
def test_table_get_gates(user, other_user, table):
    with pytest.raises(UserNotInWorkspace):
        table_get(table_id=table.id, member=other_user)
    assert table_get(table_id=table.id).id == table.id  # no member: no gate
    for missing in (0, table.id + 1000, 2**63, -(2**63) - 1):
        with pytest.raises(TableDoesNotExist):
            table_get(table_id=missing, member=user)
    table.database.trashed = True
    table.database.save()
    with pytest.raises(TableDoesNotExist):
        table_get(table_id=table.id, member=user)


@pytest.mark.django_db
def test_table_get_for_update_locks_the_table(user, table):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert table_get(table_id=table.id, for_update=True).id == table.id
    select = next(q["sql"] for q in queries if q["sql"].startswith("SELECT"))
    assert ("FOR UPDATE" in select) == connection.features.has_select_for_update


@pytest.mark.django_db
def test_a_table_id_past_bigint_is_not_found(client_for, user):
    response = client_for(user).get(reverse("api:rows:list", kwargs={"table_id": 2**63}))
    assert response.status_code == 404
    assert response.json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"


@pytest.mark.django_db
def test_table_get_with_a_rows_lock_key_takes_the_row_write_locks(user, other_user, table):
    expected = Table.objects.select_related("database__workspace").get(id=table.id)
    key = (0x5465_7374 << 32) | table.id
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        found = table_get(table_id=table.id, member=user, rows_lock_key=key)
        assert concrete_values(found) == concrete_values(expected)
        assert concrete_values(found.database.workspace) == concrete_values(
            expected.database.workspace
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks"
                    " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                )
                assert (key,) in cursor.fetchall()
    reads = [q["sql"] for q in queries if q["sql"].startswith(("SELECT", "WITH"))]
    (gate,) = [sql for sql in reads if "pg_locks" not in sql]
    assert ("FOR KEY SHARE OF t" in gate) == connection.features.has_select_for_update
    # The gate still refuses, and without the advisory lock for someone not a member.
    other_key = key + 1
    with transaction.atomic():
        with pytest.raises(UserNotInWorkspace):
            table_get(table_id=table.id, member=other_user, rows_lock_key=other_key)
        with pytest.raises(TableDoesNotExist):
            table_get(table_id=table.id + 1000, member=user, rows_lock_key=other_key)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    " AND pid = pg_backend_pid()"
                    " AND (classid::bigint << 32) | objid::bigint = %s",
                    [other_key],
                )
                assert cursor.fetchone() == (0,)
