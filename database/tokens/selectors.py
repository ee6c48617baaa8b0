"""Reads of database tokens, and what a token may reach."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from database.tables.models import Table
from database.tokens import keys
from database.tokens.errors import NoPermissionToTable, TokenDoesNotExist, TokenWorkspaceMismatch
from database.tokens.models import Operation, Token, TokenPermission
from users.models import User
from workspaces.models import WorkspaceUser
from workspaces.permissions import require_member

OPERATIONS = tuple(Operation.values)  # create, read, update, delete: the wire's key order

# Entries on a trashed database or table (or a table of a trashed database) behave as gone,
# like their target.
LIVE_PERMISSIONS = Prefetch(
    "permissions",
    queryset=TokenPermission.objects.exclude(database__trashed=True)
    .exclude(table__trashed=True)
    .exclude(table__database__trashed=True),
)


def _live_tokens() -> QuerySet[Token]:
    """Tokens whose workspace is not in the trash: a trashed workspace takes its tokens along."""
    return Token.objects.filter(workspace__trashed=False)


def token_get_by_key(*, key: str) -> Token:
    """The token with this key, with its user and workspace, or TokenDoesNotExist."""
    if not keys.is_well_formed(key):
        raise TokenDoesNotExist()
    token = (
        _live_tokens()
        .select_related("user", "workspace")
        .filter(key_hash__in=keys.key_hashes(key))
        .first()
    )
    if token is None or not keys.hash_matches(key, token.key_hash):
        raise TokenDoesNotExist()
    return token


def tokens_list(*, user: User) -> QuerySet[Token]:
    """The user's tokens in every live workspace, by id, with their permissions."""
    return _live_tokens().filter(user=user).prefetch_related(LIVE_PERMISSIONS).order_by("id")


def token_get_for_user(*, user: User, token_id: int, for_update: bool = False) -> Token:
    """One of the user's tokens: TokenDoesNotExist (also another user's), then membership."""
    queryset = _live_tokens().select_related("workspace").filter(id=token_id, user=user)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    token = queryset.first()
    if token is None:
        raise TokenDoesNotExist()
    require_member(user=user, workspace=token.workspace)
    return token


def token_permissions(*, token: Token) -> dict[str, bool | list[list]]:
    """The wire form: per operation, true, false or a list of ["database"|"table", id]."""
    result: dict[str, bool | list[list]] = dict.fromkeys(OPERATIONS, False)
    for permission in token.permissions.all():
        current = result[permission.type]
        if current is True:
            continue
        if permission.database_id is None and permission.table_id is None:
            result[permission.type] = True
        elif permission.database_id is not None:
            result[permission.type] = [*(current or []), ["database", permission.database_id]]
        else:
            result[permission.type] = [*(current or []), ["table", permission.table_id]]
    return result


def _scope_q(*, table: Table) -> Q:
    """Permission entries that cover the table: the whole workspace, its database, itself."""
    return (
        Q(database__isnull=True, table__isnull=True)
        | Q(database_id=table.database_id)
        | Q(table_id=table.id)
    )


def token_has_table_access(*, token: Token, table: Table, operations: Iterable[str]) -> bool:
    """Whether the token may run any of the operations on the table's rows."""
    if token.workspace_id != table.database.workspace_id:
        return False
    return token.permissions.filter(_scope_q(table=table), type__in=list(operations)).exists()


def token_require_member(*, token: Token) -> None:
    """The token's user must still belong to the token's workspace."""
    if not WorkspaceUser.objects.filter(
        workspace_id=token.workspace_id, user_id=token.user_id
    ).exists():
        raise TokenWorkspaceMismatch()


def token_require_table_access(*, token: Token, table: Table, operations: Iterable[str]) -> None:
    """NoPermissionToTable unless the token covers the table for one of the operations; then
    TokenWorkspaceMismatch if its user has left the workspace."""
    if not token_has_table_access(token=token, table=table, operations=operations):
        raise NoPermissionToTable()
    token_require_member(token=token)


def tables_for_token(*, token: Token) -> QuerySet[Table]:
    """Every live table of the token's workspace that any of its permissions covers."""
    token_require_member(token=token)
    entries = list(token.permissions.values_list("database_id", "table_id"))
    tables = Table.objects.filter(
        database__workspace_id=token.workspace_id,
        database__trashed=False,
        database__workspace__trashed=False,
    )
    if not any(database is None and table is None for database, table in entries):
        database_ids = [database for database, _ in entries if database is not None]
        table_ids = [table for _, table in entries if table is not None]
        tables = tables.filter(Q(database_id__in=database_ids) | Q(id__in=table_ids))
    return tables.order_by("order", "id")
