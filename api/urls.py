"""Everything under /api/."""

from django.urls import include, path, re_path

from api import views
from users import views as user_views

app_name = "api"

urlpatterns = [
    path("user/", include("users.urls", namespace="user")),
    path("workspaces/", include("workspaces.urls", namespace="workspaces")),
    path("groups/", include("workspaces.urls_groups", namespace="groups")),
    path("applications/", include("database.applications.urls", namespace="applications")),
    path("database/tables/", include("database.tables.urls", namespace="tables")),
    path("database/tables/", include("database.imports.urls", namespace="imports")),
    path("database/fields/", include("database.fields.urls", namespace="fields")),
    path("database/rows/", include("database.rows.urls", namespace="rows")),
    path("database/views/", include("database.views.urls", namespace="views")),
    path("database/tokens/", include("database.tokens.urls", namespace="tokens")),
    path("database/webhooks/", include("webhooks.urls", namespace="webhooks")),
    path("database/export/", include("database.export.urls", namespace="export")),
    path("database/", include("database.api_docs.urls_api", namespace="database_docs")),
    path("jobs/", include("jobs.urls", namespace="jobs")),
    path("trash/", include("trash.urls", namespace="trash")),
    path("settings/", include("core.urls", namespace="settings")),
    path("notifications/", include("workspaces.urls_notifications", namespace="notifications")),
    path(
        "auth-provider/login-options/", user_views.LoginOptionsView.as_view(), name="login_options"
    ),
    path("user-files/", include("user_files.urls", namespace="user_files")),
    path("", include("api.schema_urls")),
    path("_health/", views.health, name="health"),
    path("_health/full/", views.FullHealthView.as_view(), name="health_full"),
    # Last: any other /api/ path gets the contract's JSON 404, whatever the method.
    re_path(r"^.*$", views.url_not_found, name="not_found"),
]
