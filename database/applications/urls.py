from django.urls import path

from database.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.ApplicationsView.as_view(), name="list"),
    path(
        "workspace/<int:workspace_id>/",
        views.WorkspaceApplicationsView.as_view(),
        name="workspace",
    ),
    path(
        "workspace/<int:workspace_id>/order/",
        views.WorkspaceApplicationsOrderView.as_view(),
        name="order",
    ),
    path("<int:application_id>/", views.ApplicationView.as_view(), name="item"),
    path(
        "<int:application_id>/duplicate/async/",
        views.ApplicationDuplicateView.as_view(),
        name="duplicate",
    ),
]
