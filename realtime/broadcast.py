"""The event subscriber that fans committed events out to websockets, through the hubs."""

import json

from events.bus import Event
from events.catalogue import Audience
from realtime import hub
from realtime.public_views import public_view_payloads
from workspaces.models import WorkspaceUser

# Events after which their recipients lose the workspace's pages (see `CoreConsumer`).
REMOVALS = {"group_user_deleted", "group_deleted"}


def table_group(table_id: int) -> str:
    return f"table-{table_id}"


def row_group(table_id: int, row_id: int) -> str:
    return f"table-{table_id}-row-{row_id}"


def view_group(view_id: int) -> str:
    return f"view-{view_id}"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def _user_ids(event: Event) -> set[int]:
    if event.audience == Audience.WORKSPACE:
        members = WorkspaceUser.objects.filter(workspace_id=event.workspace_id)
        return {*members.values_list("user_id", flat=True), *event.recipients}
    if event.audience == Audience.COWORKERS:
        shared = WorkspaceUser.objects.filter(
            workspace__memberships__user_id=event.user_id
        ).values_list("user_id", flat=True)
        return {event.user_id, *shared}
    return set(event.recipients)


def groups_of(event: Event) -> list[str]:
    """The channel layer groups an event goes to."""
    if event.audience == Audience.TABLE:
        return [table_group(event.table_id)]
    return [user_group(user_id) for user_id in sorted(_user_ids(event))]


def broadcast(event: Event) -> None:
    """Send the event's payload to its audience's sockets (the sender's own socket skips it),
    and what public views of the table may show of it to their pages."""

    # Each payload is encoded once (shared with the other subscribers), not once per socket or
    # per process.
    text = event.payload_json
    ignore = event.websocket_id
    messages = [
        {"type": "event.message", "group": group, "text": text, "ignore": ignore}
        for group in groups_of(event)
    ]
    for view_id, payload in public_view_payloads(event):
        messages.append(
            {
                "type": "event.message",
                "group": view_group(view_id),
                "text": json.dumps(payload),
                "ignore": ignore,
            }
        )
    if event.type in REMOVALS:
        messages += [
            {
                "type": "workspace.left",
                "group": user_group(user_id),
                "workspace_id": event.workspace_id,
            }
            for user_id in event.recipients
        ]
    hub.publish(messages)
