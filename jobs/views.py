"""HTTP endpoints of jobs: list, read and cancel the user's jobs."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import QueryParameterValidationError
from api.schema import error_responses
from api.validation import validated_query
from jobs import errors, selectors, services
from jobs import serializers as s

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
