from django.urls import path

from database.export import views

app_name = "export"

urlpatterns = [
    path("table/<int:table_id>/", views.ExportTableView.as_view(), name="table"),
    path("view/<int:view_id>/", views.ExportViewView.as_view(), name="view"),
    path("<int:job_id>/", views.ExportJobView.as_view(), name="job"),
]
