"""Request bodies and the wire shapes of workspaces, members and invitations."""

from rest_framework import serializers

from workspaces.models import Role, Workspace, WorkspaceInvitation, WorkspaceUser
from workspaces.notifications import unread_counts_by_workspace

# Input.


class WorkspaceNameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=165)


class WorkspacesOrderSerializer(serializers.Serializer):
    # Ids are 64-bit: a bigger number is refused rather than overflow the database's integer.
    workspaces = serializers.ListField(
        child=serializers.IntegerField(min_value=-(2**63), max_value=2**63 - 1), max_length=10_000
    )


class PermissionsSerializer(serializers.Serializer):
    permissions = serializers.ChoiceField(choices=Role.choices)


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    permissions = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)
    message = serializers.CharField(required=False, allow_blank=True, default="")
    base_url = serializers.URLField()


class ListQuerySerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, default="")
    sorts = serializers.CharField(required=False, allow_blank=True, default="")


# Output.


class WorkspaceUserSerializer(serializers.Serializer):
    """A member of a workspace; `id` is the membership's id, `user_id` the account's."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="user.first_name")
    email = serializers.CharField(source="user.email")
    workspace = serializers.IntegerField(source="workspace_id")
    permissions = serializers.CharField()
    created_on = serializers.DateTimeField()
    user_id = serializers.IntegerField()
    to_be_deleted = serializers.BooleanField(source="user.to_be_deleted")


class WorkspaceUserWorkspaceSerializer(serializers.Serializer):
    """A workspace as one of its members sees it: their `order` and `permissions`, all members."""

    id = serializers.IntegerField(source="workspace.id")
    name = serializers.CharField(source="workspace.name")
    users = WorkspaceUserSerializer(source="workspace.memberships.all", many=True)
    order = serializers.IntegerField()
    permissions = serializers.CharField()
    unread_notifications_count = serializers.SerializerMethodField()
    generative_ai_models_enabled = serializers.SerializerMethodField()

    def get_unread_notifications_count(self, membership: WorkspaceUser) -> int:
        # Annotated by the workspaces list; counted here for a single workspace.
        count = getattr(membership, "unread_notifications_count", None)
        if count is None:
            ids = [membership.workspace_id]
            count = unread_counts_by_workspace(user_id=membership.user_id, workspace_ids=ids)
            count = count.get(membership.workspace_id, 0)
        return count

    def get_generative_ai_models_enabled(self, membership: WorkspaceUser) -> dict:
        return {}  # no AI provider is configured on this server


class WorkspaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    generative_ai_models_enabled = serializers.SerializerMethodField()

    def get_generative_ai_models_enabled(self, workspace: Workspace) -> dict:
        return {}  # no AI provider is configured on this server


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    workspace = serializers.IntegerField(source="workspace_id")
    email = serializers.EmailField()
    permissions = serializers.CharField()
    message = serializers.CharField()
    created_on = serializers.DateTimeField()


class UserWorkspaceInvitationSerializer(serializers.Serializer):
    """An invitation as its addressee sees it: names instead of ids."""

    id = serializers.IntegerField()
    invited_by = serializers.CharField(source="invited_by.first_name")
    workspace = serializers.CharField(source="workspace.name")
    email = serializers.EmailField()
    message = serializers.CharField()
    created_on = serializers.DateTimeField()
    email_exists = serializers.SerializerMethodField()

    def get_email_exists(self, invitation: WorkspaceInvitation) -> bool | None:
        # Known only where the lookup annotated it (the public token endpoint).
        return getattr(invitation, "email_exists", None)


class PermissionManagerSerializer(serializers.Serializer):
    """What one permission manager allows, in that manager's own shape (a list of operation
    names, an object, or false): see core/operations.py."""

    name = serializers.CharField()
    permissions = serializers.JSONField()


class DashboardSerializer(serializers.Serializer):
    workspace_invitations = UserWorkspaceInvitationSerializer(many=True)


class NotificationSenderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()


class NotificationSerializer(serializers.Serializer):
    """A notification as its recipient sees it (a `NotificationRecipient` row)."""

    id = serializers.IntegerField(source="notification_id")
    type = serializers.CharField(source="notification.type")
    sender = NotificationSenderSerializer(source="notification.sender", allow_null=True)
    workspace = serializers.SerializerMethodField()
    created_on = serializers.DateTimeField(source="notification.created_on")
    read = serializers.BooleanField()
    data = serializers.JSONField(source="notification.data")

    def get_workspace(self, row) -> dict | None:
        return {"id": row.workspace_id} if row.workspace_id else None


class PageOfNotificationsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NotificationSerializer(many=True)


class NotificationUpdateSerializer(serializers.Serializer):
    read = serializers.BooleanField()
