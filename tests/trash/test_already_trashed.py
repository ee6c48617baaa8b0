"""Deleting a field already in the trash: 404 once it is gone (Baserow looks fields up among
the live ones), 400 ERROR_CANNOT_DELETE_ALREADY_DELETED_ITEM when it went to the trash between
the lookup and the delete (Baserow: the trash entry's unique constraint)."""

import threading
import time

import pytest
from django.db import connection, transaction

from database.fields.errors import FieldAlreadyTrashed
from database.fields.models import Field
from database.fields.selectors import field_get
from database.fields.services import field_delete
from tests.database.conftest import busy_table
from tests.database.helpers import POSTGRESQL_CONCURRENCY, add_field
from trash.models import TrashEntry

__all__ = ["busy_table"]

ALREADY_DELETED = {
    "error": "ERROR_CANNOT_DELETE_ALREADY_DELETED_ITEM",
    "detail": "This item has already been deleted.",
}


def field_url(field_id: int) -> str:
    return f"/api/database/fields/{field_id}/"


def test_a_field_trashed_since_it_was_looked_up_is_not_deleted_again(user, table):
    age = add_field(table, "Age", "number")
    looked_up = field_get(field_id=age.id)
    field_delete(user=user, field=field_get(field_id=age.id))
    with pytest.raises(FieldAlreadyTrashed):
        field_delete(user=user, field=looked_up)
    assert TrashEntry.objects.filter(trash_item_type="field", trash_item_id=age.id).count() == 1
    assert Field.objects_and_trash.get(id=age.id).trashed


def test_a_second_delete_request_finds_no_field(user_client, table):
    age = add_field(table, "Age", "number")
    assert user_client.delete(field_url(age.id)).status_code == 200
    response = user_client.delete(field_url(age.id))
    assert (response.status_code, response.json()["error"]) == (404, "ERROR_FIELD_DOES_NOT_EXIST")
    assert TrashEntry.objects.filter(trash_item_type="field").count() == 1


def test_another_workspace_cannot_delete_the_field_either(client_for, other_user, table):
    age = add_field(table, "Age", "number")
    response = client_for(other_user).delete(field_url(age.id))
    assert (response.status_code, response.json()["error"]) == (400, "ERROR_USER_NOT_IN_GROUP")
    assert not Field.objects_and_trash.get(id=age.id).trashed


def lock_waiters() -> int:
    """Sessions of the test database waiting for a lock, seen from a connection of its own
    (a transaction keeps seeing the activity it saw first)."""
    found: list[int] = []

    def count() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                found.append(cursor.fetchone()[0])
        finally:
            connection.close()

    thread = threading.Thread(target=count)
    thread.start()
    thread.join(timeout=10)
    return found[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason=POSTGRESQL_CONCURRENCY[0].kwargs["reason"]
)
@pytest.mark.django_db(transaction=True)
def test_a_delete_that_loses_the_race_answers_already_deleted(user, user_client, busy_table):
    with transaction.atomic():
        age = add_field(busy_table, "Age", "number")
    answers = []
    with transaction.atomic():
        # This delete holds the table's schema lock while the request looks the field up
        # (still live for it) and then waits for that lock.
        field_delete(user=user, field=field_get(field_id=age.id))

        def delete() -> None:
            try:
                answers.append(user_client.delete(field_url(age.id)))
            finally:
                connection.close()  # the request's thread opened its own connection

        request = threading.Thread(target=delete)
        request.start()
        deadline = time.monotonic() + 10
        while not lock_waiters():
            assert time.monotonic() < deadline, "the request never waited for the lock"
            time.sleep(0.02)
    request.join(timeout=30)
    (response,) = answers
    assert (response.status_code, response.json()) == (400, ALREADY_DELETED)
    assert TrashEntry.objects.filter(trash_item_type="field", trash_item_id=age.id).count() == 1
    assert Field.objects_and_trash.get(id=age.id).trashed
