"""HTTP endpoints of rows (06-rows.md): validate, call one service or selector, serialize."""

from django.db import transaction
from django.http import QueryDict
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.types import rows as row_actions
from api.authentication import JWT_OR_DATABASE_TOKEN, database_token
from api.exceptions import QueryParameterValidationError, RequestBodyValidationError
from api.pagination import PageSizeLimit, page_from_query, paginate
from api.schema import error_responses
from api.validation import validated_body, validated_query
from database import table_models
from database.fields.errors import FieldDoesNotExist
from database.rows import errors, history, selectors, services
from database.rows.filters import errors as filter_errors
from database.rows.joins import apply_joins, joins_from_query
from database.rows.params import (
    field_by_reference,
    query_flag,
    split_names,
    table_fields,
    without_nul,
)
from database.rows.serializers import (
    MAX_ROW_ID,
    ROW_PAGE_SIZE_LIMIT,
    SEARCH_MODES,
    AdjacentQuerySerializer,
    BatchDeleteSerializer,
    BatchRowsOutSerializer,
    BatchRowsSerializer,
    BeforeQuerySerializer,
    ListRowsQuerySerializer,
    MoveQuerySerializer,
    PageOfRowHistorySerializer,
    PageOfRowsSerializer,
    RowHistorySerializer,
    RowSerializer,
    RowValuesSerializer,
)
from database.rows.values import rows_to_json
from database.tables.errors import TableDoesNotExist
from database.tables.models import Table
from database.tables.selectors import table_get
from database.tokens.errors import (
    NoPermissionToTable,
    TokenCannotIncludeRowMetadata,
    TokenWorkspaceMismatch,
)
from database.views.errors import ViewDoesNotExist
from database.views.selectors import view_for_rows
from workspaces.errors import UserNotInWorkspace

ROWS_TAG = "Database table rows"
TABLE_GATE = (TableDoesNotExist, UserNotInWorkspace, NoPermissionToTable, TokenWorkspaceMismatch)
ROW_GATE = (*TABLE_GATE, errors.RowDoesNotExist)
# The endpoints a database token cannot reach (adjacent, history): JWT only.
MEMBER_ROW_GATE = (TableDoesNotExist, UserNotInWorkspace, errors.RowDoesNotExist)
USER_FIELD_NAMES = OpenApiParameter(
    "user_field_names", bool, description="Key cells by field name instead of `field_<id>`."
)
INCLUDE_METADATA = OpenApiParameter(
    "include_metadata", bool, description="Add `metadata.updated_field_ids` to the response."
)
SEARCH = OpenApiParameter("search", str, description="Case-insensitive substring of any cell.")
SEARCH_MODE = OpenApiParameter(
    "search_mode",
    str,
    enum=SEARCH_MODES,
    description=(
        "Baserow's search modes, `full-text-with-count` (its default) and `compat`; "
        "both search for the term as a case-insensitive substring of each cell here."
    ),
)
LIST_PARAMETERS = [
    USER_FIELD_NAMES,
    OpenApiParameter("page", int, description="1-based page number (default 1)."),
    OpenApiParameter("size", int, description="Rows per page (default 100, at most 200)."),
    SEARCH,
    SEARCH_MODE,
    OpenApiParameter("order_by", str, description="Comma list of fields, `-` for descending."),
    OpenApiParameter("include", str, description="Comma list of the fields to return."),
    OpenApiParameter("exclude", str, description="Comma list of the fields to leave out."),
    OpenApiParameter("filters", str, description="JSON filter tree."),
    OpenApiParameter("filter_type", str, description="AND or OR for `filter__` parameters."),
    OpenApiParameter("exclude_count", bool, description="Return only `results`."),
    OpenApiParameter(
        "{link_field}__join",
        str,
        description="Comma list of fields of the linked table whose cells each link item gets.",
    ),
    OpenApiParameter("view_id", int, description="Apply this view's filters and sorts first."),
]


def _table(request: Request, table_id: int, operation: str) -> Table:
    return selectors.table_for_rows(
        actor=request.user, table_id=table_id, operation=operation, token=database_token(request)
    )


def _table_to_create_in(request: Request, table_id: int) -> Table:
    """The gate of a create, in the caller's transaction, taking the create's locks in the same
    query: one round trip less than the gate, then the create's own lock (`locked=True`)."""
    return selectors.table_for_rows(
        actor=request.user,
        table_id=table_id,
        operation="create",
        token=database_token(request),
        rows_lock_key=services.order_lock_key(table_id),
    )


def _with_metadata(request: Request, table: Table, out: dict, *, items: list | None) -> dict:
    """`include_metadata`: which fields the batch wrote (all of them for a create)."""
    if not query_flag(request.query_params.get("include_metadata")):
        return out
    fields = table_fields(table_models.get_model(table))
    if items is not None:
        names = _user_field_names(request)
        keys = {key for item in items for key in item if key != "id"}
        found = (field_by_reference(fields, key, user_field_names=names) for key in keys)
        written = {field.id for field in found if field is not None}
        fields = [field for field in fields if field.id in written]
    return {**out, "metadata": {"updated_field_ids": [field.id for field in fields]}}


def _user_field_names(request: Request) -> bool:
    return query_flag(request.query_params.get("user_field_names"))


def _body_object(request: Request) -> dict:
    """The request's JSON object, or its form fields (a field sent twice gives a list)."""
    if isinstance(request.data, QueryDict):
        return {
            key: values[0] if len(values) == 1 else values for key, values in request.data.lists()
        }
    if not isinstance(request.data, dict):
        raise RequestBodyValidationError(
            {
                "non_field_errors": [
                    {"error": "Invalid data. Expected a dictionary.", "code": "invalid"}
                ]
            }
        )
    return dict(request.data)


def _before(request: Request) -> int | None:
    """The `before` row id of a create, if given (validated as its serializer does)."""
    if "before" not in request.query_params:  # most creates: no serializer to build
        return None
    return validated_query(BeforeQuerySerializer, request).get("before")


def _existing_id(row_id: int) -> int:
    """The URL's row id; one beyond SQL's bigint names no row (and must not reach SQL)."""
    if row_id > MAX_ROW_ID:
        raise errors.RowDoesNotExist([row_id])
    return row_id


def _rows_out(table: Table, row_ids: list[int], *, user_field_names: bool) -> list[dict]:
    rows = selectors.rows_get(table=table, row_ids=row_ids)
    return _as_json(rows, user_field_names=user_field_names)


def _as_json(rows: list, *, user_field_names: bool) -> list[dict]:
    """Rows read with their cells prefetched, as the contract's JSON."""
    fields = table_fields(type(rows[0])) if rows else []
    return rows_to_json(rows, fields, user_field_names=user_field_names)


class RowsView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="list_database_table_rows",
        parameters=LIST_PARAMETERS,
        responses={
            200: PageOfRowsSerializer,
            **error_responses(
                *TABLE_GATE,
                PageSizeLimit,
                errors.OrderByFieldNotFound,
                errors.OrderByFieldNotPossible,
                errors.InvalidJoinParameter,
                errors.JoinTargetIncompatible,
                filter_errors.FilterFieldNotFound,
                filter_errors.ViewFilterTypeDoesNotExist,
                filter_errors.ViewFilterTypeUnsupportedField,
                filter_errors.FiltersParamValidationError,
                FieldDoesNotExist,
                ViewDoesNotExist,
                QueryParameterValidationError,
            ),
        },
    )
    def get(self, request: Request, table_id: int) -> Response:
        view_id = validated_query(ListRowsQuerySerializer, request).get("view_id")
        table = _table(request, table_id, "read")
        params = request.query_params
        page = page_from_query(request, max_size=ROW_PAGE_SIZE_LIMIT)
        query = selectors.RowQuery(
            user_field_names=_user_field_names(request),
            search=without_nul(params.get("search")) or None,
            order_by=params.get("order_by"),
            include=params.get("include"),
            exclude=params.get("exclude"),
            filter_params=params,
            view=view_for_rows(table=table, view_id=None if view_id is None else str(view_id)),
        )
        queryset, fields, counter = selectors.rows_list(table=table, query=query)
        joins = joins_from_query(
            params, table_fields(queryset.model), user_field_names=query.user_field_names
        )
        with_count = "exclude_count" not in params
        rows, envelope = paginate(
            request,
            queryset,
            page,
            with_count=with_count,
            counter=counter,
        )
        results = rows_to_json(rows, fields, user_field_names=query.user_field_names)
        apply_joins(results, joins, user_field_names=query.user_field_names)
        return Response({**envelope, "results": results})

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="create_database_table_row",
        parameters=[USER_FIELD_NAMES, OpenApiParameter("before", int)],
        request=RowValuesSerializer,
        responses={200: RowSerializer, **error_responses(*ROW_GATE)},
    )
    def post(self, request: Request, table_id: int) -> Response:
        before = _before(request)  # first, as Baserow validates the query string
        names = _user_field_names(request)
        with transaction.atomic():
            table = _table_to_create_in(request, table_id)
            rows = row_actions.rows_create(
                user=request.user,
                table=table,
                items=[_body_object(request)],
                before_id=before,
                user_field_names=names,
                locked=True,
            )
        return Response(_as_json(rows, user_field_names=names)[0])


class RowView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="get_database_table_row",
        parameters=[
            USER_FIELD_NAMES,
            OpenApiParameter("include", str, description="`metadata` adds the row's metadata."),
        ],
        responses={200: RowSerializer, **error_responses(*ROW_GATE)},
    )
    def get(self, request: Request, table_id: int, row_id: int) -> Response:
        metadata = "metadata" in split_names(request.query_params.get("include") or "")
        if metadata and database_token(request) is not None:
            table_get(table_id=table_id)  # an unknown table is still a 404 first
            raise TokenCannotIncludeRowMetadata()
        table = _table(request, table_id, "read")
        names = _user_field_names(request)
        row = _rows_out(table, [_existing_id(row_id)], user_field_names=names)[0]
        # No row metadata types exist here (Baserow's come from its premium edition).
        return Response({**row, "metadata": {}} if metadata else row)

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="update_database_table_row",
        parameters=[USER_FIELD_NAMES],
        request=RowValuesSerializer,
        responses={200: RowSerializer, **error_responses(*ROW_GATE)},
    )
    def patch(self, request: Request, table_id: int, row_id: int) -> Response:
        table = _table(request, table_id, "update")
        names = _user_field_names(request)
        item = {**_body_object(request), "id": _existing_id(row_id)}
        rows = row_actions.rows_update(
            user=request.user, table=table, items=[item], user_field_names=names
        )
        return Response(_as_json(rows, user_field_names=names)[0])

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="delete_database_table_row",
        responses={204: None, **error_responses(*ROW_GATE)},
    )
    def delete(self, request: Request, table_id: int, row_id: int) -> Response:
        table = _table(request, table_id, "delete")
        row_actions.rows_delete(user=request.user, table=table, row_ids=[_existing_id(row_id)])
        return Response(status=204)


class RowMoveView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="move_database_table_row",
        parameters=[USER_FIELD_NAMES, OpenApiParameter("before_id", int)],
        request=None,
        responses={200: RowSerializer, **error_responses(*ROW_GATE)},
    )
    def patch(self, request: Request, table_id: int, row_id: int) -> Response:
        table = _table(request, table_id, "update")
        before = validated_query(MoveQuerySerializer, request).get("before_id")
        row_actions.row_move(
            user=request.user, table=table, row_id=_existing_id(row_id), before_id=before
        )
        names = _user_field_names(request)
        return Response(_rows_out(table, [row_id], user_field_names=names)[0])


class RowAdjacentView(APIView):
    """JWT only (the default authentication), as in Baserow: a database token is refused."""

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="get_adjacent_database_table_row",
        description=(
            "The row after the given one (before it with `previous`) in the order of the view "
            "`view_id` (its filters and sorts) or of the table, among the rows `search` "
            "matches. 204 without a body when there is none. The given row must itself be "
            "among those rows."
        ),
        parameters=[
            USER_FIELD_NAMES,
            OpenApiParameter("previous", bool, description="The previous row, not the next."),
            OpenApiParameter("view_id", int, description="Apply this view's filters and sorts."),
            SEARCH,
            SEARCH_MODE,
        ],
        responses={
            200: RowSerializer,
            204: None,
            **error_responses(*MEMBER_ROW_GATE, ViewDoesNotExist, QueryParameterValidationError),
        },
    )
    def get(self, request: Request, table_id: int, row_id: int) -> Response:
        query = validated_query(AdjacentQuerySerializer, request)
        table = _table(request, table_id, "read")
        view_id = query.get("view_id")
        adjacent_id = selectors.row_adjacent(
            table=table,
            row_id=_existing_id(row_id),
            previous=query["previous"],
            view=view_for_rows(table=table, view_id=None if view_id is None else str(view_id)),
            search=without_nul(request.query_params.get("search")) or None,
        )
        if adjacent_id is None:
            return Response(status=204)
        names = _user_field_names(request)
        return Response(_rows_out(table, [adjacent_id], user_field_names=names)[0])


class RowHistoryView(APIView):
    """JWT only (the default authentication), as in Baserow: a database token is refused."""

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="get_database_table_row_history",
        description="The row's change history, newest first, with limit/offset pagination.",
        parameters=[
            OpenApiParameter("limit", int, description="Entries per page (default and max 200)."),
            OpenApiParameter("offset", int, description="Entries to skip (default 0)."),
        ],
        responses={200: PageOfRowHistorySerializer, **error_responses(*MEMBER_ROW_GATE)},
    )
    def get(self, request: Request, table_id: int, row_id: int) -> Response:
        table = _table(request, table_id, "read")
        entries = history.row_history_list(table=table, row_id=_existing_id(row_id))
        paginator = LimitOffsetPagination()
        paginator.default_limit = paginator.max_limit = ROW_PAGE_SIZE_LIMIT
        page = paginator.paginate_queryset(entries, request, view=self)
        page = history.without_deleted_fields(page, table=table)
        return paginator.get_paginated_response(RowHistorySerializer(page, many=True).data)


class RowsBatchView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="batch_create_database_table_rows",
        parameters=[USER_FIELD_NAMES, OpenApiParameter("before", int), INCLUDE_METADATA],
        request=BatchRowsSerializer,
        responses={200: BatchRowsOutSerializer, **error_responses(*ROW_GATE)},
    )
    def post(self, request: Request, table_id: int) -> Response:
        before = _before(request)  # first, as Baserow validates the query string
        names = _user_field_names(request)
        with transaction.atomic():
            table = _table_to_create_in(request, table_id)
            items = validated_body(BatchRowsSerializer, request)["items"]
            rows = row_actions.rows_create(
                user=request.user,
                table=table,
                items=items,
                before_id=before,
                user_field_names=names,
                batch=True,
                locked=True,
            )
        out = {"items": _as_json(rows, user_field_names=names)}
        return Response(_with_metadata(request, table, out, items=None))

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="batch_update_database_table_rows",
        parameters=[USER_FIELD_NAMES, INCLUDE_METADATA],
        request=BatchRowsSerializer,
        responses={
            200: BatchRowsOutSerializer,
            **error_responses(*ROW_GATE, errors.RowIdsNotUnique),
        },
    )
    def patch(self, request: Request, table_id: int) -> Response:
        table = _table(request, table_id, "update")
        items = validated_body(BatchRowsSerializer, request)["items"]
        names = _user_field_names(request)
        rows = row_actions.rows_update(
            user=request.user, table=table, items=items, user_field_names=names, batch=True
        )
        out = {"items": _as_json(rows, user_field_names=names)}
        return Response(_with_metadata(request, table, out, items=items))


class RowsBatchDeleteView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="batch_delete_database_table_rows",
        request=BatchDeleteSerializer,
        responses={204: None, **error_responses(*ROW_GATE, errors.RowIdsNotUnique)},
    )
    def post(self, request: Request, table_id: int) -> Response:
        # The body first, as Baserow checks it: a bad one is a 400 before any table lookup.
        row_ids = validated_body(BatchDeleteSerializer, request)["items"]
        table = _table(request, table_id, "delete")
        row_actions.rows_delete(user=request.user, table=table, row_ids=row_ids, batch=True)
        return Response(status=204)


class RowNamesView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[ROWS_TAG],
        operation_id="list_database_table_row_names",
        responses={200: dict, **error_responses(*TABLE_GATE)},
    )
    def get(self, request: Request) -> Response:
        wanted: dict[int, list[int]] = {}
        problems = {}
        for key, value in request.query_params.items():
            table_id = key.removeprefix("table__")
            ids = [part.strip() for part in value.split(",") if part.strip()]
            if key == table_id or not table_id.isdigit():
                problems[key] = "Only table__<id> parameters are allowed."
            elif not all(part.isdigit() and len(part) < 19 for part in ids):
                problems[key] = "A comma separated list of row ids is required."
            else:
                wanted[int(table_id)] = [int(part) for part in ids]
        if problems:
            raise QueryParameterValidationError(
                {key: [{"error": text, "code": "invalid"}] for key, text in problems.items()}
            )
        token = database_token(request)
        return Response(selectors.row_names(actor=request.user, wanted=wanted, token=token))
