"""Signing up: an account, then a workspace (the invitation's, or the example one)."""

from django.db import transaction

from core.selectors import instance_settings
from database.compose import example
from users.errors import DisabledSignup
from users.models import User
from users.services import normalize_email, user_create
from workspaces import services as workspace_services


@transaction.atomic
def user_signup(
    *,
    name: str,
    email: str,
    password: str,
    language: str = "en",
    workspace_invitation_token: str | None = None,
) -> User:
    """Sign up: the new user joins the invitation's workspace, or gets the example workspace."""
    invitation = None
    if workspace_invitation_token:
        invitation = workspace_services.invitation_get_by_token(token=workspace_invitation_token)
        workspace_services.require_invitation_email(
            invitation=invitation, email=normalize_email(email)
        )
    allowed = instance_settings()
    if not allowed.allow_new_signups and not (
        invitation is not None and allowed.allow_signups_via_workspace_invitations
    ):
        raise DisabledSignup()
    user = user_create(name=name, email=email, password=password, language=language)
    if invitation is not None:
        workspace_services.invitation_accept(user=user, invitation=invitation)
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    else:
        example.workspace_create_initial(user=user)
    return user
