"""Wire shapes of accounts (01-users-auth.md)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from users.models import LANGUAGES, NotificationFrequency, User
from users.services import normalize_email


def _check_language(value: str) -> str:
    if value not in LANGUAGES:
        raise serializers.ValidationError(
            f"Only the following language keys are valid: {','.join(LANGUAGES)}",
            code="invalid_language",
        )
    return value


def _check_password(value: str) -> str:
    try:
        validate_password(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages, code="password_validation_failed") from exc
    return value


class NormalizedEmailField(serializers.EmailField):
    """An email, NFKC-normalized, trimmed and lower-cased before it is validated."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = normalize_email(data)
        return super().to_internal_value(data)


class PasswordField(serializers.CharField):
    """A new password: 8 to 256 characters, checked by Django's password validators."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 256)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("validators", [_check_password])
        super().__init__(**kwargs)


class PublicUserSerializer(serializers.ModelSerializer):
    """What a user's coworkers may know of them."""

    class Meta:
        model = User
        fields = ("id", "username", "first_name")
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = (
            "first_name",
            "username",
            "is_staff",
            "id",
            "language",
            "email_notification_frequency",
            "email_verified",
            "completed_onboarding",
            "completed_guided_tours",
        )
        read_only_fields = fields


class SignupSerializer(serializers.Serializer):
    name = serializers.CharField(min_length=2, max_length=150)
    email = NormalizedEmailField(max_length=254)
    password = PasswordField()
    language = serializers.CharField(
        min_length=2, max_length=10, default="en", validators=[_check_language]
    )
    authenticate = serializers.BooleanField(default=False)
    workspace_invitation_token = serializers.CharField(
        required=False, allow_blank=True, max_length=1000
    )


class TokenAuthSerializer(serializers.Serializer):
    email = serializers.CharField(required=False, max_length=254)
    username = serializers.CharField(required=False, max_length=254, help_text="Deprecated.")
    password = serializers.CharField(max_length=256, trim_whitespace=False)

    def validate(self, attrs: dict) -> dict:
        email = attrs.get("email") or attrs.get("username")
        if not email:
            raise serializers.ValidationError({"email": "This field is required."}, code="required")
        return {"email": email, "password": attrs["password"]}


class RefreshTokenSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(required=False, max_length=4096)
    token = serializers.CharField(required=False, max_length=4096, help_text="Deprecated.")

    def validate(self, attrs: dict) -> dict:
        token = attrs.get("refresh_token") or attrs.get("token")
        if not token:
            raise serializers.ValidationError(
                {"refresh_token": "This field is required."}, code="required"
            )
        return {"refresh_token": token}


class AuthPayloadSerializer(serializers.Serializer):
    """The body of a successful login, signup with `authenticate`, or refresh."""

    user = UserSerializer()
    token = serializers.CharField(help_text="Deprecated: the same as access_token.")
    access_token = serializers.CharField()
    refresh_token = serializers.CharField(required=False)
    user_session = serializers.CharField(required=False)
    permissions = serializers.ListField(child=serializers.DictField())
    user_notifications = serializers.DictField()


class SignupResponseSerializer(serializers.Serializer):
    user = UserSerializer()
    token = serializers.CharField(required=False)
    access_token = serializers.CharField(required=False)
    refresh_token = serializers.CharField(required=False)
    user_session = serializers.CharField(required=False)
    permissions = serializers.ListField(child=serializers.DictField(), required=False)
    user_notifications = serializers.DictField(required=False)


class VerifyResponseSerializer(serializers.Serializer):
    user = UserSerializer()
    permissions = serializers.ListField(child=serializers.DictField())
    user_notifications = serializers.DictField()


class AccountSerializer(serializers.Serializer):
    first_name = serializers.CharField(min_length=2, max_length=150, required=False)
    language = serializers.CharField(
        min_length=2, max_length=10, required=False, validators=[_check_language]
    )
    email_notification_frequency = serializers.ChoiceField(
        choices=NotificationFrequency.choices, required=False
    )
    completed_onboarding = serializers.BooleanField(required=False)
    completed_guided_tours = serializers.ListField(
        child=serializers.CharField(max_length=255), max_length=100, required=False
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError("At least one field must be provided.")
        return attrs


class ChangePasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=256, trim_whitespace=False)
    new_password = PasswordField()


class SendResetPasswordEmailSerializer(serializers.Serializer):
    email = NormalizedEmailField(max_length=254)
    base_url = serializers.URLField(max_length=2000)


class ResetPasswordSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=2000)
    password = PasswordField()


class PasswordLoginOptionSerializer(serializers.Serializer):
    type = serializers.CharField()


class LoginOptionsSerializer(serializers.Serializer):
    password = PasswordLoginOptionSerializer()
