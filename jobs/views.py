"""HTTP endpoints of jobs: start one of any type, list, read and cancel the user's jobs."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import QueryParameterValidationError, RequestBodyValidationError
from api.schema import error_responses
from api.validation import validated_body, validated_query
from database.applications.errors import ApplicationDoesNotExist
from database.fields.errors import FieldDoesNotExist
from database.tables.errors import TableDoesNotExist
from jobs import errors, selectors, services
from jobs import serializers as s
from jobs.params import JobCreateSerializer
from jobs.registry import job_types
from workspaces.errors import UserNotInWorkspace

JOBS_TAG = "Jobs"


class JobsView(APIView):
    @extend_schema(
        tags=[JOBS_TAG],
        operation_id="list_jobs",
        parameters=[s.JobListQuerySerializer],
        responses={200: s.JobListSerializer, **error_responses(QueryParameterValidationError)},
    )
    def get(self, request: Request) -> Response:
        query = validated_query(s.JobListQuerySerializer, request)
        jobs = selectors.jobs_list(user=request.user, **query)
        return Response({"jobs": [s.job_to_json(job) for job in jobs]})

    @extend_schema(
        tags=[JOBS_TAG],
        operation_id="create_job",
        request=JobCreateSerializer,
        responses={
            200: s.JobSerializer,
            **error_responses(
                RequestBodyValidationError,
                errors.MaxJobCountExceeded,
                UserNotInWorkspace,
                ApplicationDoesNotExist,
                TableDoesNotExist,
                FieldDoesNotExist,
            ),
        },
    )
    @transaction.atomic
    def post(self, request: Request) -> Response:
        data = validated_body(JobCreateSerializer, request)
        job_type = job_types.get(data["type"])
        params = validated_body(job_type.params_serializer, request)
        job = job_type.start(user=request.user, **params)
        return Response(s.job_to_json(job))  # 200, as Baserow


class JobView(APIView):
    @extend_schema(
        tags=[JOBS_TAG],
        operation_id="get_job",
        responses={200: s.JobSerializer, **error_responses(errors.JobDoesNotExist)},
    )
    def get(self, request: Request, job_id: int) -> Response:
        job = selectors.job_get(user=request.user, job_id=job_id)
        return Response(s.job_to_json(job))


class JobCancelView(APIView):
    @extend_schema(
        tags=[JOBS_TAG],
        operation_id="cancel_job",
        request=None,
        responses={
            200: s.JobSerializer,
            **error_responses(errors.JobDoesNotExist, errors.JobNotCancellable),
        },
    )
    def post(self, request: Request, job_id: int) -> Response:
        job = services.job_cancel(user=request.user, job_id=job_id)
        return Response(s.job_to_json(job))
