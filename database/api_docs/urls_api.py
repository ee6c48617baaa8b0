"""The OpenAPI document of one database, mounted under /api/database/."""

from django.urls import path

from database.api_docs import views

app_name = "database_docs"

urlpatterns = [
    path("<int:database_id>/schema.json", views.DatabaseSchemaView.as_view(), name="schema"),
]
