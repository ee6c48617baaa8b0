"""Reads of accounts."""

from typing import Any

from api.model_sql import fetch_one, is_key, model_columns, table_name
from users.models import User


def user_by_id(user_id: Any) -> User | None:
    """The account with this id (an int, or its digits as a JWT's claim carries it), or None.

    Read with hand-written SQL, as every authenticated request reads it (see api.model_sql).
    """
    if isinstance(user_id, str) and user_id.isascii() and user_id.isdigit():
        user_id = int(user_id)
    if not is_key(user_id):
        return None
    columns = model_columns(User)
    row = fetch_one(
        f"SELECT {columns.select('u')} FROM {table_name(User)} u WHERE u.id = %s", [user_id]
    )
    return None if row is None else columns.instance(row)
