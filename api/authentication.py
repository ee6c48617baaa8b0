"""Authentication: JWT access tokens sent as `JWT <token>` (or `Bearer <token>`)."""

from django.contrib.auth import get_user_model
from rest_framework.request import Request
from rest_framework_simplejwt import authentication as simplejwt_auth
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.tokens import Token

from api.exceptions import DeactivatedUser, InvalidAccessToken
from users.tokens import issued_before_password_change


class JWTAuthentication(simplejwt_auth.JWTAuthentication):
    """SimpleJWT's authenticator with Baserow's error bodies and password-change invalidation."""

    def authenticate(self, request: Request):
        try:
            result = super().authenticate(request)
        except (InvalidToken, AuthenticationFailed) as exc:
            raise InvalidAccessToken() from exc
        return result

    def get_user(self, validated_token: Token):
        user_id = validated_token.get("user_id")
        user = get_user_model().objects.filter(id=user_id).first()
        if user is None:
            raise InvalidAccessToken()
        if not user.is_active:
            raise DeactivatedUser()
        if issued_before_password_change(validated_token, user):
            raise InvalidAccessToken()
        return user

    def authenticate_header(self, request: Request) -> str:
        return 'JWT realm="api"'
