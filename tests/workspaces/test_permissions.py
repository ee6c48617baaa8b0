"""The one gate: existence, then membership, then role."""

import pytest

from core.operations import ADMIN_ONLY, WORKSPACE_UPDATE
from tests.workspaces.helpers import workspace_of
from workspaces.errors import (
    UserInvalidWorkspacePermissions,
    UserNotInWorkspace,
    WorkspaceDoesNotExist,
)
from workspaces.models import Role
from workspaces.permissions import permission_objects, require_member


def test_require_member_returns_the_membership(user, workspace):
    membership = require_member(user=user, workspace=workspace, operation=WORKSPACE_UPDATE)
    assert (membership.user, membership.workspace, membership.permissions) == (
        user,
        workspace,
        Role.ADMIN,
    )


def test_require_member_lets_a_member_in(member, workspace):
    assert require_member(user=member, workspace=workspace).permissions == Role.MEMBER


def test_require_member_rejects_an_outsider(outsider, workspace):
    with pytest.raises(UserNotInWorkspace):
        require_member(user=outsider, workspace=workspace)


def test_membership_is_checked_before_the_role(outsider, workspace):
    with pytest.raises(UserNotInWorkspace):
        require_member(user=outsider, workspace=workspace, operation=WORKSPACE_UPDATE)


def test_require_member_rejects_a_member_where_admin_is_needed(member, workspace):
    with pytest.raises(UserInvalidWorkspacePermissions):
        require_member(user=member, workspace=workspace, operation=WORKSPACE_UPDATE)


def test_a_trashed_workspace_does_not_exist_even_for_its_admin(user, outsider, workspace):
    workspace.trashed = True
    workspace.save()
    for who in (user, outsider):
        with pytest.raises(WorkspaceDoesNotExist):
            require_member(user=who, workspace=workspace)


def test_permission_objects_describe_the_role(user, member, workspace):
    def basic(who):
        membership = require_member(user=who, workspace=workspace)
        return permission_objects(user=who, membership=membership)[-1]

    assert basic(user) == {
        "name": "basic",
        "permissions": {"admin_only_operations": list(ADMIN_ONLY), "is_admin": True},
    }
    assert basic(member)["permissions"]["is_admin"] is False


def test_the_gate_is_per_workspace(user, member):
    # Cleo is a MEMBER of Ada's workspace but the ADMIN of her own.
    assert require_member(user=member, workspace=workspace_of(member), operation=WORKSPACE_UPDATE)
