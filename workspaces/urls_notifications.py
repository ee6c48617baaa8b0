from django.urls import path

from workspaces import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("<int:workspace_id>/", views.NotificationsView.as_view(), name="list"),
    path(
        "<int:workspace_id>/mark-all-as-read/",
        views.NotificationsMarkAllReadView.as_view(),
        name="mark_all_as_read",
    ),
    path(
        "<int:workspace_id>/<int:notification_id>/",
        views.NotificationView.as_view(),
        name="item",
    ),
]
