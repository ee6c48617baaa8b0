"""Account endpoints under /api/user/: thin views over users.services and users.tokens."""

from django.core import signing
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import require_valid_client_headers
from api.schema import error_responses
from api.throttling import LOGIN_THROTTLES, PASSWORD_RESET_THROTTLES, SIGNUP_THROTTLES
from api.validation import validated_body
from users import errors, services, signup, tokens
from users import serializers as s
from users.models import User
from workspaces.errors import WorkspaceInvitationDoesNotExist, WorkspaceInvitationEmailMismatch
from workspaces.notifications import unread_direct_count
from workspaces.permissions import permission_objects

TAG = "User"


def auth_payload(user: User, access: str, refresh: str | None = None) -> dict:
    """The body that hands tokens to a client, as Baserow shapes it."""
    payload = {
        "user": s.UserSerializer(user).data,
        "token": access,
        "access_token": access,
        "permissions": permission_objects(user=user),
        "user_notifications": {"unread_count": unread_direct_count(user=user)},
    }
    if refresh is not None:
        payload["refresh_token"] = refresh
        payload["user_session"] = signing.dumps(user.id, salt="users.session")
    return payload


def login_payload(user: User) -> dict:
    access, refresh = tokens.token_pair_for_user(user)
    return auth_payload(user, access, refresh)


class PublicAPIView(APIView):
    """An endpoint anyone may call; a stale Authorization header must not get in the way."""

    authentication_classes = ()
    permission_classes = (AllowAny,)


class SignupView(PublicAPIView):
    throttle_classes = SIGNUP_THROTTLES

    @extend_schema(
        tags=[TAG],
        operation_id="create_user",
        request=s.SignupSerializer,
        responses={
            200: s.SignupResponseSerializer,
            **error_responses(
                errors.UserAlreadyExists,
                errors.DisabledSignup,
                errors.BadTokenSignature,
                WorkspaceInvitationEmailMismatch,
                WorkspaceInvitationDoesNotExist,
                Throttled,
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.SignupSerializer, request)
        authenticate = data.pop("authenticate")
        user = signup.user_signup(**data)
        if authenticate:
            return Response(login_payload(user))
        return Response({"user": s.UserSerializer(user).data})


class TokenAuthView(PublicAPIView):
    throttle_classes = LOGIN_THROTTLES

    @extend_schema(
        tags=[TAG],
        operation_id="token_auth",
        request=s.TokenAuthSerializer,
        responses={
            200: s.AuthPayloadSerializer,
            **error_responses(errors.InvalidCredentials, errors.DeactivatedUserLogin, Throttled),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.TokenAuthSerializer, request)
        user = services.user_authenticate(**data)
        require_valid_client_headers(request)
        return Response(login_payload(user))


class TokenRefreshView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        operation_id="token_refresh",
        request=s.RefreshTokenSerializer,
        responses={200: s.AuthPayloadSerializer, **error_responses(errors.InvalidRefreshToken)},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.RefreshTokenSerializer, request)
        user, access = tokens.access_token_from_refresh(data["refresh_token"])
        return Response(auth_payload(user, access))


class TokenVerifyView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        operation_id="token_verify",
        request=s.RefreshTokenSerializer,
        responses={200: s.VerifyResponseSerializer, **error_responses(errors.InvalidRefreshToken)},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.RefreshTokenSerializer, request)
        user, _ = tokens.refresh_token_validate(data["refresh_token"])
        payload = auth_payload(user, "")
        keys = ("user", "permissions", "user_notifications")
        return Response({key: payload[key] for key in keys})


class TokenBlacklistView(PublicAPIView):
    @extend_schema(
        tags=[TAG],
        operation_id="token_blacklist",
        request=s.RefreshTokenSerializer,
        responses={
            204: None,
            **error_responses(errors.InvalidRefreshToken, errors.RefreshTokenAlreadyBlacklisted),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.RefreshTokenSerializer, request)
        tokens.refresh_token_blacklist(data["refresh_token"])
        return Response(status=204)


class AccountView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="update_account",
        request=s.AccountSerializer,
        responses={200: s.AccountSerializer},
    )
    def patch(self, request: Request) -> Response:
        data = validated_body(s.AccountSerializer, request, partial=True)
        user = services.user_update_account(user=request.user, **data)
        return Response({name: getattr(user, name) for name in s.AccountSerializer().fields})


class ScheduleAccountDeletionView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="schedule_account_deletion",
        request=None,
        responses={204: None, **error_responses(errors.UserIsLastAdmin)},
    )
    def post(self, request: Request) -> Response:
        services.user_schedule_deletion(user=request.user)
        return Response(status=204)


class ChangePasswordView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="change_password",
        request=s.ChangePasswordSerializer,
        responses={204: None, **error_responses(errors.InvalidOldPassword)},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.ChangePasswordSerializer, request)
        services.user_change_password(user=request.user, **data)
        return Response(status=204)


class SendResetPasswordEmailView(PublicAPIView):
    throttle_classes = PASSWORD_RESET_THROTTLES

    @extend_schema(
        tags=[TAG],
        operation_id="send_password_reset_email",
        request=s.SendResetPasswordEmailSerializer,
        responses={204: None, **error_responses(errors.HostnameNotAllowed, Throttled)},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.SendResetPasswordEmailSerializer, request)
        services.send_reset_password_email(**data)
        return Response(status=204)


class ResetPasswordView(PublicAPIView):
    throttle_classes = PASSWORD_RESET_THROTTLES[:1]

    @extend_schema(
        tags=[TAG],
        operation_id="reset_password",
        request=s.ResetPasswordSerializer,
        responses={
            204: None,
            **error_responses(
                errors.BadTokenSignature,
                errors.ExpiredTokenSignature,
                errors.UserNotFound,
                Throttled,
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(s.ResetPasswordSerializer, request)
        services.user_reset_password(**data)
        return Response(status=204)


class LoginOptionsView(PublicAPIView):
    @extend_schema(
        tags=["Auth"],
        operation_id="get_login_options",
        responses={200: s.LoginOptionsSerializer},
    )
    def get(self, request: Request) -> Response:
        # Only the email and password login exists on this server.
        return Response({"password": {"type": "password"}})
