"""Exceptions raised by the HTTP layer itself (request parsing and authentication)."""

from rest_framework import exceptions


class RequestBodyValidationError(Exception):
    """The request body did not pass its serializer; `detail` holds the per-field errors."""

    def __init__(self, detail: object) -> None:
        super().__init__("The request body is invalid.")
        self.detail = detail


class QueryParameterValidationError(RequestBodyValidationError):
    """The query string did not pass its serializer."""


class CodedAuthenticationFailed(exceptions.AuthenticationFailed):
    """An authentication failure that carries a Baserow error code beside its detail."""

    error_code = "ERROR_INVALID_ACCESS_TOKEN"


class InvalidAccessToken(CodedAuthenticationFailed):
    default_detail = "Access token is expired or invalid."
    error_code = "ERROR_INVALID_ACCESS_TOKEN"


class DeactivatedUser(CodedAuthenticationFailed):
    default_detail = "User account has been disabled."
    error_code = "ERROR_DEACTIVATED_USER"
