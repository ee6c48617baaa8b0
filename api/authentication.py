"""Authentication: JWT access tokens sent as `JWT <token>` (or `Bearer <token>`), and database
tokens sent as `Token <key>` on the few endpoints that take them."""

from rest_framework import HTTP_HEADER_ENCODING
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework_simplejwt import authentication as simplejwt_auth
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.tokens import Token

from api.exceptions import (
    DatabaseTokenUserNotActive,
    DeactivatedUser,
    InvalidAccessToken,
    InvalidClientActionGroup,
    InvalidClientSessionId,
    InvalidTokenHeader,
    UnknownDatabaseToken,
)
from database.tokens.errors import TokenDoesNotExist
from database.tokens.models import Token as DatabaseToken
from database.tokens.selectors import token_get_by_key
from events.context import invalid_client_headers
from users.selectors import user_by_id
from users.tokens import issued_before_password_change


class JWTAuthentication(simplejwt_auth.JWTAuthentication):
    """SimpleJWT's authenticator with Baserow's error bodies and password-change invalidation."""

    def authenticate(self, request: Request):
        try:
            result = super().authenticate(request)
        except (InvalidToken, AuthenticationFailed) as exc:
            raise InvalidAccessToken() from exc
        if result is not None:
            require_valid_client_headers(request)
        return result

    def get_user(self, validated_token: Token):
        user = user_by_id(validated_token.get("user_id"))
        if user is None:
            raise InvalidAccessToken()
        if not user.is_active:
            raise DeactivatedUser()
        if issued_before_password_change(validated_token, user):
            raise InvalidAccessToken()
        return user

    def authenticate_header(self, request: Request) -> str:
        return 'JWT realm="api"'


CLIENT_HEADER_ERRORS = {
    "ClientSessionId": InvalidClientSessionId,
    "ClientUndoRedoActionGroupId": InvalidClientActionGroup,
}


def require_valid_client_headers(request: Request) -> None:
    """A signed-in client's `ClientSessionId` and `ClientUndoRedoActionGroupId`, when sent,
    must be valid (as Baserow checks them for JWT requests and logins only)."""
    invalid = invalid_client_headers(request.headers)
    if invalid is not None:
        raise CLIENT_HEADER_ERRORS[invalid]()


class TokenAuthentication(BaseAuthentication):
    """A database token, `Token <key>` (the prefix in any case); `request.auth` is the token.

    It names no `WWW-Authenticate` header, so where it is the only authenticator DRF answers
    a failure with 403 rather than 401, as Baserow does.
    """

    def authenticate(self, request: Request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"token":
            return None
        if len(parts) == 1:
            raise InvalidTokenHeader()
        if len(parts) > 2:
            raise InvalidTokenHeader(
                "Invalid token header. Token string should not contain spaces."
            )
        try:
            token = token_get_by_key(key=parts[1].decode(HTTP_HEADER_ENCODING))
        except TokenDoesNotExist:
            raise UnknownDatabaseToken() from None
        if not token.user.is_active:
            raise DatabaseTokenUserNotActive()
        return token.user, token


# The endpoints that take a database token: rows and field listing also take a JWT.
JWT_OR_DATABASE_TOKEN = (JWTAuthentication, TokenAuthentication)
DATABASE_TOKEN_ONLY = (TokenAuthentication,)


def database_token(request: Request) -> DatabaseToken | None:
    """The database token the request authenticated with, if any."""
    return request.auth if isinstance(request.auth, DatabaseToken) else None
