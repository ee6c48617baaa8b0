"""The token services and selectors, called directly."""

import pytest

from database.applications.models import Application
from database.compose.tables import table_delete
from database.tokens import errors, selectors, services
from database.tokens.models import TokenPermission
from tests.database.helpers import purge_trash
from tests.database.tokens.conftest import key_of
from workspaces.errors import UserNotInWorkspace
from workspaces.models import WorkspaceUser

EVERYTHING = {"create": True, "read": True, "update": True, "delete": True}


def test_create_needs_membership(other_user, workspace):
    with pytest.raises(UserNotInWorkspace):
        services.token_create(user=other_user, workspace=workspace, name="x")


def test_a_new_token_may_do_everything_everywhere(user, workspace, table):
    token = services.token_create(user=user, workspace=workspace, name="x")
    assert selectors.token_permissions(token=token) == EVERYTHING
    for operation in EVERYTHING:
        assert selectors.token_has_table_access(token=token, table=table, operations=[operation])


def test_get_by_key_finds_the_token_and_nothing_else(make_token):
    token = make_token()
    assert selectors.token_get_by_key(key=key_of(token)).id == token.id
    with pytest.raises(errors.TokenDoesNotExist):
        selectors.token_get_by_key(key=key_of(token).swapcase())


def test_update_replaces_every_entry(user, make_token, table, database_app):
    token = make_token()
    services.token_update(
        user=user,
        token_id=token.id,
        permissions={"create": [table], "read": [database_app], "update": False, "delete": True},
    )
    assert selectors.token_permissions(token=token) == {
        "create": [["table", table.id]],
        "read": [["database", database_app.id]],
        "update": False,
        "delete": True,
    }
    assert TokenPermission.objects.filter(token=token).count() == 3


def test_update_and_delete_need_the_owner(other_user, make_token):
    token = make_token()
    with pytest.raises(errors.TokenDoesNotExist):
        services.token_update(user=other_user, token_id=token.id, name="Mine")
    with pytest.raises(errors.TokenDoesNotExist):
        services.token_delete(user=other_user, token_id=token.id)


def test_deleting_a_table_removes_its_entries(user, make_token, make_table):
    doomed = make_table(name="Doomed")
    token = make_token(read=[["table", doomed.id]])
    table_delete(user=user, table_id=doomed.id)
    (token,) = selectors.tokens_list(user=user)
    assert selectors.token_permissions(token=token)["read"] is False
    purge_trash()
    assert not TokenPermission.objects.filter(table_id=doomed.id).exists()


def test_a_trashed_database_leaves_the_permissions(make_token, database_app, table):
    token = make_token(read=[["database", database_app.id], ["table", table.id]])
    Application.objects.filter(id=database_app.id).update(trashed=True)
    listed = selectors.tokens_list(user=token.user).get(id=token.id)
    assert selectors.token_permissions(token=listed)["read"] is False
    assert selectors.token_permissions(token=listed)["create"] is True


def test_deleting_a_database_removes_its_entries(make_token, database_app):
    token = make_token(read=[["database", database_app.id]])
    Application.objects_and_trash.filter(id=database_app.id).delete()
    assert not TokenPermission.objects.filter(token=token, type="read").exists()


def test_table_access_needs_the_operation_and_membership(user, workspace, make_token, table):
    token = make_token(read=[["table", table.id]], create=False)
    selectors.token_require_table_access(token=token, table=table, operations=["read"])
    with pytest.raises(errors.NoPermissionToTable):
        selectors.token_require_table_access(token=token, table=table, operations=["create"])
    WorkspaceUser.objects.filter(user=user, workspace=workspace).delete()
    with pytest.raises(errors.TokenWorkspaceMismatch):
        selectors.token_require_table_access(token=token, table=table, operations=["read"])
