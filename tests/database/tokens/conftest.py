"""Fixtures for database tokens: tokens made through the real services, clients sending them."""

import pytest
from rest_framework.test import APIClient

from database.tokens import keys
from database.tokens.models import Token
from database.tokens.selectors import OPERATIONS
from database.tokens.serializers import TokenPermissionsField
from database.tokens.services import token_create, token_update

LIST_URL = "/api/database/tokens/"
CHECK_URL = "/api/database/tokens/check/"
ALL_TABLES_URL = "/api/database/tables/all-tables/"
NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
UNKNOWN_TOKEN = {
    "detail": "The provided token does not exist.",
    "error": "ERROR_TOKEN_DOES_NOT_EXIST",
}
NO_PERMISSION = {
    "error": "ERROR_NO_PERMISSION_TO_TABLE",
    "detail": "The token does not have permissions to the table.",
}
GROUP_MISMATCH = {
    "detail": "The token's user does not belong to the group anymore.",
    "error": "ERROR_TOKEN_GROUP_MISMATCH",
}


def item_url(token_id: int) -> str:
    return f"{LIST_URL}{token_id}/"


def key_of(token: Token) -> str:
    return keys.decrypt_key(Token.objects.get(id=token.id).key_encrypted)


def client_with_key(key: str, prefix: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{prefix} {key}")
    return client


@pytest.fixture
def make_token(user, workspace):
    """A token of the user (for their first workspace unless told), with the given scopes."""

    def make(owner=None, on=None, name="Script", **permissions) -> Token:
        owner = owner or user
        token = token_create(user=owner, workspace=on or workspace, name=name)
        if permissions:
            # The wire form, resolved to databases and tables as the endpoint does.
            wire = dict.fromkeys(OPERATIONS, True) | permissions
            resolved = TokenPermissionsField().to_internal_value(wire)
            token_update(user=owner, token_id=token.id, permissions=resolved)
        return token

    return make


@pytest.fixture
def token_client():
    """An APIClient that sends `Authorization: Token <key>` for the given token."""

    def make(token: Token) -> APIClient:
        return client_with_key(key_of(token))

    return make
