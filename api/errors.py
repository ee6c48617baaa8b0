"""The one mapping from exceptions to the contract's error bodies and statuses."""

import math
from typing import NamedTuple

import psycopg
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from actions import errors as action_errors
from api.exceptions import (
    CodedAuthenticationFailed,
    InvalidClientActionGroup,
    InvalidClientSessionId,
    QueryParameterValidationError,
    RequestBodyValidationError,
)
from api.pagination import PageSizeLimit
from api.validation import serialize_errors
from core import errors as core_errors
from database.applications import errors as application_errors
from database.export import errors as export_errors
from database.fields import errors as field_errors
from database.imports import errors as import_errors
from database.registry import UnknownType
from database.rows import errors as row_errors
from database.tables import errors as table_errors
from database.tokens import errors as token_errors
from database.views import errors as view_errors
from jobs import errors as job_errors
from trash import errors as trash_errors
from user_files import errors as user_file_errors
from users import errors as user_errors
from webhooks import errors as webhook_errors
from workspaces import errors as workspace_errors


class WireError(NamedTuple):
    code: str
    status: int = 400
    detail: str | None = ""  # None: use str(exc)


WIRE_ERRORS: dict[type[Exception], WireError] = {
    QueryParameterValidationError: WireError("ERROR_QUERY_PARAMETER_VALIDATION"),
    drf_exceptions.ParseError: WireError("ERROR_REQUEST_BODY_VALIDATION", 400, None),
    RequestDataTooBig: WireError(
        "ERROR_REQUEST_BODY_TOO_LARGE", 413, "The request body is larger than this server accepts."
    ),
    SuspiciousOperation: WireError("ERROR_REQUEST_BODY_VALIDATION", 400, None),
    drf_exceptions.PermissionDenied: WireError(
        "PERMISSION_DENIED",
        401,
        "You don't have the required permission to execute this operation.",
    ),
    RequestBodyValidationError: WireError("ERROR_REQUEST_BODY_VALIDATION"),
    # Throttles (api/throttling.py); Baserow answers DRF's own body, this server its format.
    drf_exceptions.Throttled: WireError("ERROR_MAX_REQUESTS_EXCEEDED", 429, None),
    # Undo and redo (01-users-auth.md).
    action_errors.ClientSessionIdHeaderNotSet: WireError(
        "ERROR_CLIENT_SESSION_ID_HEADER_NOT_SET",
        400,
        "The ClientSessionId header must be set when undoing or redoing.",
    ),
    action_errors.UndoRedoLockConflict: WireError(
        "ERROR_UNDO_REDO_LOCK_CONFLICT",
        409,
        "An operation is running in the background, please try again later.",
    ),
    # Client headers of an authenticated request (00-conventions.md).
    InvalidClientSessionId: WireError("ERROR_INVALID_CLIENT_SESSION_ID", 400, None),
    InvalidClientActionGroup: WireError("ERROR_INVALID_CLIENT_ACTION_GROUP", 400, None),
    # Accounts and authentication (01-users-auth.md).
    user_errors.UserAlreadyExists: WireError("ERROR_EMAIL_ALREADY_EXISTS"),
    user_errors.UserNotFound: WireError("ERROR_USER_NOT_FOUND", 400, "The user was not found."),
    user_errors.InvalidCredentials: WireError(
        "ERROR_INVALID_CREDENTIALS", 401, "No active account found with the given credentials."
    ),
    user_errors.DeactivatedUserLogin: WireError(
        "ERROR_DEACTIVATED_USER", 401, "User account has been disabled."
    ),
    user_errors.InvalidRefreshToken: WireError(
        "ERROR_INVALID_REFRESH_TOKEN", 401, "Refresh token is expired or invalid."
    ),
    user_errors.RefreshTokenAlreadyBlacklisted: WireError(
        "ERROR_REFRESH_TOKEN_ALREADY_BLACKLISTED", 400, "The refresh token is already blacklisted."
    ),
    user_errors.InvalidOldPassword: WireError("ERROR_INVALID_OLD_PASSWORD"),
    user_errors.HostnameNotAllowed: WireError(
        "ERROR_HOSTNAME_IS_NOT_ALLOWED", 400, "Only the hostname of the web frontend is allowed."
    ),
    user_errors.BadTokenSignature: WireError("BAD_TOKEN_SIGNATURE"),
    user_errors.ExpiredTokenSignature: WireError("EXPIRED_TOKEN_SIGNATURE"),
    user_errors.UserIsLastAdmin: WireError(
        "ERROR_USER_IS_LAST_ADMIN", 400, "You are the last admin of the instance."
    ),
    user_errors.ResetPasswordDisabled: WireError(
        "ERROR_DISABLED_RESET_PASSWORD", 400, "Reset password is disabled."
    ),
    user_errors.DisabledSignup: WireError(
        "ERROR_DISABLED_SIGNUP", 400, "Sign up is disabled on this instance."
    ),
    # Workspaces (02-workspaces.md). "GROUP" is Baserow's legacy name for a workspace.
    workspace_errors.WorkspaceDoesNotExist: WireError(
        "ERROR_GROUP_DOES_NOT_EXIST", 404, "The requested group does not exist."
    ),
    workspace_errors.UserNotInWorkspace: WireError("ERROR_USER_NOT_IN_GROUP"),
    workspace_errors.NotificationDoesNotExist: WireError(
        "ERROR_NOTIFICATION_DOES_NOT_EXIST", 404, "The requested notification does not exist."
    ),
    workspace_errors.OperationDenied: WireError(
        "PERMISSION_DENIED",
        401,
        "You don't have the required permission to execute this operation.",
    ),
    core_errors.StaffOnly: WireError(
        "PERMISSION_DENIED", 403, "You do not have permission to perform this action."
    ),
    workspace_errors.UserInvalidWorkspacePermissions: WireError(
        "ERROR_USER_INVALID_GROUP_PERMISSIONS", 400, "You need ['ADMIN'] permissions."
    ),
    workspace_errors.WorkspaceAlreadyTrashed: WireError(
        "ERROR_CANNOT_DELETE_ALREADY_DELETED_ITEM", 400, "This item has already been deleted."
    ),
    workspace_errors.WorkspaceUserIsLastAdmin: WireError(
        "ERROR_GROUP_USER_IS_LAST_ADMIN",
        400,
        "The related user is the last admin in the group. They must delete the group or "
        "give someone else admin permissions.",
    ),
    workspace_errors.WorkspaceUserDoesNotExist: WireError(
        "ERROR_GROUP_USER_DOES_NOT_EXIST", 404, "The requested group user does not exist."
    ),
    workspace_errors.CannotDeleteYourselfFromWorkspace: WireError(
        "ERROR_CANNOT_DELETE_YOURSELF_FROM_GROUP",
        400,
        "You cannot delete yourself from the group. Use the leave group endpoint for that.",
    ),
    workspace_errors.WorkspaceUserAlreadyExists: WireError(
        "ERROR_GROUP_USER_ALREADY_EXISTS", 400, "The user is already a member of the group."
    ),
    workspace_errors.MaxPendingInvitationsReached: WireError(
        "ERROR_MAX_NUMBER_OF_PENDING_WORKSPACE_INVITES_REACHED",
        400,
        "The maximum number of pending invites for this workspace has been reached. "
        "Please wait for some invitees to accept the invite or cancel the existing ones.",
    ),
    workspace_errors.WorkspaceInvitationDoesNotExist: WireError(
        "ERROR_GROUP_INVITATION_DOES_NOT_EXIST",
        404,
        "The requested group invitation does not exist.",
    ),
    workspace_errors.WorkspaceInvitationEmailMismatch: WireError(
        "ERROR_GROUP_INVITATION_EMAIL_MISMATCH",
        400,
        "Your email address does not match with the invitation.",
    ),
    workspace_errors.InvalidSortDirection: WireError(
        "ERROR_INVALID_SORT_DIRECTION",
        400,
        "Attributes to sort by must be prefixed with one of '-' or '+'.",
    ),
    workspace_errors.InvalidSortAttribute: WireError(
        "ERROR_INVALID_SORT_ATTRIBUTE", 400, "Invalid attribute name provided to sort by."
    ),
    # Webhooks (09-other.md).
    webhook_errors.WebhookDoesNotExist: WireError(
        "ERROR_TABLE_WEBHOOK_DOES_NOT_EXIST", 404, "The requested table webhook does not exist."
    ),
    webhook_errors.WebhookMaxLimitExceeded: WireError(
        "ERROR_TABLE_WEBHOOK_MAX_LIMIT_EXCEEDED", 400, None
    ),
    webhook_errors.WebhookEventConfigFieldNotInTable: WireError(
        "ERROR_TABLE_WEBHOOK_EVENT_CONFIG_FIELD_NOT_IN_TABLE", 400, None
    ),
    webhook_errors.WebhookEventConfigViewNotInTable: WireError(
        "ERROR_TABLE_WEBHOOK_EVENT_CONFIG_VIEW_NOT_IN_TABLE", 400, None
    ),
    # Tables (04-tables.md).
    table_errors.TableDoesNotExist: WireError(
        "ERROR_TABLE_DOES_NOT_EXIST", 404, "The requested table does not exist."
    ),
    # Applications (03) and table creation (04).
    application_errors.ApplicationDoesNotExist: WireError(
        "ERROR_APPLICATION_DOES_NOT_EXIST", 404, "The requested application does not exist."
    ),
    application_errors.ApplicationNotInWorkspace: WireError(
        "ERROR_APPLICATION_NOT_IN_GROUP", 400, None
    ),
    field_errors.FieldAlreadyTrashed: WireError(
        "ERROR_CANNOT_DELETE_ALREADY_DELETED_ITEM", 400, "This item has already been deleted."
    ),
    application_errors.ApplicationAlreadyTrashed: WireError(
        "ERROR_CANNOT_DELETE_ALREADY_DELETED_ITEM", 400, "This item has already been deleted."
    ),
    table_errors.TableNotInDatabase: WireError("ERROR_TABLE_NOT_IN_DATABASE", 400, None),
    # Trash (09-other.md).
    trash_errors.TrashItemDoesNotExist: WireError(
        "ERROR_TRASH_ITEM_DOES_NOT_EXIST", 404, "The requested trash item does not exist."
    ),
    trash_errors.CannotRestoreChildBeforeParent: WireError(
        "ERROR_CANNOT_RESTORE_PARENT_BEFORE_CHILD",
        400,
        "Cannot restore a trashed item if it's parent is also trashed, please restore the "
        "parent first.",
    ),
    trash_errors.ParentIdMustBeProvided: WireError(
        "ERROR_PARENT_ID_MUST_BE_PROVIDED",
        400,
        "A parent id must be provided when restoring this type of trash item.",
    ),
    trash_errors.ParentIdMustNotBeProvided: WireError(
        "ERROR_PARENT_ID_MUST_NOT_BE_PROVIDED",
        400,
        "A parent id must NOT be provided when restoring this type of trash item.",
    ),
    trash_errors.RelatedTableTrashed: WireError(
        "ERROR_CANT_RESTORE_AS_RELATED_TABLE_TRASHED",
        400,
        "This item cannot be restored as a related table is trashed, please restore the "
        "related table first.",
    ),
    table_errors.InvalidInitialTableData: WireError(
        "ERROR_INVALID_INITIAL_TABLE_DATA",
        400,
        "The provided table data must at least contain one row and one column.",
    ),
    table_errors.InitialTableDataLimitExceeded: WireError(
        "ERROR_INITIAL_TABLE_DATA_LIMIT_EXCEEDED", 400, None
    ),
    table_errors.InitialTableDataDuplicateName: WireError(
        "ERROR_INITIAL_TABLE_DATA_HAS_DUPLICATE_NAMES",
        400,
        "Field names must be unique in Baserow per table however the initial table data "
        "provided contains duplicate field names, please make them unique and try again.",
    ),
    # Jobs (09).
    job_errors.JobDoesNotExist: WireError(
        "ERROR_JOB_DOES_NOT_EXIST", 404, "The requested job does not exist."
    ),
    job_errors.JobNotCancellable: WireError(
        "ERROR_JOB_NOT_CANCELLABLE", 400, "The job is not cancellable."
    ),
    job_errors.MaxJobCountExceeded: WireError(
        "ERROR_MAX_JOB_COUNT_EXCEEDED", 400, "Max running job count for this type is exceeded."
    ),
    export_errors.ExportJobDoesNotExist: WireError(
        "ERROR_EXPORT_JOB_DOES_NOT_EXIST", 404, "That export job does not exist."
    ),
    import_errors.ImportFileDoesNotExist: WireError(
        "ERROR_USER_FILE_DOES_NOT_EXIST", 400, "The user file does not exist."
    ),
    # User files (01).
    user_file_errors.InvalidFile: WireError(
        "ERROR_INVALID_FILE", 400, "No file has been provided or the file is invalid."
    ),
    user_file_errors.FileSizeTooLarge: WireError("ERROR_FILE_SIZE_TOO_LARGE", 413, None),
    user_file_errors.FileUrlCouldNotBeReached: WireError(
        "ERROR_FILE_URL_COULD_NOT_BE_REACHED", 400, "The provided URL could not be reached."
    ),
    user_file_errors.InvalidFileUrl: WireError(
        "ERROR_INVALID_FILE_URL", 400, "The provided URL is not valid."
    ),
    # Fields (05-fields.md).
    UnknownType: WireError("ERROR_REQUEST_BODY_VALIDATION", 400, None),
    field_errors.FieldDoesNotExist: WireError(
        "ERROR_FIELD_DOES_NOT_EXIST", 404, "The requested field does not exist."
    ),
    field_errors.FieldWithSameNameAlreadyExists: WireError(
        "ERROR_FIELD_WITH_SAME_NAME_ALREADY_EXISTS",
        400,
        "You cannot have two fields with the same name in the same table, please choose a "
        "unique name for each field.",
    ),
    field_errors.ReservedFieldName: WireError(
        "ERROR_RESERVED_BASEROW_FIELD_NAME",
        400,
        "The field names id and order are reserved and cannot be used.",
    ),
    field_errors.InvalidFieldName: WireError(
        "ERROR_INVALID_BASEROW_FIELD_NAME",
        400,
        "Fields must not be blank or only consist of whitespace.",
    ),
    field_errors.MaxFieldNameLengthExceeded: WireError(
        "ERROR_MAX_FIELD_NAME_LENGTH_EXCEEDED",
        400,
        "A field can have a maximum of 255 characters in its name.",
    ),
    field_errors.MaxFieldCountExceeded: WireError(
        "ERROR_MAX_FIELD_COUNT_EXCEEDED",
        400,
        "The maximum amount of fields for the table is reached.",
    ),
    field_errors.CannotDeletePrimaryField: WireError(
        "ERROR_CANNOT_DELETE_PRIMARY_FIELD", 400, "The primary field cannot be deleted."
    ),
    field_errors.DbIndexNotSupported: WireError("ERROR_DB_INDEX_NOT_SUPPORTED", 400, None),
    field_errors.IncompatiblePrimaryFieldType: WireError(
        "ERROR_INCOMPATIBLE_PRIMARY_FIELD_TYPE", 400, None
    ),
    field_errors.CannotChangeFieldType: WireError(
        "ERROR_CANNOT_CHANGE_FIELD_TYPE", 400, "The field type cannot be changed."
    ),
    field_errors.FieldIsAlreadyPrimary: WireError(
        "ERROR_FIELD_IS_ALREADY_PRIMARY", 400, "The field is already the primary field."
    ),
    field_errors.FieldNotInTable: WireError(
        "ERROR_FIELD_NOT_IN_TABLE", 400, "The provided field does not belong in the related table."
    ),
    field_errors.LinkRowTableNotProvided: WireError(
        "ERROR_LINK_ROW_TABLE_NOT_PROVIDED",
        400,
        "The link_row_table_id argument must be provided when creating a link_row field.",
    ),
    field_errors.LinkRowTableNotInSameDatabase: WireError(
        "ERROR_LINK_ROW_TABLE_NOT_IN_SAME_DATABASE",
        400,
        "The link row table must be in the same database as the table of the field.",
    ),
    field_errors.SelfReferencingLinkRowCannotHaveRelatedField: WireError(
        "ERROR_SELF_REFERENCING_LINK_ROW_CANNOT_HAVE_RELATED_FIELD",
        400,
        "A self referencing link row field cannot have a related field.",
    ),
    field_errors.SelectOptionDoesNotBelongToField: WireError(
        "ERROR_SELECT_OPTION_DOES_NOT_BELONG_TO_FIELD", 400, None
    ),
    field_errors.InvalidCountThroughField: WireError(
        "ERROR_INVALID_COUNT_THROUGH_FIELD",
        400,
        "The provided through field does not exist, is in a different table or is not a link "
        "row field.",
    ),
    field_errors.InvalidLookupThroughField: WireError(
        "ERROR_INVALID_LOOKUP_THROUGH_FIELD",
        400,
        "The provided through field does not exist, is in a different table or is not a link "
        "row field.",
    ),
    field_errors.InvalidLookupTargetField: WireError(
        "ERROR_INVALID_LOOKUP_TARGET_FIELD",
        400,
        "The provided target field does not exist or is in a different table to the table "
        "linked to by the through field.",
    ),
    field_errors.IncompatibleFieldTypeForUniqueValues: WireError(
        "ERROR_INCOMPATIBLE_FIELD_TYPE_FOR_UNIQUE_VALUES",
        400,
        "The field type is not compatible with listing unique values.",
    ),
    # Rows (06).
    PageSizeLimit: WireError("ERROR_PAGE_SIZE_LIMIT", 400, None),
    row_errors.RowDoesNotExist: WireError("ERROR_ROW_DOES_NOT_EXIST", 404, None),
    row_errors.RowIdsNotUnique: WireError("ERROR_ROW_IDS_NOT_UNIQUE", 400, None),
    row_errors.OrderByFieldNotFound: WireError("ERROR_ORDER_BY_FIELD_NOT_FOUND", 400, None),
    row_errors.OrderByFieldNotPossible: WireError("ERROR_ORDER_BY_FIELD_NOT_POSSIBLE", 400, None),
    row_errors.InvalidJoinParameter: WireError(
        "ERROR_INVALID_JOIN_PARAMETER",
        400,
        "The provided __join query parameter wasn't used correctly.",
    ),
    row_errors.JoinTargetIncompatible: WireError(
        "ERROR_INCOMPATIBLE_FIELD_TYPE", 400, "The field type is not compatible with the action."
    ),
    # Filters (07).
    view_errors.FilterFieldNotFound: WireError("ERROR_FILTER_FIELD_NOT_FOUND", 400, None),
    view_errors.ViewFilterTypeDoesNotExist: WireError(
        "ERROR_VIEW_FILTER_TYPE_DOES_NOT_EXIST", 400, None
    ),
    view_errors.ViewFilterTypeUnsupportedField: WireError(
        "ERROR_VIEW_FILTER_TYPE_UNSUPPORTED_FIELD", 400, None
    ),
    view_errors.FiltersParamValidationError: WireError(
        "ERROR_FILTERS_PARAM_VALIDATION_ERROR", 400, None
    ),
    # Database tokens (08). Authentication failures are in api/exceptions.py.
    token_errors.TokenDoesNotExist: WireError(
        "ERROR_TOKEN_DOES_NOT_EXIST", 404, "The token does not exist."
    ),
    token_errors.TokenCannotIncludeRowMetadata: WireError(
        "ERROR_CANNOT_INCLUDE_ROW_METADATA", 400, "The token cannot include row metadata."
    ),
    token_errors.NoPermissionToTable: WireError(
        "ERROR_NO_PERMISSION_TO_TABLE", 401, "The token does not have permissions to the table."
    ),
    token_errors.TokenWorkspaceMismatch: WireError(
        "ERROR_TOKEN_GROUP_MISMATCH", 401, "The token's user does not belong to the group anymore."
    ),
    token_errors.DatabaseNotInTokenWorkspace: WireError(
        "ERROR_DATABASE_DOES_NOT_BELONG_TO_GROUP",
        400,
        "The provided database does not belong to the related group.",
    ),
    token_errors.TableNotInTokenWorkspace: WireError(
        "ERROR_TABLE_DOES_NOT_BELONG_TO_GROUP",
        400,
        "The provided table does not belong to the related group.",
    ),
    # Views, saved filters and sorts, field options, public views (07).
    view_errors.ViewDoesNotExist: WireError(
        "ERROR_VIEW_DOES_NOT_EXIST", 404, "The requested view does not exist."
    ),
    view_errors.GridViewDoesNotExist: WireError(
        "ERROR_GRID_DOES_NOT_EXIST", 404, "The requested grid view does not exist."
    ),
    view_errors.FormViewDoesNotExist: WireError(
        "ERROR_FORM_DOES_NOT_EXIST", 404, "The requested form does not exist."
    ),
    view_errors.ViewNotInTable: WireError("ERROR_VIEW_NOT_IN_TABLE", 400, None),
    view_errors.ViewFilterDoesNotExist: WireError(
        "ERROR_VIEW_FILTER_DOES_NOT_EXIST", 404, "The view filter does not exist."
    ),
    view_errors.ViewFilterGroupDoesNotExist: WireError(
        "ERROR_VIEW_FILTER_GROUP_DOES_NOT_EXIST", 404, "The view filter group does not exist."
    ),
    view_errors.ViewFilterNotSupported: WireError(
        "ERROR_VIEW_FILTER_NOT_SUPPORTED", 400, "Filtering is not supported for the view type."
    ),
    view_errors.ViewSortDoesNotExist: WireError(
        "ERROR_VIEW_SORT_DOES_NOT_EXIST", 404, "The view sort does not exist."
    ),
    view_errors.ViewSortNotSupported: WireError(
        "ERROR_VIEW_SORT_NOT_SUPPORTED", 400, "Sorting is not supported for the view type."
    ),
    view_errors.ViewSortFieldAlreadyExists: WireError(
        "ERROR_VIEW_SORT_FIELD_ALREADY_EXISTS",
        400,
        "A sort with the field already exists in the view.",
    ),
    view_errors.ViewSortFieldNotSupported: WireError(
        "ERROR_VIEW_SORT_FIELD_NOT_SUPPORTED",
        400,
        "The field does not support view sorting on the given type.",
    ),
    view_errors.ViewGroupByDoesNotExist: WireError(
        "ERROR_VIEW_GROUP_BY_DOES_NOT_EXIST", 404, "The view group by does not exist."
    ),
    view_errors.ViewGroupByNotSupported: WireError(
        "ERROR_VIEW_GROUP_BY_NOT_SUPPORTED", 400, "Grouping is not supported for the view type."
    ),
    view_errors.ViewGroupByFieldAlreadyExists: WireError(
        "ERROR_VIEW_GROUP_BY_FIELD_ALREADY_EXISTS",
        400,
        "A group by for the field already exists in the view.",
    ),
    view_errors.ViewGroupByFieldNotSupported: WireError(
        "ERROR_VIEW_GROUP_BY_FIELD_NOT_SUPPORTED", 400, "The field does not support view grouping."
    ),
    view_errors.AggregationTypeDoesNotExist: WireError(
        "ERROR_AGGREGATION_TYPE_DOES_NOT_EXIST",
        400,
        "The specified aggregation type does not exist.",
    ),
    view_errors.AggregationTypeUnsupportedField: WireError(
        "ERROR_AGGREGATION_DOES_NOT_SUPPORTED_FIELD",
        400,
        "The aggregation type does not support the given field.",
    ),
    view_errors.UnrelatedField: WireError(
        "ERROR_UNRELATED_FIELD", 400, "The field is not related to the provided view."
    ),
    view_errors.ViewDoesNotSupportFieldOptions: WireError(
        "ERROR_VIEW_DOES_NOT_SUPPORT_FIELD_OPTIONS",
        400,
        "This view model does not support field options.",
    ),
    table_errors.FailedToLockTableDueToConflict: WireError(
        "ERROR_FAILED_TO_LOCK_TABLE_DUE_TO_CONFLICT",
        409,
        "The requested table is already being updated or used by another operation, "
        "please try again after other concurrent operations have finished.",
    ),
    view_errors.MaxViewFiltersExceeded: WireError("ERROR_MAX_VIEW_FILTERS_EXCEEDED", 400, None),
    view_errors.CannotShareViewType: WireError(
        "ERROR_CANNOT_SHARE_VIEW_TYPE", 400, "This view type does not support sharing."
    ),
    view_errors.NoAuthorizationToPubliclySharedView: WireError(
        "ERROR_NO_AUTHORIZATION_TO_PUBLICLY_SHARED_VIEW",
        401,
        "The user does not have the permissions to see this password protected shared view.",
    ),
}


def error_response(code: str, detail: object, status: int) -> Response:
    return Response({"error": code, "detail": detail}, status=status)


def wire_error_for(exc: Exception) -> WireError | None:
    """The mapping of the exception's class, or of the nearest mapped parent class."""
    for cls in type(exc).__mro__:
        if wire := WIRE_ERRORS.get(cls):
            return wire
    return None


# Database conflicts.
# SQLSTATEs of a transaction the database aborted because of other transactions: a deadlock
# (40P01) or a serialization failure (40001). The client may retry; anything else stays a 500.
CONFLICT_SQLSTATES = frozenset({"40P01", "40001"})
DATABASE_DEADLOCK = WireError(
    "ERROR_DATABASE_DEADLOCK",
    409,
    "The database failed to commit due to a deadlock or a conflict with another request. "
    "Please try again.",
)


# A lock not obtained within lock_timeout (55P03): a schema change met other operations.
LOCK_NOT_AVAILABLE_SQLSTATE = "55P03"


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__
    return getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)


def is_lock_timeout(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and _sqlstate(exc) == LOCK_NOT_AVAILABLE_SQLSTATE


def is_database_conflict(exc: BaseException) -> bool:
    """A Django OperationalError wrapping the driver's deadlock or serialization failure."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    return code in CONFLICT_SQLSTATES


# The database cannot be reached: no connection (refused, timed out, none free in the pool),
# a connection lost, or a server shutting down or starting up (SQLSTATE class 08, 57P01-57P03).
DATABASE_UNAVAILABLE = WireError(
    "ERROR_DATABASE_UNAVAILABLE",
    503,
    "The database is unavailable at the moment. Please try again later.",
)
UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})


def is_database_unavailable(exc: BaseException) -> bool:
    """A Django database error that says the server could not be reached or went away."""
    cause = exc.__cause__
    if not isinstance(exc, OperationalError | InterfaceError) or not isinstance(
        cause, psycopg.Error
    ):
        return False
    if cause.sqlstate is None:  # a failure of the connection itself (or of the pool)
        return True
    return cause.sqlstate.startswith("08") or cause.sqlstate in UNAVAILABLE_SQLSTATES


# Refused before any view runs (api/middleware.py; past the server's own limits, workers.py).
REQUEST_LINE_TOO_LONG = WireError("ERROR_REQUEST_LINE_TOO_LONG", 414, "The URL is too long.")
REQUEST_HEADERS_TOO_LARGE = WireError(
    "ERROR_REQUEST_HEADERS_TOO_LARGE", 431, "The request's headers are too large."
)
QUERY_PARAMETER_INVALID = WIRE_ERRORS[QueryParameterValidationError]


def database_unavailable_body() -> dict:
    return {"error": DATABASE_UNAVAILABLE.code, "detail": DATABASE_UNAVAILABLE.detail}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: domain errors to contract bodies, DRF errors kept in its shape."""
    if is_database_conflict(exc):
        return error_response(DATABASE_DEADLOCK.code, DATABASE_DEADLOCK.detail, 409)
    if is_lock_timeout(exc):
        exc = table_errors.FailedToLockTableDueToConflict()
    if is_database_unavailable(exc):
        return Response(database_unavailable_body(), status=DATABASE_UNAVAILABLE.status)
    if wire := wire_error_for(exc):
        if isinstance(exc, RequestBodyValidationError):
            detail = exc.detail
        elif (structured := getattr(exc, "structured_detail", None)) is not None:
            detail = structured
        else:
            detail = str(exc) if wire.detail is None else wire.detail
        response = error_response(wire.code, detail, wire.status)
        if isinstance(exc, drf_exceptions.Throttled):
            response["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
        return response
    if isinstance(exc, drf_exceptions.ValidationError):
        return error_response("ERROR_REQUEST_BODY_VALIDATION", serialize_errors(exc.detail), 400)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, CodedAuthenticationFailed):
        response.data = {"detail": str(exc.detail), "error": exc.error_code}
    return response
