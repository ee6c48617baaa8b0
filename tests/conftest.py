"""Shared fixtures: real users made through the services, clients with real JWTs."""

import itertools

import pytest
from django.core.cache import caches
from django.urls import reverse
from rest_framework.response import Response
from rest_framework.test import APIClient

from users.models import User
from users.signup import user_signup
from users.tokens import token_pair_for_user

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness only slows the suite; the hashing code path stays real."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _throttles_out_of_the_way(settings):
    """Every test client shares one address; only the throttle tests bring the limits back."""
    settings.THROTTLE_RATES = {scope: "1000000/60" for scope in settings.THROTTLE_RATES}


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_user(db):
    """Sign up a user through the real signup service (so they get the example workspace)."""

    def make(name: str | None = None, email: str | None = None, password: str = "password123"):
        n = next(_counter)
        return user_signup(
            name=name or f"User {n}",
            email=email or f"user{n}@example.com",
            password=password,
        )

    return make


@pytest.fixture
def user(make_user) -> User:
    return make_user(name="Ada", email="ada@example.com")


@pytest.fixture
def other_user(make_user) -> User:
    return make_user(name="Bob", email="bob@example.com")


@pytest.fixture
def client_for():
    """An APIClient that sends `Authorization: JWT <access>` for the given user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        access, _ = token_pair_for_user(user)
        client.credentials(HTTP_AUTHORIZATION=f"JWT {access}")
        return client

    return make


@pytest.fixture
def user_client(client_for, user) -> APIClient:
    return client_for(user)


@pytest.fixture(autouse=True)
def _jobs_run_in_the_test_thread(settings):
    """With no broker, jobs run in-process: here in the test's own thread, which sees its data.

    Their live state goes to this process's memory, not to a directory parallel runs share.
    """
    settings.JOB_THREADS = 0
    jobs_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"}
    settings.CACHES = {**settings.CACHES, "jobs": jobs_cache}
    caches["jobs"].clear()  # job ids come again once a test's transaction rolls back


@pytest.fixture
def start_job(django_capture_on_commit_callbacks):
    """POST to an endpoint that starts a job: (its answer, the job polled once it has run).

    The job runs once the request's transaction commits, as it does outside tests.
    """

    def post(client: APIClient, url: str, data: dict | None = None) -> tuple[Response, dict]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data, format="json")
        assert response.json()["state"] == "pending", response.json()
        job_id = response.json()["id"]
        polled = client.get(reverse("api:jobs:item", kwargs={"job_id": job_id}))
        return response, polled.json()

    return post
