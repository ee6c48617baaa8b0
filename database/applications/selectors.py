"""Reads of applications; every gated read starts at require_member."""

from django.db.models import Prefetch, QuerySet

from database.applications.errors import ApplicationDoesNotExist
from database.applications.models import Application, ApplicationType
from users.models import User
from workspaces.permissions import require_member
from workspaces.selectors import workspace_get

# The tables of every listed database in one more query, whatever the count. (Through the
# relation, as the tables layer sits above this one.)
TABLES_PREFETCH = Prefetch(
    "tables",
    queryset=Application._meta.get_field("tables").related_model.objects.order_by("order", "id"),
)


def _live() -> QuerySet[Application]:
    return Application.objects.filter(workspace__trashed=False).select_related("workspace")


def application_get(*, application_id: int) -> Application:
    """A live application with its workspace. Ungated: callers pass it to require_member."""
    application = _live().filter(id=application_id).first()
    if application is None:
        raise ApplicationDoesNotExist()
    return application


def database_get(*, database_id: int) -> Application:
    """A live application of type database. Ungated: callers pass it to require_member."""
    database = _live().filter(id=database_id, type=ApplicationType.DATABASE).first()
    if database is None:
        raise ApplicationDoesNotExist()
    return database


def application_get_for_user(*, user: User, application_id: int) -> Application:
    """One application with its tables, for the members of its workspace."""
    application = application_get(application_id=application_id)
    require_member(user=user, workspace=application.workspace)
    return application


def applications_list(*, user: User) -> QuerySet[Application]:
    """The applications of all the user's live workspaces: by workspace id, then order."""
    return (
        _live()
        .filter(workspace__memberships__user=user)
        .prefetch_related(TABLES_PREFETCH)
        .order_by("workspace_id", "order", "id")
    )


def applications_list_for_workspace(*, user: User, workspace_id: int) -> QuerySet[Application]:
    """The applications of one workspace, for its members, by order."""
    workspace = workspace_get(workspace_id=workspace_id)
    require_member(user=user, workspace=workspace)
    return (
        Application.objects.filter(workspace=workspace)
        .select_related("workspace")
        .prefetch_related(TABLES_PREFETCH)
        .order_by("order", "id")
    )
