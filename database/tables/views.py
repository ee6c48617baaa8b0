"""HTTP endpoints of tables: validate, call one service or selector, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.types import tables as table_actions
from actions.types import trashed
from api.schema import error_responses
from api.validation import validated_body
from database.applications.errors import ApplicationDoesNotExist
from database.compose import tables as compose
from database.fields import errors as field_errors
from database.imports import services as imports
from database.imports.errors import ImportFileDoesNotExist
from database.tables import errors, selectors, services
from database.tables import serializers as s
from jobs.errors import MaxJobCountExceeded
from jobs.serializers import job_to_json
from workspaces.errors import UserNotInWorkspace

TABLES_TAG = "Database tables"

# What the lookups and the gate answer, in their order.
DATABASE_GATE = (ApplicationDoesNotExist, UserNotInWorkspace)
TABLE_GATE = (errors.TableDoesNotExist, UserNotInWorkspace)
INITIAL_DATA_ERRORS = (
    errors.InvalidInitialTableData,
    errors.InitialTableDataLimitExceeded,
    errors.InitialTableDataDuplicateName,
    field_errors.MaxFieldCountExceeded,
    field_errors.MaxFieldNameLengthExceeded,
    field_errors.ReservedFieldName,
    field_errors.InvalidFieldName,
)


def _table(table) -> Response:
    return Response(s.TableSerializer(table).data)


class DatabaseTablesView(APIView):
    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="list_database_tables",
        responses={200: s.TableSerializer(many=True), **error_responses(*DATABASE_GATE)},
    )
    def get(self, request: Request, database_id: int) -> Response:
        tables = selectors.tables_list(user=request.user, database_id=database_id)
        return Response(s.TableSerializer(tables, many=True).data)

    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="create_database_table",
        request=s.TableCreateSerializer,
        responses={
            200: s.TableSerializer,
            **error_responses(*DATABASE_GATE, *INITIAL_DATA_ERRORS),
        },
    )
    def post(self, request: Request, database_id: int) -> Response:
        data = validated_body(s.TableCreateSerializer, request)
        table = trashed.table_create(user=request.user, database_id=database_id, **data)
        return _table(table)


class DatabaseTablesAsyncView(APIView):
    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="create_database_table_async",
        request=s.TableCreateAsyncSerializer,
        responses={
            200: s.FileImportJobSerializer,
            **error_responses(
                *DATABASE_GATE, *INITIAL_DATA_ERRORS, ImportFileDoesNotExist, MaxJobCountExceeded
            ),
        },
    )
    def post(self, request: Request, database_id: int) -> Response:
        data = validated_body(s.TableCreateAsyncSerializer, request)
        file = data.pop("file")
        if file is not None:
            job = imports.table_create_from_file_async(
                user=request.user, database_id=database_id, name=data["name"], file=file
            )
        else:
            job = compose.table_create_async(user=request.user, database_id=database_id, **data)
        return Response(job_to_json(job))  # 200, not 202, as the contract says


class DatabaseTablesOrderView(APIView):
    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="order_database_tables",
        request=s.TablesOrderSerializer,
        responses={204: None, **error_responses(*DATABASE_GATE, errors.TableNotInDatabase)},
    )
    def post(self, request: Request, database_id: int) -> Response:
        data = validated_body(s.TablesOrderSerializer, request)
        services.tables_order(
            user=request.user, database_id=database_id, table_ids=data["table_ids"]
        )
        return Response(status=204)


class TableView(APIView):
    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="get_database_table",
        responses={200: s.TableSerializer, **error_responses(*TABLE_GATE)},
    )
    def get(self, request: Request, table_id: int) -> Response:
        return _table(selectors.table_get_for_user(user=request.user, table_id=table_id))

    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="update_database_table",
        request=s.TableNameSerializer,
        responses={200: s.TableSerializer, **error_responses(*TABLE_GATE)},
    )
    def patch(self, request: Request, table_id: int) -> Response:
        data = validated_body(s.TableNameSerializer, request)
        table = table_actions.table_update(user=request.user, table_id=table_id, name=data["name"])
        return _table(table)

    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="delete_database_table",
        responses={204: None, **error_responses(*TABLE_GATE)},
    )
    def delete(self, request: Request, table_id: int) -> Response:
        trashed.table_delete(user=request.user, table_id=table_id)
        return Response(status=204)


class TableDuplicateView(APIView):
    @extend_schema(
        tags=[TABLES_TAG],
        operation_id="duplicate_database_table_async",
        request=None,
        responses={
            202: s.DuplicateTableJobSerializer,
            **error_responses(*TABLE_GATE, MaxJobCountExceeded),
        },
    )
    def post(self, request: Request, table_id: int) -> Response:
        job = compose.table_duplicate_async(user=request.user, table_id=table_id)
        return Response(job_to_json(job), status=202)
