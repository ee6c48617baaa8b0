"""Scheduling an account's deletion, cancelling it by logging in, and the expiry."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.workspaces.helpers import join, workspace_of
from users.models import User
from workspaces.models import Role, Workspace
from workspaces.services import accounts_delete_expired

SCHEDULE = "/api/user/schedule-account-deletion/"
LOGIN = "/api/user/token-auth/"
REFRESH = "/api/user/token-refresh/"


def login(user):
    body = {"email": user.email, "password": "password123"}
    return APIClient().post(LOGIN, body, format="json")


def test_scheduling_flags_the_account_and_mails_it(client_for, user, other_user):
    refresh = login(other_user).json()["refresh_token"]
    response = client_for(other_user).post(SCHEDULE)
    assert response.status_code == 204
    other_user.refresh_from_db()
    assert other_user.to_be_deleted
    assert "30 days" in mail.outbox[-1].body
    # While scheduled, refresh tokens are refused; logging in cancels the deletion.
    assert APIClient().post(REFRESH, {"refresh_token": refresh}, format="json").status_code == 401
    assert login(other_user).status_code == 200
    other_user.refresh_from_db()
    assert not other_user.to_be_deleted


def test_the_last_staff_account_cannot_be_deleted(client_for, user, other_user):
    assert user.is_staff and not other_user.is_staff
    response = client_for(user).post(SCHEDULE)
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_USER_IS_LAST_ADMIN",
        "detail": "You are the last admin of the instance.",
    }
    user.refresh_from_db()
    assert not user.to_be_deleted
    assert APIClient().post(SCHEDULE).status_code == 401


def test_expired_accounts_go_and_their_sole_admin_workspaces_to_the_trash(
    client_for, user, other_user, make_user
):
    bobs = workspace_of(other_user)
    shared = workspace_of(user)
    join(shared, other_user, Role.ADMIN)
    keeper = make_user(email="keeper@example.com")
    client_for(other_user).post(SCHEDULE)
    client_for(keeper).post(SCHEDULE)
    # Not yet: the grace delay (30 days) has not passed.
    assert accounts_delete_expired() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    User.objects.filter(id=keeper.id).update(last_login=timezone.now() + datetime.timedelta(days=2))
    assert accounts_delete_expired(now=later) == 1
    assert not User.objects.filter(id=other_user.id).exists()
    assert User.objects.filter(id=keeper.id).exists()
    assert Workspace.objects_and_trash.get(id=bobs.id).trashed
    assert not Workspace.objects_and_trash.get(id=shared.id).trashed  # Ada is still its admin


def test_the_command_runs_the_expiry(user, other_user, client_for):
    client_for(other_user).post(SCHEDULE)
    User.objects.filter(id=other_user.id).update(
        last_login=timezone.now() - datetime.timedelta(days=40)
    )
    call_command("delete_expired_accounts")
    assert not User.objects.filter(id=other_user.id).exists()
