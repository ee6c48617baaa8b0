"""The `webhook_deactivated` notification to the admins of the webhook's workspace."""

from webhooks.models import TableWebhook
from workspaces.models import WorkspaceUser
from workspaces.notifications import notification_create

WEBHOOK_DEACTIVATED = "webhook_deactivated"


def notify_deactivated(webhook: TableWebhook) -> None:
    """Tell the workspace's admins that the webhook stopped after failing too often."""
    table = webhook.table
    workspace = table.database.workspace
    admins = WorkspaceUser.objects.filter(workspace=workspace, permissions="ADMIN")
    notification_create(
        type=WEBHOOK_DEACTIVATED,
        recipients=[membership.user for membership in admins.select_related("user")],
        workspace=workspace,
        data={
            "webhook_id": webhook.id,
            "table_id": table.id,
            "database_id": table.database_id,
            "webhook_name": webhook.name,
        },
    )
