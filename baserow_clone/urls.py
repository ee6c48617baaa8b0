"""Root URLs: the API lives under /api/."""

from django.urls import include, path

from api import views

urlpatterns = [
    path("api/", include("api.urls")),
    path("api-docs/", include("database.api_docs.urls", namespace="api_docs")),
    path("_health/", views.health),
]

handler400 = "api.views.bad_request"
handler404 = "api.views.url_not_found"
handler500 = "api.views.server_error"
