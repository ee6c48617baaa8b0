"""OpenAPI generation: the JWT and database token schemes, the contract's errors, old paths.

Views declare the domain errors an operation can answer with through `error_responses`;
`AutoSchema` adds what every operation shares (401 where a token is read, 400 for a body).
"""

from collections.abc import Iterable
from typing import NamedTuple

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotAuthenticated

from api.errors import WIRE_ERRORS
from api.exceptions import (
    DatabaseTokenGroupMismatch,
    DatabaseTokenUserNotActive,
    DeactivatedUser,
    InvalidAccessToken,
    InvalidTokenHeader,
    QueryParameterValidationError,
    RequestBodyValidationError,
    UnknownDatabaseToken,
)

# Decision 4: the old /api/groups/ paths still answer, and the spec marks them deprecated.
DEPRECATED_PATH_PREFIXES = ("/api/groups/",)


class DocumentedError(NamedTuple):
    """One error body an operation can answer with."""

    status: int
    code: str | None  # None: DRF's own body, which holds only "detail"
    message: str = ""  # the fixed detail, when the contract has one
    per_field: bool = False  # detail holds per-field errors rather than a message


def _documented_error(exception_class: type[Exception]) -> DocumentedError:
    """The WIRE_ERRORS entry of the class (or its nearest mapped parent) as documentation."""
    for cls in exception_class.__mro__:
        if wire := WIRE_ERRORS.get(cls):
            return DocumentedError(
                status=wire.status,
                code=wire.code,
                message=wire.detail or "",
                per_field=issubclass(exception_class, RequestBodyValidationError),
            )
    raise ValueError(f"{exception_class.__name__} has no entry in api.errors.WIRE_ERRORS")


BODY_VALIDATION_ERROR = _documented_error(RequestBodyValidationError)
URL_NOT_FOUND_ERROR = DocumentedError(404, "URL_NOT_FOUND")
QUERY_VALIDATION_ERROR = _documented_error(QueryParameterValidationError)
AUTHENTICATION_ERRORS = (
    DocumentedError(401, None, str(NotAuthenticated.default_detail)),
    DocumentedError(401, InvalidAccessToken.error_code, str(InvalidAccessToken.default_detail)),
    DocumentedError(401, DeactivatedUser.error_code, str(DeactivatedUser.default_detail)),
)
JWT_SCHEME = "JWT"
DATABASE_TOKEN_SCHEME = "Database token"
# A database token's failures: 401 beside a JWT, 403 where the token is the only way in.
DATABASE_TOKEN_ERRORS = tuple(
    DocumentedError(401, failure.error_code, str(failure.default_detail))
    for failure in (InvalidTokenHeader, UnknownDatabaseToken, DatabaseTokenUserNotActive)
)
DATABASE_TOKEN_ONLY_ERRORS = (
    DocumentedError(403, None, str(NotAuthenticated.default_detail)),
    *(error._replace(status=403) for error in DATABASE_TOKEN_ERRORS),
    DocumentedError(
        403, DatabaseTokenGroupMismatch.error_code, str(DatabaseTokenGroupMismatch.default_detail)
    ),
)


class ErrorResponse(OpenApiResponse):
    """The error responses of one status; AutoSchema merges it with the errors it adds itself."""

    def __init__(self, errors: Iterable[DocumentedError]) -> None:
        self.errors = tuple(errors)
        super().__init__(response=_error_schema(self.errors), description=_describe(self.errors))


def error_responses(*exception_classes: type[Exception]) -> dict[int, ErrorResponse]:
    """OpenAPI responses for the contract errors these exceptions map to, one per status.

    Use once per operation: `responses={200: Out, **error_responses(A, B)}`.
    """
    return {
        status: ErrorResponse(errors)
        for status, errors in _by_status(map(_documented_error, exception_classes)).items()
    }


def _by_status(errors: Iterable[DocumentedError]) -> dict[int, list[DocumentedError]]:
    """The errors grouped by HTTP status, each code once."""
    grouped: dict[int, dict[str | None, DocumentedError]] = {}
    for error in errors:
        codes = grouped.setdefault(error.status, {})
        first = codes.setdefault(error.code, error)
        if error.per_field and not first.per_field:
            # One code answered with a message by some paths and per field by others.
            codes[error.code] = first._replace(per_field=True)
    return {status: list(codes.values()) for status, codes in sorted(grouped.items())}


def _error_schema(errors: Iterable[DocumentedError]) -> dict:
    """`{"error": <one of the codes>, "detail": ...}`, the contract's error body."""
    errors = list(errors)
    codes = sorted(error.code for error in errors if error.code)
    message = {"type": "string"}
    detail = message
    if any(error.per_field for error in errors):
        per_field = {
            "type": "object",
            "additionalProperties": True,
            "description": 'Per field, a list of {"error": <message>, "code": <code>}.',
        }
        detail = {"oneOf": [message, per_field]}
    properties: dict = {"detail": detail}
    if codes:
        properties = {"error": {"type": "string", "enum": codes}, **properties}
    every_body_has_a_code = all(error.code for error in errors)
    return {
        "type": "object",
        "properties": properties,
        "required": ["error", "detail"] if codes and every_body_has_a_code else ["detail"],
    }


def _describe(errors: Iterable[DocumentedError]) -> str:
    """One markdown line per error: its code and, when fixed, its detail."""
    lines = []
    for error in errors:
        name = f"`{error.code}`" if error.code else "no error code"
        lines.append(f"- {name}: {error.message}" if error.message else f"- {name}")
    return "\n".join(lines)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema plus the contract's error responses and deprecations."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self._is_legacy_path():
            # The workspace twin has the same view, hence the same explicit operationId.
            operation["operationId"] = operation["operationId"].replace("workspace", "group")
        self._add_error_responses(operation)
        return operation

    def is_deprecated(self) -> bool:
        return super().is_deprecated() or self._is_legacy_path()

    def _is_legacy_path(self) -> bool:
        return self.path.startswith(DEPRECATED_PATH_PREFIXES)

    def _add_error_responses(self, operation: dict) -> None:
        declared = self.get_response_serializers()
        declared = declared if isinstance(declared, dict) else {}
        errors = [
            error
            for response in declared.values()
            if isinstance(response, ErrorResponse)
            for error in response.errors
        ]
        if "requestBody" in operation:
            errors.append(BODY_VALIDATION_ERROR)
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
            # Query values no text column can hold are refused before the view (api/middleware).
            errors.append(QUERY_VALIDATION_ERROR)
        if "{" in self.path:
            # A path parameter that is not what the route takes (a negative or non-numeric id)
            # matches no route: the contract's JSON 404.
            errors.append(URL_NOT_FOUND_ERROR)
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        if JWT_SCHEME in schemes:
            # A token, when sent, is checked even where it is optional.
            errors.extend(AUTHENTICATION_ERRORS)
        if DATABASE_TOKEN_SCHEME in schemes:
            only = JWT_SCHEME not in schemes
            errors.extend(DATABASE_TOKEN_ONLY_ERRORS if only else DATABASE_TOKEN_ERRORS)
        # A status the view documents in its own way stays as the view wrote it.
        kept = {
            str(code[0] if isinstance(code, tuple) else code)
            for code, response in declared.items()
            if not isinstance(response, ErrorResponse)
        }
        responses = operation["responses"]
        for status, grouped in _by_status(errors).items():
            if str(status) not in kept:
                responses[str(status)] = {
                    "content": {"application/json": {"schema": _error_schema(grouped)}},
                    "description": _describe(grouped),
                }
        operation["responses"] = dict(sorted(responses.items()))


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    """Our JWT authenticator as the contract's "JWT" security scheme."""

    target_class = "api.authentication.JWTAuthentication"
    name = JWT_SCHEME
    priority = 1  # ahead of drf-spectacular's own scheme for SimpleJWT, our parent class

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT your_token"}


class DatabaseTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Our database token authenticator as the contract's "Database token" security scheme."""

    target_class = "api.authentication.TokenAuthentication"
    name = DATABASE_TOKEN_SCHEME

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "Token your_token"}
