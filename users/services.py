"""Account rules: signup, login, account changes, passwords."""

import hashlib
import unicodedata
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.selectors import instance_settings
from events import announce
from events.context import events_to_sender
from users.errors import (
    BadTokenSignature,
    DeactivatedUserLogin,
    ExpiredTokenSignature,
    HostnameNotAllowed,
    InvalidCredentials,
    InvalidOldPassword,
    ResetPasswordDisabled,
    UserAlreadyExists,
    UserIsLastAdmin,
    UserNotFound,
)
from users.models import User

RESET_PASSWORD_SALT = "users.reset-password"


def normalize_email(email: str) -> str:
    """Emails are compared NFKC-normalized, trimmed and lower-cased."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def require_frontend_url(base_url: str) -> None:
    """Links we mail must point at our own web frontend, never at a host a caller chose."""
    allowed = {urlparse(settings.PUBLIC_WEB_FRONTEND_URL).hostname}
    allowed.update(settings.EXTRA_ALLOWED_FRONTEND_HOSTNAMES)
    if urlparse(base_url).hostname not in allowed:
        raise HostnameNotAllowed()


def user_create(*, name: str, email: str, password: str, language: str = "en") -> User:
    """Create an account; the first account of the instance is staff."""
    email = normalize_email(email)
    if User.objects.filter(username=email).exists():
        raise UserAlreadyExists()
    user = User(
        username=email,
        email=email,
        first_name=name,
        language=language,
        is_staff=not User.objects.exists(),
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # two signups with one email at the same moment
        raise UserAlreadyExists() from exc
    return user


def user_authenticate(*, email: str, password: str) -> User:
    """The account for these credentials; logging in also cancels a scheduled deletion."""
    user = User.objects.filter(username=normalize_email(email)).first()
    if user is None:
        make_password(password)  # spend the same time as a real check
        raise InvalidCredentials()
    if not user.check_password(password):
        raise InvalidCredentials()
    if not user.is_active:
        raise DeactivatedUserLogin()
    restored = user.to_be_deleted
    user.last_login = timezone.now()
    user.to_be_deleted = False
    user.save(update_fields=["last_login", "to_be_deleted"])
    if restored:
        announce("user_restored", user=user, subject=user)
    return user


@transaction.atomic
def user_schedule_deletion(*, user: User) -> None:
    """Flag the account for deletion after the grace delay; logging in again cancels it."""
    others_staff = User.objects.filter(is_staff=True, is_active=True).exclude(id=user.id)
    if user.is_staff and not others_staff.exists():
        raise UserIsLastAdmin()
    user.to_be_deleted = True
    user.last_login = timezone.now()  # the grace delay counts from now
    user.save(update_fields=["to_be_deleted", "last_login"])
    with events_to_sender():  # every socket of the account hears it, as in Baserow
        announce("user_deleted", user=user, subject=user)
    days = instance_settings().account_deletion_grace_delay
    send_mail(
        subject="Your account will be deleted",
        message=f"Hi {user.first_name},\n\nYour account will be deleted in {days} days. "
        "Log in before then to keep it.",
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def user_update_account(*, user: User, **fields: object) -> User:
    """Change the account's own settings (name, language, notifications, onboarding).

    Completed guided tours are added to the stored ones, never removed, as Baserow does.
    """
    allowed = {
        "first_name",
        "language",
        "email_notification_frequency",
        "completed_onboarding",
        "completed_guided_tours",
    }
    if unknown := set(fields) - allowed:
        raise ValueError(f"{sorted(unknown)} cannot be changed through the account")
    if "completed_guided_tours" in fields:
        # Locked, so two tours finished at once are both kept.
        stored = User.objects.select_for_update().get(id=user.id).completed_guided_tours or []
        added = [
            tour for tour in dict.fromkeys(fields["completed_guided_tours"]) if tour not in stored
        ]
        fields["completed_guided_tours"] = [*stored, *added]
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    if "first_name" in fields:
        announce("user_updated", user=user, subject=user)
    return user


def _set_password(user: User, password: str) -> None:
    user.set_password(password)
    user.last_password_change = timezone.now()
    user.save(update_fields=["password", "last_password_change"])


def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    """Change the password; every token issued until now stops working."""
    if not user.check_password(old_password):
        raise InvalidOldPassword()
    _set_password(user, new_password)


def _password_fingerprint(user: User) -> str:
    # Binds a reset token to the current password, so the token works only once.
    return hashlib.sha256(user.password.encode()).hexdigest()[:16]


def reset_password_token(*, user: User) -> str:
    return signing.dumps(
        {"user_id": user.id, "pw": _password_fingerprint(user)}, salt=RESET_PASSWORD_SALT
    )


def require_reset_password_allowed() -> None:
    """Raise unless the instance allows password resets."""
    if not instance_settings().allow_reset_password:
        raise ResetPasswordDisabled()


def send_reset_password_email(*, email: str, base_url: str) -> None:
    """Mail a reset link if an active account has this email; say nothing either way."""
    require_reset_password_allowed()
    require_frontend_url(base_url)
    user = User.objects.filter(username=normalize_email(email), is_active=True).first()
    if user is None:
        return
    link = f"{base_url.rstrip('/')}/{reset_password_token(user=user)}"
    send_mail(
        subject="Reset your password",
        message=f"Hi {user.first_name},\n\nOpen this link to choose a new password:\n{link}\n\n"
        "If you did not ask for it, ignore this email.",
        from_email=None,
        recipient_list=[user.email],
    )


def user_reset_password(*, token: str, password: str) -> User:
    """Set a new password from a mailed reset token."""
    require_reset_password_allowed()
    try:
        payload = signing.loads(
            token, salt=RESET_PASSWORD_SALT, max_age=settings.RESET_PASSWORD_TOKEN_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as exc:
        raise ExpiredTokenSignature() from exc
    except signing.BadSignature as exc:
        raise BadTokenSignature() from exc
    user = User.objects.filter(id=payload.get("user_id")).first()
    if user is None:
        raise UserNotFound()
    if payload.get("pw") != _password_fingerprint(user):
        raise BadTokenSignature()
    _set_password(user, password)
    return user
