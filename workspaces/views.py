"""HTTP endpoints of workspaces, members and invitations: validate, call one service, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.types import trashed
from api.exceptions import QueryParameterValidationError
from api.schema import error_responses
from api.validation import validated_body, validated_query
from database.compose import example
from users.errors import BadTokenSignature, HostnameNotAllowed
from workspaces import errors, selectors, services
from workspaces import serializers as s

WORKSPACES_TAG = "Workspaces"
INVITATIONS_TAG = "Workspace invitations"

# What the lookups and the gate answer, in their order (see workspaces.permissions).
NOT_ADMIN = (errors.UserNotInWorkspace, errors.UserInvalidWorkspacePermissions)
MEMBER_GATE = (errors.WorkspaceDoesNotExist, errors.UserNotInWorkspace)
ADMIN_GATE = (errors.WorkspaceDoesNotExist, *NOT_ADMIN)
INVITATION_ADMIN_GATE = (errors.WorkspaceInvitationDoesNotExist, *NOT_ADMIN)
INVITEE_GATE = (errors.WorkspaceInvitationDoesNotExist, errors.WorkspaceInvitationEmailMismatch)
LIST_QUERY_ERRORS = (
    QueryParameterValidationError,
    errors.InvalidSortDirection,
    errors.InvalidSortAttribute,
)


def _no_content() -> Response:
    return Response(status=204)


class WorkspacesView(APIView):
    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="list_workspaces",
        responses={200: s.WorkspaceUserWorkspaceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        memberships = selectors.memberships_list(user=request.user)
        return Response(s.WorkspaceUserWorkspaceSerializer(memberships, many=True).data)

    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="create_workspace",
        request=s.WorkspaceNameSerializer,
        responses={200: s.WorkspaceUserWorkspaceSerializer},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.WorkspaceNameSerializer, request)
        membership = services.workspace_create(user=request.user, name=data["name"])
        return Response(s.WorkspaceUserWorkspaceSerializer(membership).data)


class WorkspaceView(APIView):
    """PATCH and DELETE only: reading one workspace is not supported (405), as in Baserow."""

    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="update_workspace",
        request=s.WorkspaceNameSerializer,
        responses={200: s.WorkspaceSerializer, **error_responses(*ADMIN_GATE)},
    )
    def patch(self, request: Request, workspace_id: int) -> Response:
        data = validated_body(s.WorkspaceNameSerializer, request)
        workspace = services.workspace_update(
            user=request.user, workspace_id=workspace_id, name=data["name"]
        )
        return Response(s.WorkspaceSerializer(workspace).data)

    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="delete_workspace",
        responses={204: None, **error_responses(*ADMIN_GATE, errors.WorkspaceAlreadyTrashed)},
    )
    def delete(self, request: Request, workspace_id: int) -> Response:
        trashed.workspace_delete(user=request.user, workspace_id=workspace_id)
        return _no_content()


class WorkspaceLeaveView(APIView):
    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="leave_workspace",
        request=None,
        responses={204: None, **error_responses(*MEMBER_GATE, errors.WorkspaceUserIsLastAdmin)},
    )
    def post(self, request: Request, workspace_id: int) -> Response:
        services.workspace_leave(user=request.user, workspace_id=workspace_id)
        return _no_content()


class WorkspacesOrderView(APIView):
    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="order_workspaces",
        request=s.WorkspacesOrderSerializer,
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.WorkspacesOrderSerializer, request)
        services.workspaces_order(user=request.user, workspace_ids=data["workspaces"])
        return _no_content()


class WorkspacePermissionsView(APIView):
    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="workspace_permissions",
        responses={200: s.PermissionManagerSerializer(many=True), **error_responses(*MEMBER_GATE)},
    )
    def get(self, request: Request, workspace_id: int) -> Response:
        return Response(
            selectors.workspace_permissions(user=request.user, workspace_id=workspace_id)
        )


class CreateInitialWorkspaceView(APIView):
    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="create_initial_workspace",
        request=None,
        responses={200: s.WorkspaceUserWorkspaceSerializer},
    )
    def post(self, request: Request) -> Response:
        membership = example.workspace_create_initial(user=request.user)
        return Response(s.WorkspaceUserWorkspaceSerializer(membership).data)


class WorkspaceUsersView(APIView):
    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="list_workspace_users",
        parameters=[s.ListQuerySerializer],
        responses={
            200: s.WorkspaceUserSerializer(many=True),
            **error_responses(*ADMIN_GATE, *LIST_QUERY_ERRORS),
        },
    )
    def get(self, request: Request, workspace_id: int) -> Response:
        query = validated_query(s.ListQuerySerializer, request)
        members = selectors.workspace_users_list(
            user=request.user, workspace_id=workspace_id, **query
        )
        return Response(s.WorkspaceUserSerializer(members, many=True).data)


class WorkspaceUserView(APIView):
    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="update_workspace_user",
        request=s.PermissionsSerializer,
        responses={
            200: s.WorkspaceUserSerializer,
            **error_responses(
                errors.WorkspaceUserDoesNotExist,
                *NOT_ADMIN,
                errors.WorkspaceUserIsLastAdmin,
            ),
        },
    )
    def patch(self, request: Request, workspace_user_id: int) -> Response:
        data = validated_body(s.PermissionsSerializer, request)
        membership = services.workspace_user_update(
            user=request.user, workspace_user_id=workspace_user_id, **data
        )
        return Response(s.WorkspaceUserSerializer(membership).data)

    @extend_schema(
        tags=[WORKSPACES_TAG],
        operation_id="delete_workspace_user",
        responses={
            204: None,
            **error_responses(
                errors.WorkspaceUserDoesNotExist,
                *NOT_ADMIN,
                errors.CannotDeleteYourselfFromWorkspace,
            ),
        },
    )
    def delete(self, request: Request, workspace_user_id: int) -> Response:
        services.workspace_user_delete(user=request.user, workspace_user_id=workspace_user_id)
        return _no_content()


class WorkspaceInvitationsView(APIView):
    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="list_workspace_invitations",
        parameters=[s.ListQuerySerializer],
        responses={
            200: s.InvitationSerializer(many=True),
            **error_responses(*ADMIN_GATE, *LIST_QUERY_ERRORS),
        },
    )
    def get(self, request: Request, workspace_id: int) -> Response:
        query = validated_query(s.ListQuerySerializer, request)
        invitations = selectors.invitations_list(
            user=request.user, workspace_id=workspace_id, **query
        )
        return Response(s.InvitationSerializer(invitations, many=True).data)

    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="create_workspace_invitation",
        request=s.InvitationCreateSerializer,
        responses={
            200: s.InvitationSerializer,
            **error_responses(
                *ADMIN_GATE,
                HostnameNotAllowed,
                errors.WorkspaceUserAlreadyExists,
                errors.MaxPendingInvitationsReached,
            ),
        },
    )
    def post(self, request: Request, workspace_id: int) -> Response:
        data = validated_body(s.InvitationCreateSerializer, request)
        invitation = services.invitation_create(
            user=request.user, workspace_id=workspace_id, **data
        )
        return Response(s.InvitationSerializer(invitation).data)


class WorkspaceInvitationView(APIView):
    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="get_workspace_invitation",
        responses={200: s.InvitationSerializer, **error_responses(*INVITATION_ADMIN_GATE)},
    )
    def get(self, request: Request, invitation_id: int) -> Response:
        invitation = selectors.invitation_get(user=request.user, invitation_id=invitation_id)
        return Response(s.InvitationSerializer(invitation).data)

    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="update_workspace_invitation",
        request=s.PermissionsSerializer,
        responses={200: s.InvitationSerializer, **error_responses(*INVITATION_ADMIN_GATE)},
    )
    def patch(self, request: Request, invitation_id: int) -> Response:
        data = validated_body(s.PermissionsSerializer, request)
        invitation = services.invitation_update(
            user=request.user, invitation_id=invitation_id, **data
        )
        return Response(s.InvitationSerializer(invitation).data)

    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="delete_workspace_invitation",
        responses={204: None, **error_responses(*INVITATION_ADMIN_GATE)},
    )
    def delete(self, request: Request, invitation_id: int) -> Response:
        services.invitation_delete(user=request.user, invitation_id=invitation_id)
        return _no_content()


class AcceptInvitationView(APIView):
    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="accept_workspace_invitation",
        request=None,
        responses={200: s.WorkspaceUserWorkspaceSerializer, **error_responses(*INVITEE_GATE)},
    )
    def post(self, request: Request, invitation_id: int) -> Response:
        membership = services.invitation_accept_by_id(
            user=request.user, invitation_id=invitation_id
        )
        return Response(s.WorkspaceUserWorkspaceSerializer(membership).data)


class RejectInvitationView(APIView):
    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="reject_workspace_invitation",
        request=None,
        responses={204: None, **error_responses(*INVITEE_GATE)},
    )
    def post(self, request: Request, invitation_id: int) -> Response:
        services.invitation_reject(user=request.user, invitation_id=invitation_id)
        return _no_content()


class InvitationByTokenView(APIView):
    """Public: the signup page shows who invited the visitor to what."""

    # As every public endpoint here: a stale Authorization header must not get in the way.
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=[INVITATIONS_TAG],
        operation_id="get_workspace_invitation_by_token",
        responses={
            200: s.UserWorkspaceInvitationSerializer,
            **error_responses(BadTokenSignature, errors.WorkspaceInvitationDoesNotExist),
        },
    )
    def get(self, request: Request, token: str) -> Response:
        invitation = services.invitation_get_by_token(token=token)
        return Response(s.UserWorkspaceInvitationSerializer(invitation).data)


class DashboardView(APIView):
    """GET /api/user/dashboard/: the invitations waiting for the user."""

    @extend_schema(tags=["User"], operation_id="dashboard", responses={200: s.DashboardSerializer})
    def get(self, request: Request) -> Response:
        invitations = selectors.invitations_for_user(user=request.user)
        serialized = s.UserWorkspaceInvitationSerializer(invitations, many=True).data
        return Response({"workspace_invitations": serialized})
