"""Reads of workspaces, memberships and invitations; every gated read starts at require_member."""

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from core import operations
from users.models import User
from users.services import normalize_email
from workspaces.errors import (
    InvalidSortAttribute,
    InvalidSortDirection,
    WorkspaceDoesNotExist,
    WorkspaceInvitationDoesNotExist,
    WorkspaceUserDoesNotExist,
)
from workspaces.models import (
    NotificationRecipient,
    Workspace,
    WorkspaceInvitation,
    WorkspaceUser,
)
from workspaces.permissions import permission_objects, require_member

# Every member of each listed workspace, with their account, in two queries whatever the count.
MEMBERS_PREFETCH = Prefetch(
    "workspace__memberships",
    queryset=WorkspaceUser.objects.select_related("user").order_by("id"),
)
WORKSPACE_USER_SORTS = {
    "name": "user__first_name",
    "email": "user__email",
    "role_uid": "permissions",
}
INVITATION_SORTS = {"email": "email", "message": "message"}


def order_by_from_sorts(*, sorts: str, attributes: dict[str, str]) -> list[str]:
    """Turn `-name,+email` into order_by() arguments, ending with the id as tie-breaker."""
    order_by = []
    for entry in filter(None, sorts.split(",")):
        direction, name = entry[0], entry[1:]
        if direction not in ("+", "-"):
            raise InvalidSortDirection()
        if name not in attributes:
            raise InvalidSortAttribute()
        order_by.append(f"{'-' if direction == '-' else ''}{attributes[name]}")
    return [*order_by, "id"]


def workspace_get(*, workspace_id: int) -> Workspace:
    """A live workspace by id. Ungated: callers pass it to require_member."""
    workspace = Workspace.objects.filter(id=workspace_id).first()
    if workspace is None:
        raise WorkspaceDoesNotExist()
    return workspace


def workspace_user_lookup(*, workspace_user_id: int) -> WorkspaceUser:
    """A membership of a live workspace. Ungated: callers pass its workspace to require_member."""
    membership = (
        WorkspaceUser.objects.select_related("workspace", "user")
        .filter(id=workspace_user_id, workspace__trashed=False)
        .first()
    )
    if membership is None:
        raise WorkspaceUserDoesNotExist()
    return membership


def invitation_lookup(*, invitation_id: int) -> WorkspaceInvitation:
    """An invitation to a live workspace, annotated with whether its email has an account.

    Ungated: callers check membership, or the email for the invitee.
    """
    invitation = (
        WorkspaceInvitation.objects.select_related("workspace", "invited_by")
        .annotate(email_exists=Exists(User.objects.filter(username=OuterRef("email"))))
        .filter(id=invitation_id, workspace__trashed=False)
        .first()
    )
    if invitation is None:
        raise WorkspaceInvitationDoesNotExist()
    return invitation


def memberships_list(*, user: User) -> list[WorkspaceUser]:
    """The user's memberships of live workspaces, in the user's own order, members prefetched."""
    unread = (
        NotificationRecipient.objects.filter(
            recipient_id=OuterRef("user_id"),
            workspace_id=OuterRef("workspace_id"),
            read=False,
            cleared=False,
        )
        .values("recipient_id")
        .annotate(count=Count("id"))
        .values("count")
    )
    return list(
        WorkspaceUser.objects.filter(user=user, workspace__trashed=False)
        .annotate(unread_notifications_count=Coalesce(Subquery(unread), 0))
        .select_related("workspace")
        .prefetch_related(MEMBERS_PREFETCH)
        .order_by("order", "workspace_id")
    )


def membership_with_members(*, membership: WorkspaceUser) -> WorkspaceUser:
    """Load the members of the membership's workspace, ready for the workspace shape."""
    prefetch_related_objects([membership], MEMBERS_PREFETCH)
    return membership


def workspace_permissions(*, user: User, workspace_id: int) -> list[dict]:
    """What the user may do in the workspace, one object per permission manager."""
    membership = require_member(user=user, workspace=workspace_get(workspace_id=workspace_id))
    return permission_objects(user=user, membership=membership)


def workspace_users_list(
    *, user: User, workspace_id: int, search: str = "", sorts: str = ""
) -> QuerySet[WorkspaceUser]:
    """The workspace's members (admins only), filtered by username/email and sorted."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace, operation=operations.WORKSPACE_LIST_USERS)
    order_by = order_by_from_sorts(sorts=sorts, attributes=WORKSPACE_USER_SORTS)
    members = WorkspaceUser.objects.filter(workspace=workspace).select_related("user")
    if search:
        members = members.filter(
            Q(user__username__icontains=search) | Q(user__email__icontains=search)
        )
    return members.order_by(*order_by)


def invitations_list(
    *, user: User, workspace_id: int, search: str = "", sorts: str = ""
) -> QuerySet[WorkspaceInvitation]:
    """The workspace's pending invitations (admins only), filtered by email/message and sorted."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace, operation=operations.WORKSPACE_LIST_INVITATIONS)
    order_by = order_by_from_sorts(sorts=sorts, attributes=INVITATION_SORTS)
    invitations = WorkspaceInvitation.objects.filter(workspace=workspace)
    if search:
        invitations = invitations.filter(Q(email__icontains=search) | Q(message__icontains=search))
    return invitations.order_by(*order_by)


def invitation_get(*, user: User, invitation_id: int) -> WorkspaceInvitation:
    """One invitation, for the admins of its workspace."""
    invitation = invitation_lookup(invitation_id=invitation_id)
    require_member(user=user, workspace=invitation.workspace, operation=operations.INVITATION_READ)
    return invitation


def invitations_for_user(*, user: User) -> QuerySet[WorkspaceInvitation]:
    """The pending invitations addressed to the user's email."""
    return (
        WorkspaceInvitation.objects.filter(
            email=normalize_email(user.email), workspace__trashed=False
        )
        .select_related("workspace", "invited_by")
        .order_by("id")
    )
