"""Creating, changing and deleting a table's webhooks; reads of them for members."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from database.fields.models import Field
from database.tables.models import Table
from database.tables.selectors import table_get_for_user
from database.views.models import View
from users.models import User
from webhooks.errors import (
    WebhookDoesNotExist,
    WebhookEventConfigFieldNotInTable,
    WebhookEventConfigViewNotInTable,
    WebhookMaxLimitExceeded,
)
from webhooks.models import TableWebhook, TableWebhookCall, TableWebhookEvent
from webhooks.presence import forget_table
from workspaces.permissions import require_member

SIMPLE_ATTRIBUTES = (
    "name",
    "url",
    "request_method",
    "include_all_events",
    "use_user_field_names",
    "active",
    "headers",
)


def _with_relations(webhooks: QuerySet[TableWebhook]) -> QuerySet[TableWebhook]:
    calls = TableWebhookCall.objects.order_by("-called_time", "-id")
    return webhooks.prefetch_related(
        "events__fields", "events__views", Prefetch("calls", queryset=calls)
    )


def webhooks_list(*, user: User, table_id: int) -> list[TableWebhook]:
    """The table's webhooks with their events and last calls, for its workspace's members."""
    table = table_get_for_user(user=user, table_id=table_id)
    return list(_with_relations(TableWebhook.objects.filter(table=table)))


def webhook_get_for_user(*, user: User, webhook_id: int) -> TableWebhook:
    """One webhook with its events and last calls, for the members of its table's workspace."""
    webhooks = TableWebhook.objects.select_related("table__database__workspace")
    webhook = _with_relations(webhooks).filter(id=webhook_id).first()
    if webhook is None:
        raise WebhookDoesNotExist()
    require_member(user=user, workspace=webhook.table.database.workspace)
    return webhook


def _set_events(
    webhook: TableWebhook, events: list[str] | None, config: list[dict[str, Any]] | None
) -> None:
    """Replace the event types (when given), then narrow them to the configured fields/views."""
    if events is not None:
        webhook.events.exclude(event_type__in=events).delete()
        known = set(webhook.events.values_list("event_type", flat=True))
        TableWebhookEvent.objects.bulk_create(
            TableWebhookEvent(webhook=webhook, event_type=event_type)
            for event_type in dict.fromkeys(events)
            if event_type not in known
        )
    if not config:
        return
    by_type = {event.event_type: event for event in webhook.events.all()}
    for item in config:
        event = by_type.get(item["event_type"])
        if event is None:
            continue  # a config for an event the webhook does not listen to
        field_ids = item.get("fields", [])
        fields = {
            f.id: f for f in Field.objects.filter(table_id=webhook.table_id, id__in=field_ids)
        }
        for field_id in field_ids:
            if field_id not in fields:
                raise WebhookEventConfigFieldNotInTable(field_id)
        view_ids = item.get("views", [])
        views = {v.id: v for v in View.objects.filter(table_id=webhook.table_id, id__in=view_ids)}
        for view_id in view_ids:
            if view_id not in views:
                raise WebhookEventConfigViewNotInTable(view_id)
        event.fields.set(fields.values())
        event.views.set(views.values())


@transaction.atomic
def webhook_create(
    *,
    user: User,
    table_id: int,
    events: list[str] | None = None,
    event_config: list[dict[str, Any]] | None = None,
    **values: Any,
) -> TableWebhook:
    """A new webhook of the table; at most `WEBHOOKS_MAX_PER_TABLE` per table."""
    table = table_get_for_user(user=user, table_id=table_id)
    # The table's row, locked: two creations at once cannot both pass the limit.
    Table.objects.select_for_update().filter(id=table.id).exists()
    limit = settings.WEBHOOKS_MAX_PER_TABLE
    if TableWebhook.objects.filter(table=table).count() >= limit:
        raise WebhookMaxLimitExceeded(limit)
    values = {key: value for key, value in values.items() if key in SIMPLE_ATTRIBUTES}
    webhook = TableWebhook.objects.create(table=table, **values)
    _set_events(webhook, [] if events is None else events, event_config)
    forget_table(table.id)
    return webhook_get_for_user(user=user, webhook_id=webhook.id)


@transaction.atomic
def webhook_update(
    *,
    user: User,
    webhook_id: int,
    events: list[str] | None = None,
    event_config: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> TableWebhook:
    """Change a webhook; turning it active again forgets its failed calls."""
    webhook = webhook_get_for_user(user=user, webhook_id=webhook_id)
    webhook = TableWebhook.objects.select_for_update().get(id=webhook.id)
    for key, value in changes.items():
        if key in SIMPLE_ATTRIBUTES:
            setattr(webhook, key, value)
    if changes.get("active") is True:
        webhook.failed_triggers = 0
    webhook.save()
    _set_events(webhook, events, event_config)
    forget_table(webhook.table_id)
    return webhook_get_for_user(user=user, webhook_id=webhook.id)


@transaction.atomic
def webhook_delete(*, user: User, webhook_id: int) -> None:
    """Delete a webhook with its events and call log."""
    webhook = webhook_get_for_user(user=user, webhook_id=webhook_id)
    forget_table(webhook.table_id)
    webhook.delete()


def table_for_test_call(*, user: User, table_id: int) -> Table:
    """The table a test call is made for, for its workspace's members."""
    return table_get_for_user(user=user, table_id=table_id)
