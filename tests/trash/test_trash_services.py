"""Trash services: the purge after the retention, its task and command, the restore events."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from database.compose.tables import table_delete
from database.fields.models import Field
from database.fields.services import field_delete
from database.rows.services import rows_delete
from events import subscribe
from tests.database.helpers import add_field, column_types, insert_rows, primary_of
from trash.models import TrashEntry
from trash.services import trash_entry_for, trash_purge, trash_restore
from trash.tasks import purge_trash

pytestmark = pytest.mark.django_db

heard: list = []
subscribe(heard.append)


def _hours_later(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def test_items_are_deleted_for_good_only_after_the_retention(user, table, other):
    notes = add_field(table, "Notes")
    field_delete(user=user, field=notes)
    table_delete(user=user, table_id=other.id)
    (row_id,) = insert_rows(table, [{primary_of(table).db_column: "Ada"}])
    rows_delete(table=table, row_ids=[row_id], actor=user)

    assert trash_purge(now=_hours_later(71)) == 0
    assert notes.db_column in column_types(table)

    assert trash_purge(now=_hours_later(73)) == 3

    assert notes.db_column not in column_types(table)
    assert not Field.objects_and_trash.filter(id=notes.id).exists()
    assert other.db_table not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table.db_table}")
        assert cursor.fetchall() == []
    assert not TrashEntry.objects.exists()


def test_a_trashed_workspace_is_deleted_for_good_with_its_tables(user, user_client, table):
    workspace_id = table.database.workspace_id
    assert user_client.delete(f"/api/workspaces/{workspace_id}/").status_code == 204
    trash_purge(now=_hours_later(73))
    assert table.db_table not in connection.introspection.table_names()
    assert user_client.get("/api/trash/").json()["workspaces"] == []


def test_the_task_and_the_command_purge_and_beat_runs_the_task(user, table):
    notes = add_field(table, "Notes")
    field_delete(user=user, field=notes)
    TrashEntry.objects.update(trashed_at=_hours_later(-73))
    assert purge_trash.apply().get() == 1
    other = add_field(table, "Other")
    field_delete(user=user, field=other)
    TrashEntry.objects.update(trashed_at=_hours_later(-73))
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert "Deleted 1 trashed items" in out.getvalue()
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "trash.tasks.purge_trash" in tasks
    assert settings.HOURS_UNTIL_TRASH_PERMANENTLY_DELETED == 72


def test_restore_announces_what_brings_the_item_back(
    user, table, other, django_capture_on_commit_callbacks
):
    notes = add_field(table, "Notes")
    with django_capture_on_commit_callbacks(execute=True):
        field_delete(user=user, field=notes)
        table_delete(user=user, table_id=other.id)
        (row_id,) = insert_rows(table, [{}])
        rows_delete(table=table, row_ids=[row_id], actor=user)
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        trash_restore(user=user, trash_item_type="field", trash_item_id=notes.id)
        trash_restore(user=user, trash_item_type="table", trash_item_id=other.id)
        trash_restore(
            user=user, trash_item_type="row", trash_item_id=row_id, parent_trash_item_id=table.id
        )
    payloads = [event.payload for event in heard]
    assert [p["type"] for p in payloads] == ["field_restored", "table_created", "rows_created"]
    assert payloads[0]["field"]["name"] == "Notes"
    assert payloads[1]["table"]["id"] == other.id
    assert [row["id"] for row in payloads[2]["rows"]] == [row_id]


def test_trash_entry_for_finds_the_live_entry(user, table):
    notes = add_field(table, "Notes")
    assert trash_entry_for(trash_item_type="field", trash_item_id=notes.id) is None
    field_delete(user=user, field=notes)
    entry = trash_entry_for(trash_item_type="field", trash_item_id=notes.id)
    assert (entry.trash_item_type, entry.user_who_trashed_id) == ("field", user.id)
    trash_restore(user=user, trash_item_type="field", trash_item_id=notes.id)
    assert trash_entry_for(trash_item_type="field", trash_item_id=notes.id) is None
