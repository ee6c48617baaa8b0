"""Root URLs: the API lives under /api/."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import include, path, re_path

from api import views
from user_files.views import serve_media

MEDIA_PATH = urlsplit(settings.MEDIA_URL).path.strip("/")

urlpatterns = [
    path("api/", include("api.urls")),
    path("api-docs/", include("database.api_docs.urls", namespace="api_docs")),
    path("_health/", views.health),
    # Files of the local storage; a remote store (S3) serves its own.
    re_path(rf"^{MEDIA_PATH}/(?P<path>.+)$", serve_media, name="media"),
]

handler400 = "api.views.bad_request"
handler404 = "api.views.url_not_found"
handler500 = "api.views.server_error"
