"""The `webhook_deactivated` notification to the admins of the webhook's workspace."""

from webhooks.models import TableWebhook
from workspaces.models import WorkspaceUser
from workspaces.notifications import notification_create

WEBHOOK_DEACTIVATED = "webhook_deactivated"
WEBHOOK_PAYLOAD_TOO_LARGE = "webhook_payload_too_large"


def _notify_admins(webhook: TableWebhook, type: str, **data: object) -> None:
    table = webhook.table
    workspace = table.database.workspace
    admins = WorkspaceUser.objects.filter(workspace=workspace, permissions="ADMIN")
    notification_create(
        type=type,
        recipients=[membership.user for membership in admins.select_related("user")],
        workspace=workspace,
        data={
            "webhook_id": webhook.id,
            "table_id": table.id,
            "database_id": table.database_id,
            "webhook_name": webhook.name,
            **data,
        },
    )


def notify_deactivated(webhook: TableWebhook) -> None:
    """Tell the workspace's admins that the webhook stopped after failing too often."""
    _notify_admins(webhook, WEBHOOK_DEACTIVATED)


def notify_payload_too_large(webhook: TableWebhook, *, event_id: str, batch_limit: int) -> None:
    """Tell the workspace's admins that an event's rows beyond the batch limit were not sent."""
    _notify_admins(webhook, WEBHOOK_PAYLOAD_TOO_LARGE, event_id=event_id, batch_limit=batch_limit)
