"""The one catalogue of domain event types, each with the audience it is meant for."""

from enum import StrEnum


class Audience(StrEnum):
    """Who may hear an event."""

    TABLE = "table"  # the subscribers of the table's page
    WORKSPACE = "workspace"  # every member of the workspace (at delivery), and `recipients`
    USERS = "users"  # the `recipients` only
    COWORKERS = "coworkers"  # the acting user and everyone sharing a workspace with them


# The event types of 09-other.md this server produces, named as on the wire.
EVENT_TYPES: dict[str, Audience] = {
    **dict.fromkeys(
        (
            "rows_created",
            "rows_updated",
            "rows_deleted",
            "row_orders_recalculated",
            "field_created",
            "field_updated",
            "field_deleted",
            "field_restored",
            "view_created",
            "view_updated",
            "view_deleted",
            "views_reordered",
            "view_filter_created",
            "view_filter_updated",
            "view_filter_deleted",
            "view_filter_group_created",
            "view_filter_group_updated",
            "view_filter_group_deleted",
            "view_sort_created",
            "view_sort_updated",
            "view_sort_deleted",
            "view_group_by_created",
            "view_group_by_updated",
            "view_group_by_deleted",
            "view_field_options_updated",
            "force_view_rows_refresh",
        ),
        Audience.TABLE,
    ),
    **dict.fromkeys(
        (
            "application_created",
            "application_updated",
            "application_deleted",
            "applications_reordered",
            "table_created",
            "table_updated",
            "table_deleted",
            "tables_reordered",
            "group_updated",
            "group_user_added",
            "group_user_updated",
            "group_user_deleted",
        ),
        Audience.WORKSPACE,
    ),
    **dict.fromkeys(
        (
            "group_created",
            "group_deleted",
            "group_restored",
            "groups_reordered",
            "workspace_invitation_updated_or_created",
            "workspace_invitation_accepted",
            "workspace_invitation_rejected",
            "user_permanently_deleted",
        ),
        Audience.USERS,
    ),
    **dict.fromkeys(("user_updated", "user_deleted", "user_restored"), Audience.COWORKERS),
}
