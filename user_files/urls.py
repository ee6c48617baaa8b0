from django.urls import path

from user_files import views

app_name = "user_files"

urlpatterns = [
    path("upload-file/", views.UploadFileView.as_view(), name="upload_file"),
    path("upload-via-url/", views.UploadViaUrlView.as_view(), name="upload_via_url"),
]
