"""HTTP endpoints of user files: upload a file or a URL's file (JWT or database token)."""

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import JWT_OR_DATABASE_TOKEN
from api.schema import error_responses
from api.validation import validated_body
from user_files import errors, services
from user_files import serializers as s
from user_files.storage import served_headers

USER_FILES_TAG = "User files"
# What a multipart body adds around the file, at most, before the size check can refuse it.
MULTIPART_OVERHEAD = 64 * 1024


class UploadFileView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[USER_FILES_TAG],
        operation_id="upload_file",
        request={"multipart/form-data": s.UploadFileSerializer},
        responses={
            200: s.UserFileSerializer,
            **error_responses(errors.InvalidFile, errors.FileSizeTooLarge),
        },
    )
    def post(self, request: Request) -> Response:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.isdigit() and int(declared) > services.size_limit_bytes() + MULTIPART_OVERHEAD:
            raise errors.FileSizeTooLarge(settings.BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB)
        multipart = request.content_type.startswith("multipart/")
        upload = request.FILES.get("file") if multipart else None
        user_file = services.user_file_upload(
            user=request.user, file=upload, original_name=getattr(upload, "name", "") or "file"
        )
        return Response(s.user_file_to_json(user_file))


class UploadViaUrlView(APIView):
    authentication_classes = JWT_OR_DATABASE_TOKEN

    @extend_schema(
        tags=[USER_FILES_TAG],
        operation_id="upload_via_url",
        request=s.UploadViaUrlSerializer,
        responses={
            200: s.UserFileSerializer,
            **error_responses(
                errors.InvalidFileUrl, errors.FileUrlCouldNotBeReached, errors.FileSizeTooLarge
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.UploadViaUrlSerializer, request)
        user_file = services.user_file_upload_via_url(user=request.user, url=data["url"])
        return Response(s.user_file_to_json(user_file))


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """A stored file from the default storage, with headers that keep it from running as a page."""
    try:
        exists = default_storage.exists(path)
    except SuspiciousFileOperation as exc:  # a path outside the storage
        raise Http404() from exc
    if not exists:
        raise Http404()
    response = FileResponse(default_storage.open(path, "rb"))
    for header, value in served_headers(path).items():
        response[header] = value
    return response
