from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobsView.as_view(), name="list"),
    path("<int:job_id>/", views.JobView.as_view(), name="item"),
    path("<int:job_id>/cancel/", views.JobCancelView.as_view(), name="cancel"),
]
