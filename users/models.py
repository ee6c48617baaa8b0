"""The account model: the email is the username, as in Baserow."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

# The languages Baserow's web frontend ships, by the key an account stores.
LANGUAGES = ("en", "fr", "nl", "de", "es", "it", "pl", "ko")


class NotificationFrequency(models.TextChoices):
    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class User(AbstractUser):
    """An account. `username` always equals the normalized email."""

    username = models.CharField(max_length=254, unique=True)
    email = models.EmailField(max_length=254, unique=True)
    language = models.CharField(max_length=10, default="en")
    email_notification_frequency = models.CharField(
        max_length=16, choices=NotificationFrequency.choices, default=NotificationFrequency.INSTANT
    )
    email_verified = models.BooleanField(default=False)
    completed_onboarding = models.BooleanField(default=False)
    completed_guided_tours = models.JSONField(default=list, blank=True)
    # Tokens issued before this moment are refused (see users.tokens).
    last_password_change = models.DateTimeField(null=True, blank=True)
    to_be_deleted = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]  # noqa: RUF012 (Django reads it as a plain list)

    class Meta:
        db_table = "users_user"

    def __str__(self) -> str:
        return self.username


class BlacklistedToken(models.Model):
    """A refresh token that was logged out; only its hash is kept."""

    hashed_token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.hashed_token
