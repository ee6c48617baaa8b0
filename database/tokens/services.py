"""Writes of database tokens; each starts at the membership gate of the token's workspace."""

from django.db import IntegrityError, transaction

from database.applications.models import Application
from database.tables.models import Table
from database.tokens import keys
from database.tokens.errors import DatabaseNotInTokenWorkspace, TableNotInTokenWorkspace
from database.tokens.models import Token, TokenPermission
from database.tokens.selectors import OPERATIONS, token_get_for_user
from users.models import User
from workspaces.models import Workspace
from workspaces.permissions import require_member

# Per operation: True (every table of the workspace), False, or databases and tables.
Scope = bool | list[Application | Table]
Permissions = dict[str, Scope]

EVERYTHING: Permissions = dict.fromkeys(OPERATIONS, True)
KEY_ATTEMPTS = 5


def _give_new_key(token: Token) -> None:
    """Draw a key no token has (a clash of 190 random bits is not expected, but is handled)."""
    for _ in range(KEY_ATTEMPTS):
        key = keys.new_key()
        key_hash = keys.key_hash(key)
        if not Token.objects.filter(key_hash=key_hash).exists():
            token.key_hash, token.key_encrypted = key_hash, keys.encrypt_key(key)
            return
    raise IntegrityError("No unused token key was drawn.")


def _permission_rows(token: Token, permissions: Permissions) -> list[TokenPermission]:
    """The entries that express the permissions, each once, after checking every target
    belongs to the token's workspace."""
    rows: dict[tuple, TokenPermission] = {}
    for operation in OPERATIONS:
        scope = permissions[operation]
        if scope is True:
            rows[(operation, None, None)] = TokenPermission(token=token, type=operation)
            continue
        for target in scope or []:
            if isinstance(target, Table):
                if target.database.workspace_id != token.workspace_id:
                    raise TableNotInTokenWorkspace()
                entry = TokenPermission(token=token, type=operation, table=target)
            else:
                if target.workspace_id != token.workspace_id:
                    raise DatabaseNotInTokenWorkspace()
                entry = TokenPermission(token=token, type=operation, database=target)
            rows.setdefault((operation, entry.database_id, entry.table_id), entry)
    return list(rows.values())


def _set_permissions(token: Token, permissions: Permissions) -> None:
    rows = _permission_rows(token, permissions)
    TokenPermission.objects.filter(token=token).delete()
    TokenPermission.objects.bulk_create(rows)


@transaction.atomic
def token_create(*, user: User, workspace: Workspace, name: str) -> Token:
    """A new token of the user for the workspace, allowed every operation on every table."""
    require_member(user=user, workspace=workspace)
    token = Token(name=name, user=user, workspace=workspace)
    _give_new_key(token)
    token.save()
    _set_permissions(token, EVERYTHING)
    return token


@transaction.atomic
def token_update(
    *,
    user: User,
    token_id: int,
    name: str | None = None,
    permissions: Permissions | None = None,
    rotate_key: bool = False,
) -> Token:
    """Rename the token, replace its permissions and/or give it a new key (the old one dies)."""
    token = token_get_for_user(user=user, token_id=token_id, for_update=True)
    if name is not None:
        token.name = name
    if permissions is not None:
        _set_permissions(token, permissions)
    if rotate_key:
        _give_new_key(token)
    token.save()
    return token


@transaction.atomic
def token_delete(*, user: User, token_id: int) -> None:
    """Delete the token; its key stops working at once."""
    token_get_for_user(user=user, token_id=token_id, for_update=True).delete()
