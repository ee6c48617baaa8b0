"""Routes under /api/database/fields/."""

from django.urls import path

from database.fields import views

app_name = "fields"

urlpatterns = [
    path("table/<int:table_id>/", views.FieldsView.as_view(), name="list"),
    path(
        "table/<int:table_id>/change-primary-field/",
        views.ChangePrimaryFieldView.as_view(),
        name="change_primary_field",
    ),
    path("<int:field_id>/", views.FieldView.as_view(), name="item"),
    path(
        "<int:field_id>/duplicate/async/",
        views.FieldDuplicateAsyncView.as_view(),
        name="duplicate_async",
    ),
    path(
        "<int:field_id>/unique_row_values/",
        views.UniqueRowValuesView.as_view(),
        name="unique_row_values",
    ),
]
