"""HTTP endpoint of imports into an existing table (JWT)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import error_responses
from api.validation import validated_body
from database.imports import errors, services
from database.imports.serializers import TableImportSerializer
from database.tables.errors import TableDoesNotExist
from database.tables.serializers import FileImportJobSerializer
from jobs.errors import MaxJobCountExceeded
from jobs.serializers import job_to_json
from workspaces.errors import UserNotInWorkspace


class TableImportView(APIView):
    @extend_schema(
        tags=["Database tables"],
        operation_id="import_data_database_table_async",
        request=TableImportSerializer,
        responses={
            200: FileImportJobSerializer,
            **error_responses(
                UserNotInWorkspace,
                TableDoesNotExist,
                errors.ImportFileDoesNotExist,
                MaxJobCountExceeded,
            ),
        },
    )
    def post(self, request: Request, table_id: int) -> Response:
        data = validated_body(TableImportSerializer, request)
        job = services.table_import_async(user=request.user, table_id=table_id, **data)
        return Response(job_to_json(job))
