"""Fixtures for workspace tests: a workspace with an admin, a member and an outsider."""

import pytest
from django.urls import reverse

from tests.workspaces.helpers import join, workspace_of
from users.models import User
from workspaces.models import Workspace, WorkspaceInvitation


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Signup hashes a password per user; the slow production hasher adds nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["workspaces", "groups"])
def url(request):
    """reverse() within /api/workspaces/ or its deprecated twin /api/groups/."""

    def make(name: str, **kwargs: object) -> str:
        return reverse(f"api:{request.param}:{name}", kwargs=kwargs)

    return make


@pytest.fixture
def workspace(user) -> Workspace:
    """Ada's workspace; Ada (`user`) is its admin."""
    return workspace_of(user)


@pytest.fixture
def member(make_user, workspace) -> User:
    """Cleo, a MEMBER of Ada's workspace (and admin of her own)."""
    cleo = make_user(name="Cleo", email="cleo@example.com")
    join(workspace, cleo)
    return cleo


@pytest.fixture
def outsider(other_user) -> User:
    """Bob, admin of his own workspace, stranger to Ada's."""
    return other_user


@pytest.fixture
def invitation(user, workspace) -> WorkspaceInvitation:
    """Ada's invitation of dora@example.com, who has no account yet."""
    return WorkspaceInvitation.objects.create(
        workspace=workspace, invited_by=user, email="dora@example.com", message="Hi Dora"
    )
