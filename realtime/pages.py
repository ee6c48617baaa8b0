"""The pages a socket subscribes to: table, row and (public) view, each checked on subscribe."""

from dataclasses import dataclass
from typing import Any

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from database.rows.errors import RowDoesNotExist
from database.rows.selectors import rows_get
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from database.tables.selectors import table_get
from database.views import errors as view_errors
from database.views.public import public_view_for
from database.views.registry import view_types
from realtime.broadcast import row_group, table_group, view_group
from users.models import User
from users.selectors import user_by_id
from users.tokens import issued_before_password_change
from workspaces.errors import UserNotInWorkspace, WorkspaceDoesNotExist

DENIED = (
    TableDoesNotExist,
    UserNotInWorkspace,
    WorkspaceDoesNotExist,
    RowDoesNotExist,
    view_errors.ViewDoesNotExist,
)


def authenticated_user(token: str) -> User | None:
    """The active user a JWT access token names, else None (the socket stays anonymous)."""
    try:
        validated = AccessToken(token)
    except TokenError:
        return None
    user = user_by_id(validated.get("user_id"))
    if user is None or not user.is_active or issued_before_password_change(validated, user):
        return None
    return user


@dataclass(frozen=True)
class Page:
    name: str
    parameters: dict[str, Any]
    group: str
    workspace_id: int | None  # the workspace whose membership the page needs (None: public)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _member_table(user: User | None, table_id: int | None) -> Table | None:
    if user is None or table_id is None:
        return None
    try:
        return table_get(table_id=table_id, member=user)
    except DENIED:
        return None


class TablePage:
    name = "table"

    @staticmethod
    def parameters_of(content: dict) -> dict[str, Any]:
        return {"table_id": content.get("table_id")}

    @classmethod
    def resolve(cls, user: User | None, content: dict) -> Page | None:
        table = _member_table(user, _int(content.get("table_id")))
        if table is None:
            return None
        return Page(
            cls.name, cls.parameters_of(content), table_group(table.id), table.database.workspace_id
        )


class RowPage:
    name = "row"

    @staticmethod
    def parameters_of(content: dict) -> dict[str, Any]:
        return {"table_id": content.get("table_id"), "row_id": content.get("row_id")}

    @classmethod
    def resolve(cls, user: User | None, content: dict) -> Page | None:
        table = _member_table(user, _int(content.get("table_id")))
        row_id = _int(content.get("row_id"))
        if table is None or row_id is None:
            return None
        try:
            rows_get(table=table, row_ids=[row_id])
        except RowDoesNotExist:
            return None
        group = row_group(table.id, row_id)
        return Page(cls.name, cls.parameters_of(content), group, table.database.workspace_id)


class PublicViewPage:
    name = "view"

    @staticmethod
    def parameters_of(content: dict) -> dict[str, Any]:
        parameters = {"slug": content.get("slug")}
        if content.get("token") is not None:
            parameters["token"] = content["token"]
        return parameters

    @classmethod
    def resolve(cls, user: User | None, content: dict) -> Page | None:
        slug, token = content.get("slug"), content.get("token")
        if not isinstance(slug, str) or not (token is None or isinstance(token, str)):
            return None
        try:
            view = public_view_for(slug=slug, token=token)
        except (view_errors.ViewDoesNotExist, view_errors.NoAuthorizationToPubliclySharedView):
            return None
        if not view_types.get(view.type).public_realtime:
            return None  # a form: nothing of the table is sent live to its visitors
        return Page(cls.name, cls.parameters_of(content), view_group(view.id), None)


PAGES = {page.name: page for page in (TablePage, RowPage, PublicViewPage)}
