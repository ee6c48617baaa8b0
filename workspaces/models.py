"""Workspaces, their memberships and pending invitations."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"


class LiveWorkspaceManager(models.Manager["Workspace"]):
    """Trashed workspaces behave as if they did not exist."""

    def get_queryset(self) -> models.QuerySet["Workspace"]:
        return super().get_queryset().filter(trashed=False)


class Workspace(models.Model):
    name = models.CharField(max_length=165)
    created_on = models.DateTimeField(auto_now_add=True)
    trashed = models.BooleanField(default=False)

    objects_and_trash = models.Manager()
    objects = LiveWorkspaceManager()

    class Meta:
        default_manager_name = "objects"
        # Reaching a workspace through a relation still works when it is trashed; the gate and
        # the lookups check `trashed` themselves.
        base_manager_name = "objects_and_trash"

    def __str__(self) -> str:
        return self.name


class WorkspaceUser(models.Model):
    """A user's membership of a workspace, with their role and their own sort position."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_memberships"
    )
    permissions = models.CharField(max_length=32, choices=Role.choices, default=Role.MEMBER)
    order = models.PositiveIntegerField(default=0)
    created_on = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["workspace", "user"], name="unique_workspace_user"),
        )

    def __str__(self) -> str:
        return f"{self.user_id} in {self.workspace_id} ({self.permissions})"


class WorkspaceInvitation(models.Model):
    """An invitation, by email, to join a workspace with the given role."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(max_length=254)
    permissions = models.CharField(max_length=32, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(blank=True, default="")
    created_on = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["workspace", "email"], name="unique_workspace_invitation_email"
            ),
        )

    def __str__(self) -> str:
        return f"{self.email} to {self.workspace_id}"


class Notification(models.Model):
    """Something a user should know of: in a workspace, or addressed to them directly."""

    type = models.CharField(max_length=64)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # None: a direct notification, shown in every workspace of its recipients.
    workspace = models.ForeignKey(
        Workspace, null=True, on_delete=models.CASCADE, related_name="notifications"
    )
    data = models.JSONField(default=dict)
    created_on = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class NotificationRecipient(models.Model):
    """One recipient of a notification, with whether they have read it."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="recipients"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The notification's workspace, copied so the lists and counts need no join.
    workspace_id = models.BigIntegerField(null=True)
    read = models.BooleanField(default=False)
    cleared = models.BooleanField(default=False)
    created_on = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["notification", "recipient"], name="unique_notification_recipient"
            ),
        )
        indexes = (
            models.Index(
                fields=["recipient", "workspace_id"],
                condition=models.Q(read=False, cleared=False),
                name="notification_unread",
            ),
        )

    def __str__(self) -> str:
        return f"{self.notification_id} to {self.recipient_id}"
