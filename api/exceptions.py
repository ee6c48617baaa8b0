"""Exceptions raised by the HTTP layer itself (request parsing and authentication)."""

from rest_framework import exceptions


class RequestBodyValidationError(Exception):
    """The request body did not pass its serializer; `detail` holds the per-field errors."""

    def __init__(self, detail: object) -> None:
        super().__init__("The request body is invalid.")
        self.detail = detail


class QueryParameterValidationError(RequestBodyValidationError):
    """The query string did not pass its serializer."""


class InvalidClientSessionId(exceptions.APIException):
    status_code = 400
    default_detail = (
        "The ClientSessionId header must hold 1 to 256 characters, each a letter, a digit or -."
    )


class InvalidClientActionGroup(exceptions.APIException):
    status_code = 400
    default_detail = "The ClientUndoRedoActionGroupId header must be a UUID."


class CodedAuthenticationFailed(exceptions.AuthenticationFailed):
    """An authentication failure that carries a Baserow error code beside its detail."""

    error_code = "ERROR_INVALID_ACCESS_TOKEN"


class InvalidAccessToken(CodedAuthenticationFailed):
    default_detail = "Access token is expired or invalid."
    error_code = "ERROR_INVALID_ACCESS_TOKEN"


class DeactivatedUser(CodedAuthenticationFailed):
    default_detail = "User account has been disabled."
    error_code = "ERROR_DEACTIVATED_USER"


# Database tokens (`Authorization: Token <key>`, 08-database-tokens.md).
class InvalidTokenHeader(CodedAuthenticationFailed):
    default_detail = "Invalid token header. No token provided."
    error_code = "ERROR_INVALID_TOKEN_HEADER"


class UnknownDatabaseToken(CodedAuthenticationFailed):
    default_detail = "The provided token does not exist."
    error_code = "ERROR_TOKEN_DOES_NOT_EXIST"


class DatabaseTokenUserNotActive(CodedAuthenticationFailed):
    default_detail = "The user related to the token is disabled."
    error_code = "ERROR_USER_NOT_ACTIVE"


class DatabaseTokenGroupMismatch(CodedAuthenticationFailed):
    default_detail = "The token's user does not belong to the group anymore."
    error_code = "ERROR_TOKEN_GROUP_MISMATCH"
