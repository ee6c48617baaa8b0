"""The HTML docs page, mounted at /api-docs/ by the root URLs."""

from django.urls import path

from database.api_docs import views

app_name = "api_docs"

urlpatterns = [
    path("database/<int:database_id>/", views.database_docs_page, name="database"),
]
