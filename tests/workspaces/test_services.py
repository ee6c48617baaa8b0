"""Workspace, member and invitation rules, called without HTTP."""

import pytest

from database.compose import example
from tests.workspaces.helpers import join, workspace_of
from users.errors import BadTokenSignature, HostnameNotAllowed
from users.signup import user_signup
from workspaces import selectors, services
from workspaces.errors import (
    CannotDeleteYourselfFromWorkspace,
    InvalidSortAttribute,
    InvalidSortDirection,
    MaxPendingInvitationsReached,
    UserInvalidWorkspacePermissions,
    UserNotInWorkspace,
    WorkspaceDoesNotExist,
    WorkspaceInvitationDoesNotExist,
    WorkspaceInvitationEmailMismatch,
    WorkspaceUserAlreadyExists,
    WorkspaceUserIsLastAdmin,
)
from workspaces.models import Role, Workspace, WorkspaceInvitation, WorkspaceUser

BASE_URL = "http://localhost:3000/workspace-invitation"


def invite(user, workspace, email="dora@example.com", **fields):
    return services.invitation_create(
        user=user, workspace_id=workspace.id, email=email, base_url=BASE_URL, **fields
    )


# Workspaces.


def test_signup_creates_the_initial_workspace(user):
    (membership,) = WorkspaceUser.objects.filter(user=user)
    assert membership.workspace.name == "Ada's workspace"
    assert (membership.permissions, membership.order) == (Role.ADMIN, 1)


def test_workspace_create_puts_the_new_workspace_last(user):
    membership = services.workspace_create(user=user, name="Acme")
    assert (membership.workspace.name, membership.permissions, membership.order) == (
        "Acme",
        Role.ADMIN,
        2,
    )


def test_workspace_create_initial_is_named_after_the_user(user):
    membership = example.workspace_create_initial(user=user)
    assert membership.workspace.name == "Ada's workspace"
    assert membership.order == 2


def test_workspace_update_renames(user, workspace):
    services.workspace_update(user=user, workspace_id=workspace.id, name="Renamed")
    workspace.refresh_from_db()
    assert workspace.name == "Renamed"


def test_workspace_update_is_for_admins(member, workspace):
    with pytest.raises(UserInvalidWorkspacePermissions):
        services.workspace_update(user=member, workspace_id=workspace.id, name="Mine")


def test_workspace_trash_hides_the_workspace(user, workspace):
    services.workspace_trash(user=user, workspace_id=workspace.id)
    assert Workspace.objects_and_trash.get(id=workspace.id).trashed
    assert not Workspace.objects.filter(id=workspace.id).exists()
    assert selectors.memberships_list(user=user) == []
    with pytest.raises(WorkspaceDoesNotExist):
        services.workspace_trash(user=user, workspace_id=workspace.id)


def test_workspace_trash_is_for_admins(member, outsider, workspace):
    with pytest.raises(UserInvalidWorkspacePermissions):
        services.workspace_trash(user=member, workspace_id=workspace.id)
    with pytest.raises(UserNotInWorkspace):
        services.workspace_trash(user=outsider, workspace_id=workspace.id)


def test_a_member_can_leave(member, workspace):
    services.workspace_leave(user=member, workspace_id=workspace.id)
    assert not WorkspaceUser.objects.filter(user=member, workspace=workspace).exists()


def test_the_last_admin_cannot_leave(user, member, workspace):
    with pytest.raises(WorkspaceUserIsLastAdmin):
        services.workspace_leave(user=user, workspace_id=workspace.id)


def test_an_admin_can_leave_when_another_admin_stays(user, member, workspace):
    WorkspaceUser.objects.filter(user=member, workspace=workspace).update(permissions=Role.ADMIN)
    services.workspace_leave(user=user, workspace_id=workspace.id)
    assert list(workspace.memberships.values_list("user", flat=True)) == [member.id]


def test_workspaces_order_ignores_workspaces_of_others(user, outsider):
    first = workspace_of(user)
    second = services.workspace_create(user=user, name="Second").workspace
    foreign = workspace_of(outsider)
    services.workspaces_order(user=user, workspace_ids=[second.id, foreign.id, first.id])
    assert [m.workspace for m in selectors.memberships_list(user=user)] == [second, first]
    assert WorkspaceUser.objects.get(user=outsider).order == 1
    assert not WorkspaceUser.objects.filter(user=user, workspace=foreign).exists()


def test_memberships_list_has_no_n_plus_one(user, make_user, django_assert_num_queries):
    for n in range(3):
        workspace = services.workspace_create(user=user, name=f"W{n}").workspace
        join(workspace, make_user())
    with django_assert_num_queries(2):
        memberships = selectors.memberships_list(user=user)
        assert sum(len(m.workspace.memberships.all()) for m in memberships) == 7
        assert {u.user.first_name for m in memberships for u in m.workspace.memberships.all()}


# Members.


def test_workspace_user_update_changes_the_role(user, member, workspace):
    target = WorkspaceUser.objects.get(user=member, workspace=workspace)
    services.workspace_user_update(user=user, workspace_user_id=target.id, permissions="ADMIN")
    target.refresh_from_db()
    assert target.permissions == Role.ADMIN


def test_the_last_admin_cannot_be_demoted(user, workspace):
    own = WorkspaceUser.objects.get(user=user, workspace=workspace)
    with pytest.raises(WorkspaceUserIsLastAdmin):
        services.workspace_user_update(user=user, workspace_user_id=own.id, permissions="MEMBER")


def test_workspace_user_delete_removes_another_member(user, member, workspace):
    target = WorkspaceUser.objects.get(user=member, workspace=workspace)
    services.workspace_user_delete(user=user, workspace_user_id=target.id)
    assert not WorkspaceUser.objects.filter(id=target.id).exists()


def test_an_admin_cannot_delete_themselves(user, workspace):
    own = WorkspaceUser.objects.get(user=user, workspace=workspace)
    with pytest.raises(CannotDeleteYourselfFromWorkspace):
        services.workspace_user_delete(user=user, workspace_user_id=own.id)


def test_sorts_become_order_by():
    attributes = selectors.WORKSPACE_USER_SORTS
    assert selectors.order_by_from_sorts(sorts="-name,+email", attributes=attributes) == [
        "-user__first_name",
        "user__email",
        "id",
    ]
    assert selectors.order_by_from_sorts(sorts="", attributes=attributes) == ["id"]
    with pytest.raises(InvalidSortDirection):
        selectors.order_by_from_sorts(sorts="name", attributes=attributes)
    with pytest.raises(InvalidSortAttribute):
        selectors.order_by_from_sorts(sorts="+password", attributes=attributes)


# Invitations.


def test_invitation_create_mails_a_link_with_the_token(user, workspace, mailoutbox):
    invitation = invite(user, workspace, email=" Dora@Example.com ", message="Welcome")
    assert (invitation.email, invitation.permissions, invitation.message) == (
        "dora@example.com",
        Role.MEMBER,
        "Welcome",
    )
    (mail,) = mailoutbox
    assert mail.to == ["dora@example.com"]
    assert f"{BASE_URL}/{services.invitation_token(invitation=invitation)}" in mail.body
    assert "Welcome" in mail.body


def test_inviting_again_updates_the_same_invitation(user, workspace, mailoutbox):
    first = invite(user, workspace)
    again = invite(user, workspace, email="DORA@example.com", permissions="ADMIN", message="2")
    assert again.id == first.id
    assert (again.permissions, again.message) == (Role.ADMIN, "2")
    assert WorkspaceInvitation.objects.count() == 1
    assert len(mailoutbox) == 2


def test_a_member_cannot_be_invited(user, member, workspace, mailoutbox):
    with pytest.raises(WorkspaceUserAlreadyExists):
        invite(user, workspace, email="CLEO@example.com")
    assert mailoutbox == []


def test_invitation_links_point_at_the_frontend_only(user, workspace):
    with pytest.raises(HostnameNotAllowed):
        services.invitation_create(
            user=user, workspace_id=workspace.id, email="x@example.com", base_url="http://evil.io/"
        )


def test_pending_invitations_can_be_capped(user, workspace, settings):
    settings.MAX_PENDING_WORKSPACE_INVITES = 1
    invite(user, workspace)
    invite(user, workspace, message="an update is not a new invitation")
    with pytest.raises(MaxPendingInvitationsReached):
        invite(user, workspace, email="eve@example.com")


def test_invitation_create_is_for_admins(member, workspace):
    with pytest.raises(UserInvalidWorkspacePermissions):
        invite(member, workspace)


def test_invitation_token_round_trip(invitation):
    token = services.invitation_token(invitation=invitation)
    assert services.invitation_get_by_token(token=token) == invitation


@pytest.mark.parametrize("token", ["nonsense", "1:forged", ""])
def test_a_bad_token_is_refused(invitation, token):
    with pytest.raises(BadTokenSignature):
        services.invitation_get_by_token(token=token)


def test_a_token_signed_for_something_else_is_refused(invitation):
    from django.core import signing

    token = signing.dumps(invitation.id, salt="users.reset-password")
    with pytest.raises(BadTokenSignature):
        services.invitation_get_by_token(token=token)


def test_the_token_of_a_withdrawn_invitation_names_nothing(user, invitation):
    token = services.invitation_token(invitation=invitation)
    services.invitation_delete(user=user, invitation_id=invitation.id)
    with pytest.raises(WorkspaceInvitationDoesNotExist):
        services.invitation_get_by_token(token=token)


def test_require_invitation_email(invitation):
    services.require_invitation_email(invitation=invitation, email="DORA@example.com")
    with pytest.raises(WorkspaceInvitationEmailMismatch):
        services.require_invitation_email(invitation=invitation, email="eve@example.com")


def test_invitation_accept_joins_with_the_invited_role(make_user, invitation, workspace):
    invitation.permissions = Role.ADMIN
    invitation.save()
    dora = make_user(name="Dora", email="dora@example.com")
    membership = services.invitation_accept(user=dora, invitation=invitation)
    assert (membership.workspace, membership.permissions, membership.order) == (
        workspace,
        Role.ADMIN,
        2,
    )
    assert not WorkspaceInvitation.objects.exists()


def test_accepting_keeps_an_existing_membership(user, member, workspace):
    stale = WorkspaceInvitation.objects.create(
        workspace=workspace, invited_by=user, email=member.email, permissions=Role.ADMIN
    )
    membership = services.invitation_accept(user=member, invitation=stale)
    assert membership.permissions == Role.MEMBER
    assert not WorkspaceInvitation.objects.exists()


def test_signup_with_an_invitation_token_joins_that_workspace(invitation, workspace):
    dora = user_signup(
        name="Dora",
        email="dora@example.com",
        password="password123",
        workspace_invitation_token=services.invitation_token(invitation=invitation),
    )
    assert [m.workspace for m in WorkspaceUser.objects.filter(user=dora)] == [workspace]
    assert dora.email_verified


def test_signup_with_someone_elses_invitation_is_refused(invitation):
    with pytest.raises(WorkspaceInvitationEmailMismatch):
        user_signup(
            name="Eve",
            email="eve@example.com",
            password="password123",
            workspace_invitation_token=services.invitation_token(invitation=invitation),
        )


def test_invitations_of_a_trashed_workspace_do_not_exist(user, invitation, workspace):
    services.workspace_trash(user=user, workspace_id=workspace.id)
    with pytest.raises(WorkspaceInvitationDoesNotExist):
        selectors.invitation_lookup(invitation_id=invitation.id)
