"""HTTP endpoints of exports: export a table or a view, then poll the export job (JWT)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import error_responses
from api.validation import validated_body
from database.export import errors, services
from database.export import serializers as s
from database.rows import errors as row_errors
from database.tables.errors import TableDoesNotExist
from database.views import errors as view_errors
from workspaces.errors import UserNotInWorkspace

EXPORT_TAG = "Database table export"
FILTER_ERRORS = (
    view_errors.FiltersParamValidationError,
    row_errors.OrderByFieldNotFound,
    row_errors.OrderByFieldNotPossible,
)


class ExportTableView(APIView):
    @extend_schema(
        tags=[EXPORT_TAG],
        operation_id="export_table_file",
        request=s.ExportOptionsSerializer,
        responses={
            200: s.ExportJobSerializer,
            **error_responses(
                UserNotInWorkspace,
                TableDoesNotExist,
                view_errors.ViewDoesNotExist,
                view_errors.ViewNotInTable,
                *FILTER_ERRORS,
            ),
        },
    )
    def post(self, request: Request, table_id: int) -> Response:
        options = validated_body(s.ExportOptionsSerializer, request)
        job = services.export_table(user=request.user, table_id=table_id, options=options)
        return Response(s.export_job_to_json(job))


class ExportViewView(APIView):
    @extend_schema(
        tags=[EXPORT_TAG],
        operation_id="export_view_file",
        request=s.ExportOptionsSerializer,
        responses={
            200: s.ExportJobSerializer,
            **error_responses(UserNotInWorkspace, view_errors.ViewDoesNotExist, *FILTER_ERRORS),
        },
    )
    def post(self, request: Request, view_id: int) -> Response:
        options = validated_body(s.ExportOptionsSerializer, request)
        options.pop("view_id", None)
        job = services.export_view(user=request.user, view_id=view_id, options=options)
        return Response(s.export_job_to_json(job))


class ExportJobView(APIView):
    @extend_schema(
        tags=[EXPORT_TAG],
        operation_id="get_export_job",
        responses={200: s.ExportJobSerializer, **error_responses(errors.ExportJobDoesNotExist)},
    )
    def get(self, request: Request, job_id: int) -> Response:
        job = services.export_job_get(user=request.user, job_id=job_id)
        return Response(s.export_job_to_json(job))
