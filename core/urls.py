from django.urls import path

from core import views

app_name = "settings"

urlpatterns = [
    path("", views.SettingsView.as_view(), name="index"),
    path("update/", views.SettingsUpdateView.as_view(), name="update"),
    path("instance-id/", views.InstanceIdView.as_view(), name="instance_id"),
]
