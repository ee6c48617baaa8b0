"""JWT pairs: issue, refresh, verify and blacklist, with password-change invalidation."""

import hashlib
import time
from datetime import UTC, datetime

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, Token

from users.errors import InvalidRefreshToken, RefreshTokenAlreadyBlacklisted
from users.models import BlacklistedToken, User


def issued_before_password_change(token: Token, user: User) -> bool:
    """Tokens from the second of the last password change or earlier are refused."""
    if user.last_password_change is None:
        return False
    return int(token["iat"]) <= int(user.last_password_change.timestamp())


def _wait_past_password_change(user: User) -> None:
    # `iat` has whole seconds: a token issued in the very second of a password change would be
    # refused, so the rare login in that second waits for the next one.
    if user.last_password_change is None:
        return
    changed = int(user.last_password_change.timestamp())
    while int(time.time()) <= changed:
        time.sleep(0.05)


def _for_user(token_class: type[Token], user: User) -> Token:
    token = token_class.for_user(user)
    token["user_id"] = user.id  # an integer, as Baserow's clients expect (SimpleJWT writes a str)
    return token


def token_pair_for_user(user: User) -> tuple[str, str]:
    """A new (access, refresh) pair."""
    _wait_past_password_change(user)
    return str(_for_user(AccessToken, user)), str(_for_user(RefreshToken, user))


def _hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def refresh_token_validate(raw_token: str) -> tuple[User, RefreshToken]:
    """The user a refresh token belongs to, or InvalidRefreshToken for any reason it is unusable."""
    try:
        token = RefreshToken(raw_token)
    except TokenError as exc:
        raise InvalidRefreshToken() from exc
    user = User.objects.filter(id=token.get("user_id")).first()
    if (
        user is None
        or not user.is_active
        or user.to_be_deleted
        or issued_before_password_change(token, user)
        or BlacklistedToken.objects.filter(hashed_token=_hash(raw_token)).exists()
    ):
        raise InvalidRefreshToken()
    return user, token


def access_token_from_refresh(raw_token: str) -> tuple[User, str]:
    """A new access token for a valid refresh token (no rotation: the refresh token stays)."""
    user, _ = refresh_token_validate(raw_token)
    _wait_past_password_change(user)
    return user, str(_for_user(AccessToken, user))


def refresh_token_blacklist(raw_token: str) -> None:
    """Log out: the refresh token can no longer be used."""
    try:
        token = RefreshToken(raw_token)
    except TokenError as exc:
        raise InvalidRefreshToken() from exc
    hashed = _hash(raw_token)
    if BlacklistedToken.objects.filter(hashed_token=hashed).exists():
        raise RefreshTokenAlreadyBlacklisted()
    user = User.objects.filter(id=token.get("user_id")).first()
    if user is None:
        raise InvalidRefreshToken()
    expires_at = datetime.fromtimestamp(token["exp"], tz=UTC)
    BlacklistedToken.objects.get_or_create(
        hashed_token=hashed, defaults={"user": user, "expires_at": expires_at}
    )
