"""The OpenAPI schema and its two readers, Redoc and Swagger UI, served with their own assets."""

from django.urls import path
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

# Included under the "api" namespace, so the pages must name the schema route in full.
SCHEMA_URL_NAME = "api:schema"

urlpatterns = [
    path("schema.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name=SCHEMA_URL_NAME, template_name="api/redoc.html"),
        name="redoc",
    ),
    path("docs/", SpectacularSwaggerView.as_view(url_name=SCHEMA_URL_NAME), name="docs"),
]
