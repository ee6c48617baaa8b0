from django.urls import path

from database.imports import views

app_name = "imports"

urlpatterns = [
    path("<int:table_id>/import/async/", views.TableImportView.as_view(), name="table"),
]
