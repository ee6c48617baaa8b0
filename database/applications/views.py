"""HTTP endpoints of applications: validate, call one service or selector, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.types import trashed
from api.schema import error_responses
from api.validation import validated_body
from database.applications import errors, selectors, services
from database.applications import serializers as s
from database.compose import applications as compose
from jobs.errors import MaxJobCountExceeded
from jobs.serializers import job_to_json
from workspaces.errors import UserNotInWorkspace, WorkspaceDoesNotExist

APPLICATIONS_TAG = "Applications"

# What the lookups and the gate answer, in their order.
WORKSPACE_GATE = (WorkspaceDoesNotExist, UserNotInWorkspace)
APPLICATION_GATE = (errors.ApplicationDoesNotExist, UserNotInWorkspace)


def _application(application) -> Response:
    return Response(s.ApplicationSerializer(application).data)


class ApplicationsView(APIView):
    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="list_all_applications",
        responses={200: s.ApplicationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        applications = selectors.applications_list(user=request.user)
        return Response(s.ApplicationSerializer(applications, many=True).data)


class WorkspaceApplicationsView(APIView):
    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="list_workspace_applications",
        responses={200: s.ApplicationSerializer(many=True), **error_responses(*WORKSPACE_GATE)},
    )
    def get(self, request: Request, workspace_id: int) -> Response:
        applications = selectors.applications_list_for_workspace(
            user=request.user, workspace_id=workspace_id
        )
        return Response(s.ApplicationSerializer(applications, many=True).data)

    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="create_workspace_application",
        request=s.ApplicationCreateSerializer,
        responses={200: s.ApplicationSerializer, **error_responses(*WORKSPACE_GATE)},
    )
    def post(self, request: Request, workspace_id: int) -> Response:
        data = validated_body(s.ApplicationCreateSerializer, request)
        application = compose.application_create(
            user=request.user, workspace_id=workspace_id, **data
        )
        return _application(application)


class WorkspaceApplicationsOrderView(APIView):
    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="order_workspace_applications",
        request=s.ApplicationsOrderSerializer,
        responses={
            204: None,
            **error_responses(*WORKSPACE_GATE, errors.ApplicationNotInWorkspace),
        },
    )
    def post(self, request: Request, workspace_id: int) -> Response:
        data = validated_body(s.ApplicationsOrderSerializer, request)
        services.applications_order(
            user=request.user, workspace_id=workspace_id, application_ids=data["application_ids"]
        )
        return Response(status=204)


class ApplicationView(APIView):
    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="get_application",
        responses={200: s.ApplicationSerializer, **error_responses(*APPLICATION_GATE)},
    )
    def get(self, request: Request, application_id: int) -> Response:
        application = selectors.application_get_for_user(
            user=request.user, application_id=application_id
        )
        return _application(application)

    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="update_application",
        request=s.ApplicationUpdateSerializer,
        responses={200: s.ApplicationSerializer, **error_responses(*APPLICATION_GATE)},
    )
    def patch(self, request: Request, application_id: int) -> Response:
        data = validated_body(s.ApplicationUpdateSerializer, request)
        application = services.application_update(
            user=request.user, application_id=application_id, name=data["name"]
        )
        return _application(application)

    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="delete_application",
        responses={
            204: None,
            **error_responses(*APPLICATION_GATE, errors.ApplicationAlreadyTrashed),
        },
    )
    def delete(self, request: Request, application_id: int) -> Response:
        trashed.application_delete(user=request.user, application_id=application_id)
        return Response(status=204)


class ApplicationDuplicateView(APIView):
    @extend_schema(
        tags=[APPLICATIONS_TAG],
        operation_id="duplicate_application_async",
        request=None,
        responses={
            202: s.DuplicateApplicationJobSerializer,
            **error_responses(*APPLICATION_GATE, MaxJobCountExceeded),
        },
    )
    def post(self, request: Request, application_id: int) -> Response:
        job = compose.application_duplicate_async(user=request.user, application_id=application_id)
        return Response(job_to_json(job), status=202)
