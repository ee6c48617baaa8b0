"""Domain exceptions of workspaces, memberships and invitations."""


class WorkspaceDoesNotExist(Exception):
    """No such workspace, or it is in the trash."""


class UserNotInWorkspace(Exception):
    """The user is not a member of the workspace."""


class UserInvalidWorkspacePermissions(Exception):
    """The user is a member, but their role does not allow the operation."""


class WorkspaceAlreadyTrashed(Exception):
    """The workspace was moved to the trash before this deletion could."""


class WorkspaceUserIsLastAdmin(Exception):
    """The operation would leave the workspace without an admin."""


class WorkspaceUserDoesNotExist(Exception):
    """No such membership, or its workspace is in the trash."""


class CannotDeleteYourselfFromWorkspace(Exception):
    """Admins remove others; leaving is a separate operation."""


class WorkspaceUserAlreadyExists(Exception):
    """The invited email belongs to a member already."""


class MaxPendingInvitationsReached(Exception):
    """The workspace has as many pending invitations as the instance allows."""


class WorkspaceInvitationDoesNotExist(Exception):
    """No such invitation, or its workspace is in the trash."""


class WorkspaceInvitationEmailMismatch(Exception):
    """The invitation is addressed to another email than the user's."""


class InvalidSortDirection(Exception):
    """A `sorts` entry does not start with '+' or '-'."""


class InvalidSortAttribute(Exception):
    """A `sorts` entry names an attribute that cannot be sorted by."""


class OperationDenied(Exception):
    """The instance's settings do not allow this user the operation."""


class NotificationDoesNotExist(Exception):
    """No such notification for this user."""
