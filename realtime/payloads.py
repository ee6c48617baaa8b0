"""The wire payload of each event type (09-other.md), built with the REST API's serializers."""

import hashlib
from collections.abc import Callable
from typing import Any

from database.applications.selectors import TABLES_PREFETCH
from database.applications.serializers import ApplicationSerializer
from database.fields.serializers import field_to_json
from database.rows.params import table_fields
from database.rows.values import rows_to_json
from database.tables.serializers import TableSerializer
from database.views.serializers import (
    filter_group_json,
    filter_json,
    group_by_json,
    sort_json,
    view_to_json,
)
from events.bus import Event, register_payload
from users.serializers import PublicUserSerializer
from workspaces.serializers import (
    UserWorkspaceInvitationSerializer,
    WorkspaceSerializer,
    WorkspaceUserSerializer,
)

# What a view object carries in events, as Baserow sends it.
VIEW_INCLUDES = {"filters", "sortings", "decorations", "group_bys"}


def hashed(value: Any) -> str:
    """Baserow's `generate_hash`: ids of objects a member may not see are sent hashed."""
    return hashlib.sha256(str(value).encode()).hexdigest()


def _rows(event: Event) -> list[dict[str, Any]]:
    model = event.subjects["model"]
    return rows_to_json(event.subjects["rows"], table_fields(model))


def _fields(event: Event) -> list[dict[str, Any]]:
    return [field_to_json(field) for field in event.subjects["related_fields"]]


def _application(event: Event) -> dict[str, Any]:
    application = type(event.subjects["application"]).objects.prefetch_related(TABLES_PREFETCH)
    return ApplicationSerializer(application.get(id=event.subjects["application"].id)).data


def _item(key: str, to_json: Callable[[Any], dict]) -> tuple[Callable, Callable, Callable]:
    """Builders of the created, updated and deleted events of a view's filter, sort..."""
    return (
        lambda e: {key: to_json(e.subjects["item"])},
        lambda e: {f"{key}_id": e.subjects["item"].id, key: to_json(e.subjects["item"])},
        lambda e: {"view_id": e.subjects["view_id"], f"{key}_id": e.subjects["item_id"]},
    )


BUILDERS: dict[str, Callable[[Event], dict[str, Any]]] = {
    "rows_created": lambda e: {
        "table_id": e.table_id,
        "rows": _rows(e),
        "metadata": {},
        "before_row_id": e.subjects["before_id"],
    },
    "rows_updated": lambda e: {
        "table_id": e.table_id,
        "rows_before_update": e.subjects["rows_before"],
        "rows": _rows(e),
        "metadata": {},
        "updated_field_ids": e.subjects["updated_field_ids"],
    },
    "rows_deleted": lambda e: {
        "table_id": e.table_id,
        "row_ids": e.subjects["row_ids"],
        "rows": e.subjects["rows"],
    },
    "row_orders_recalculated": lambda e: {"table_id": e.table_id},
    "field_created": lambda e: {
        "field": field_to_json(e.subjects["field"]),
        "related_fields": _fields(e),
    },
    "field_updated": lambda e: {
        "field_id": e.subjects["field"].id,
        "field": field_to_json(e.subjects["field"]),
        "related_fields": _fields(e),
    },
    "field_restored": lambda e: {
        "field": field_to_json(e.subjects["field"]),
        "related_fields": _fields(e),
    },
    "field_deleted": lambda e: {
        "field_id": e.subjects["field_id"],
        "table_id": e.table_id,
        "related_fields": _fields(e),
    },
    "view_created": lambda e: {"view": view_to_json(e.subjects["view"], VIEW_INCLUDES)},
    "view_updated": lambda e: {
        "view_id": e.subjects["view"].id,
        "view": view_to_json(e.subjects["view"]),
    },
    "view_deleted": lambda e: {"table_id": e.table_id, "view_id": e.subjects["view_id"]},
    "views_reordered": lambda e: {"table_id": e.table_id, "order": e.subjects["order"]},
    "view_field_options_updated": lambda e: {
        "view_id": e.subjects["view_id"],
        "field_options": e.subjects["field_options"],
    },
    "force_view_rows_refresh": lambda e: {"view_id": e.subjects["view_id"]},
    "table_created": lambda e: {"table": TableSerializer(e.subjects["table"]).data},
    "table_updated": lambda e: {
        "table_id": e.subjects["table"].id,
        "table": TableSerializer(e.subjects["table"]).data,
        "force_table_refresh": False,
    },
    "table_deleted": lambda e: {
        "database_id": e.subjects["database_id"],
        "table_id": e.table_id,
    },
    "tables_reordered": lambda e: {
        "database_id": hashed(e.subjects["database_id"]),
        "order": [hashed(table_id) for table_id in e.subjects["order"]],
    },
    "application_created": lambda e: {"application": _application(e)},
    "application_updated": lambda e: {
        "application_id": e.subjects["application"].id,
        "application": _application(e),
    },
    "application_deleted": lambda e: {"application_id": e.subjects["application_id"]},
    "applications_reordered": lambda e: {
        "workspace_id": e.workspace_id,
        "order": [hashed(application_id) for application_id in e.subjects["order"]],
    },
    "group_created": lambda e: {"workspace": WorkspaceSerializer(e.subjects["workspace"]).data},
    "group_updated": lambda e: {
        "workspace_id": e.workspace_id,
        "workspace": WorkspaceSerializer(e.subjects["workspace"]).data,
    },
    "group_deleted": lambda e: {"workspace_id": e.workspace_id},
    "group_restored": lambda e: {
        "workspace": WorkspaceSerializer(e.subjects["workspace"]).data,
        "applications": ApplicationSerializer(
            e.subjects["workspace"]
            .applications.filter(trashed=False)
            .prefetch_related(TABLES_PREFETCH),
            many=True,
        ).data,
    },
    "groups_reordered": lambda e: {"workspace_ids": e.subjects["workspace_ids"]},
    **{
        event_type: lambda e: {
            "id": e.subjects["workspace_user"].id,
            "workspace_id": e.workspace_id,
            "workspace_user": WorkspaceUserSerializer(e.subjects["workspace_user"]).data,
        }
        for event_type in ("group_user_added", "group_user_updated", "group_user_deleted")
    },
    **{
        event_type: lambda e: {
            "invitation": UserWorkspaceInvitationSerializer(e.subjects["invitation"]).data
        }
        for event_type in (
            "workspace_invitation_updated_or_created",
            "workspace_invitation_accepted",
            "workspace_invitation_rejected",
        )
    },
    **dict.fromkeys(
        ("user_updated", "user_deleted", "user_restored"),
        lambda e: {"user": PublicUserSerializer(e.subjects["subject"]).data},
    ),
    "user_permanently_deleted": lambda e: {"user_id": e.subjects["subject_id"]},
}
for _key, _to_json in (
    ("view_filter", filter_json),
    ("view_filter_group", filter_group_json),
    ("view_sort", sort_json),
    ("view_group_by", group_by_json),
):
    BUILDERS.update(
        zip(
            (f"{_key}_created", f"{_key}_updated", f"{_key}_deleted"),
            _item(_key, _to_json),
            strict=True,
        )
    )


def register_payloads() -> None:
    """Register every builder with the event bus (once, at app start)."""
    for event_type, builder in BUILDERS.items():
        register_payload(event_type, builder)
