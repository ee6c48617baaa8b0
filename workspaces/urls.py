"""Routes under /api/workspaces/; urls_groups.py mounts the same routes under /api/groups/."""

from django.urls import URLPattern, path

from workspaces import views


def workspace_urlpatterns(*, scope: str) -> list[URLPattern]:
    """All workspace routes; `scope` names a workspace in paths: "workspace", or legacy "group"."""
    return [
        path("", views.WorkspacesView.as_view(), name="list"),
        path("order/", views.WorkspacesOrderView.as_view(), name="order"),
        path(
            "create-initial-workspace/",
            views.CreateInitialWorkspaceView.as_view(),
            name="create_initial",
        ),
        path("<int:workspace_id>/", views.WorkspaceView.as_view(), name="item"),
        path("<int:workspace_id>/leave/", views.WorkspaceLeaveView.as_view(), name="leave"),
        path(
            "<int:workspace_id>/permissions/",
            views.WorkspacePermissionsView.as_view(),
            name="permissions",
        ),
        path(
            f"users/{scope}/<int:workspace_id>/", views.WorkspaceUsersView.as_view(), name="users"
        ),
        path("users/<int:workspace_user_id>/", views.WorkspaceUserView.as_view(), name="user"),
        path(
            f"invitations/{scope}/<int:workspace_id>/",
            views.WorkspaceInvitationsView.as_view(),
            name="invitations",
        ),
        path(
            "invitations/token/<str:token>/",
            views.InvitationByTokenView.as_view(),
            name="invitation_token",
        ),
        path(
            "invitations/<int:invitation_id>/",
            views.WorkspaceInvitationView.as_view(),
            name="invitation",
        ),
        path(
            "invitations/<int:invitation_id>/accept/",
            views.AcceptInvitationView.as_view(),
            name="invitation_accept",
        ),
        path(
            "invitations/<int:invitation_id>/reject/",
            views.RejectInvitationView.as_view(),
            name="invitation_reject",
        ),
    ]


app_name = "workspaces"
urlpatterns = workspace_urlpatterns(scope="workspace")
