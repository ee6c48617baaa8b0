"""What the real-time tests share: the user's first table, and a barrier to prove silence."""

import itertools

from database.tables.models import Table
from users.models import User

_names = itertools.count(1)


def first_table(user: User) -> Table:
    """The first table of the user's example database."""
    return (
        Table.objects.filter(database__workspace__memberships__user=user)
        .select_related("database")
        .order_by("id")
        .first()
    )


def barrier(api, socket, user: User) -> list[dict]:
    """Every message the socket receives before a fresh event of its own user.

    The user renames themselves (no `WebsocketId`): `user_updated` reaches every socket of the
    user. Events are delivered in the order they were committed, so whatever the socket was
    sent for an earlier change arrives before it; an empty list proves it got nothing.
    """
    response = api(user)("PATCH", "/api/user/account/", {"first_name": f"Name {next(_names)}"})
    assert response.status_code == 200
    messages = socket.receive_until("user_updated")
    return messages[:-1]
