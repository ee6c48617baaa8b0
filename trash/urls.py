from django.urls import path

from trash import views

app_name = "trash"

urlpatterns = [
    path("", views.TrashStructureView.as_view(), name="structure"),
    path("workspace/<int:workspace_id>/", views.TrashContentsView.as_view(), name="contents"),
    path("restore/", views.TrashRestoreView.as_view(), name="restore"),
]
