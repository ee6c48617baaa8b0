"""Fixtures of undo/redo tests: a client that sends a client session, the database's tables."""

import uuid

import pytest

from tests.database.conftest import database_app, make_table, table, workspace

__all__ = ["database_app", "make_table", "table", "workspace"]


class Session:
    """A signed-in client with its own ClientSessionId, as one browser tab."""

    def __init__(self, client, session_id: str) -> None:
        self.client, self.session_id = client, session_id
        self.group: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {"HTTP_CLIENTSESSIONID": self.session_id}
        if self.group is not None:
            headers["HTTP_CLIENTUNDOREDOACTIONGROUPID"] = self.group
        return headers

    def call(self, method: str, url: str, body=None, status: int = 200):
        response = getattr(self.client, method)(url, body, format="json", **self.headers())
        assert response.status_code == status, response.content
        return response.json() if response.content else None

    def new_group(self) -> None:
        self.group = str(uuid.uuid4())

    def undo(self, scopes=None) -> dict:
        return self.call("patch", "/api/user/undo/", {"scopes": {} if scopes is None else scopes})

    def redo(self, scopes=None) -> dict:
        return self.call("patch", "/api/user/redo/", {"scopes": {} if scopes is None else scopes})


@pytest.fixture
def session(client_for, user) -> Session:
    return Session(client_for(user), "session-a")


@pytest.fixture
def make_session(client_for, user):
    return lambda session_id, who=None: Session(client_for(who or user), session_id)
