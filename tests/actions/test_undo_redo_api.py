"""The undo/redo endpoints: sessions, groups, scopes, the redo stack, errors and expiry."""

import datetime

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from actions.models import Action
from actions.services import actions_clean_up
from actions.tasks import clean_up_actions
from tests.database.helpers import primary_of, read_rows
from workspaces.models import WorkspaceUser


def _create(session, table, value):
    name = primary_of(table)
    return session.call("post", f"/api/database/rows/table/{table.id}/", {name.db_column: value})


def _names(table):
    column = primary_of(table).db_column
    return [row[column] for row in read_rows(table)]


def test_a_group_is_undone_and_redone_at_once(session, table):
    _create(session, table, "solo")
    session.new_group()
    for value in ("g1", "g2", "g3"):
        _create(session, table, value)
    session.group = None
    result = session.undo()
    assert [a["action_type"] for a in result["actions"]] == ["create_row"] * 3
    assert _names(table) == ["solo"]
    assert len(session.undo()["actions"]) == 1
    assert _names(table) == []
    assert len(session.redo()["actions"]) == 1
    assert _names(table) == ["solo"]
    assert len(session.redo()["actions"]) == 3
    assert _names(table) == ["solo", "g1", "g2", "g3"]
    assert session.redo()["result_code"] == "NOTHING_TO_DO"


def test_undo_redo_sequences_across_actions_and_groups(session, table):
    _create(session, table, "a")
    session.new_group()
    _create(session, table, "b")
    _create(session, table, "c")
    session.new_group()
    _create(session, table, "d")
    session.group = None
    session.undo()  # d
    session.undo()  # b, c
    assert _names(table) == ["a"]
    session.redo()  # b, c
    assert _names(table) == ["a", "b", "c"]
    session.undo()  # b, c again
    session.undo()  # a
    assert _names(table) == []
    session.redo()  # a
    session.redo()  # b, c
    session.redo()  # d
    assert _names(table) == ["a", "b", "c", "d"]


def test_a_new_action_clears_the_redo_stack(session, table):
    _create(session, table, "a")
    session.undo()
    _create(session, table, "b")
    assert session.redo()["result_code"] == "NOTHING_TO_DO"
    assert _names(table) == ["b"]


def test_another_sessions_actions_are_not_undone(session, make_session, table, other_user):
    other_tab = make_session("session-b")
    _create(other_tab, table, "theirs")
    _create(session, table, "mine")
    assert session.undo()["result_code"] == "SUCCESS"
    assert session.undo()["result_code"] == "NOTHING_TO_DO"
    assert _names(table) == ["theirs"]
    # The same session id from another user reaches nothing of this user's either.
    intruder = make_session("session-b", other_user)
    assert intruder.undo()["result_code"] == "NOTHING_TO_DO"
    assert _names(table) == ["theirs"]
    assert other_tab.undo()["result_code"] == "SUCCESS"
    assert _names(table) == []


def test_scopes_pick_the_actions(session, make_table):
    first, second = make_table("First"), make_table("Second")
    _create(session, first, "1")
    _create(session, second, "2")
    result = session.undo({"table": first.id})
    assert result["actions"][0]["action_scope"] == f"table{first.id}"
    assert _names(first) == [] and _names(second) == ["2"]
    assert session.undo({"view": 999})["result_code"] == "NOTHING_TO_DO"
    assert session.undo({"root": True})["result_code"] == "NOTHING_TO_DO"


def test_without_a_session_nothing_is_recorded(user_client, table):
    name = primary_of(table)
    url = f"/api/database/rows/table/{table.id}/"
    assert user_client.post(url, {name.db_column: "x"}, format="json").status_code == 200
    assert not Action.objects.exists()


def test_the_session_header_is_required(user_client):
    for path in ("/api/user/undo/", "/api/user/redo/"):
        response = user_client.patch(path, {"scopes": {}}, format="json")
        assert response.status_code == 400
        assert response.json()["error"] == "ERROR_CLIENT_SESSION_ID_HEADER_NOT_SET"
        # An invalid one is refused as any signed-in request's (00-conventions.md).
        bad = user_client.patch(path, {"scopes": {}}, format="json", HTTP_CLIENTSESSIONID="a b")
        assert bad.json()["error"] == "ERROR_INVALID_CLIENT_SESSION_ID"


def test_a_running_undo_of_the_session_is_a_lock_conflict(session, user, table):
    _create(session, table, "a")
    cache.add(f"undo-redo-lock:{user.id}:{session.session_id}", 1, 60)
    try:
        for path in ("/api/user/undo/", "/api/user/redo/"):
            response = session.client.patch(
                path, {"scopes": {}}, format="json", **session.headers()
            )
            assert response.status_code == 409
            assert response.json()["error"] == "ERROR_UNDO_REDO_LOCK_CONFLICT"
    finally:
        cache.delete(f"undo-redo-lock:{user.id}:{session.session_id}")
    assert session.undo()["result_code"] == "SUCCESS"


def test_bad_bodies_and_no_token(session, api_client):
    response = session.client.patch(
        "/api/user/undo/", {"scopes": {"table": "x"}}, format="json", **session.headers()
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    response = api_client.patch(
        "/api/user/undo/", {"scopes": {}}, format="json", HTTP_CLIENTSESSIONID="x"
    )
    assert response.status_code == 401


def test_old_actions_expire(session, table, settings):
    _create(session, table, "old")
    _create(session, table, "new")
    old, new = Action.objects.order_by("id")
    Action.objects.filter(id=old.id).update(
        updated_on=timezone.now() - datetime.timedelta(minutes=121)
    )
    assert settings.MINUTES_UNTIL_ACTION_CLEANED_UP == 120
    assert clean_up_actions() == 1
    assert list(Action.objects.values_list("id", flat=True)) == [new.id]
    later = timezone.now() + datetime.timedelta(minutes=121)
    assert actions_clean_up(now=later) == 1
    assert session.undo()["result_code"] == "NOTHING_TO_DO"
    assert "clean-up-actions" in settings.CELERY_BEAT_SCHEDULE


def test_table_rename_undone_and_redone(session, table):
    session.call("patch", f"/api/database/tables/{table.id}/", {"name": "Renamed"})
    result = session.undo({"application": table.database_id})
    assert result["actions"] == [
        {"action_type": "update_table", "action_scope": f"application{table.database_id}"}
    ]
    assert session.call("get", f"/api/database/tables/{table.id}/")["name"] == "Table"
    session.redo()
    assert session.call("get", f"/api/database/tables/{table.id}/")["name"] == "Renamed"


def test_undo_after_losing_access_to_the_workspace_is_skipped(session, user, table):
    _create(session, table, "a")
    WorkspaceUser.objects.filter(user=user, workspace=table.database.workspace).delete()
    assert session.undo()["result_code"] == "SKIPPED_DUE_TO_ERROR"
    assert _names(table) == ["a"]
    # Its undo failed, so its redo changes nothing and answers the same; it may be undone again.
    assert session.redo()["result_code"] == "SKIPPED_DUE_TO_ERROR"
    assert _names(table) == ["a"]
    assert session.undo()["result_code"] == "SKIPPED_DUE_TO_ERROR"


def test_the_schema_documents_undo_and_redo(db):
    schema = Client().get("/api/schema.json").json()
    for path in ("/api/user/undo/", "/api/user/redo/"):
        patch = schema["paths"][path]["patch"]
        assert {"200", "400", "409"} <= set(patch["responses"])
        described = str(patch["responses"]["400"]) + str(patch["responses"]["409"])
        assert "ERROR_CLIENT_SESSION_ID_HEADER_NOT_SET" in described
        assert "ERROR_UNDO_REDO_LOCK_CONFLICT" in described
        assert any(p["name"] == "ClientSessionId" for p in patch["parameters"])
