"""Deprecated twins under /api/groups/ (workspaces were once called groups): the same views and
answers, with `group/<id>` where the current paths say `workspace/<id>`. Their URL names live in
the namespace "groups" (api:groups:<name>); the OpenAPI schema marks them deprecated."""

from workspaces.urls import workspace_urlpatterns

app_name = "groups"
urlpatterns = workspace_urlpatterns(scope="group")
