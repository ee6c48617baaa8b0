"""Domain exceptions of accounts and authentication."""


class UserAlreadyExists(Exception):
    """An account with this email exists already."""


class UserNotFound(Exception):
    """No such user."""


class InvalidCredentials(Exception):
    """The email and password do not match an active account."""


class DeactivatedUserLogin(Exception):
    """The account exists but is disabled."""


class InvalidRefreshToken(Exception):
    """The refresh token is expired, forged, blacklisted or its user cannot use it."""


class RefreshTokenAlreadyBlacklisted(Exception):
    """The refresh token was blacklisted before."""


class InvalidOldPassword(Exception):
    """The current password given to change it is wrong."""


class HostnameNotAllowed(Exception):
    """A base_url points at a host that is not our frontend."""


class BadTokenSignature(Exception):
    """A signed token (password reset, invitation) was forged or mangled."""


class ExpiredTokenSignature(Exception):
    """A signed token is older than it may be."""


class DisabledSignup(Exception):
    """New signups are turned off on this instance."""


class ResetPasswordDisabled(Exception):
    """The instance does not allow password resets."""


class UserIsLastAdmin(Exception):
    """The instance's last staff account cannot be deleted."""
