"""Routes under /api/database/rows/."""

from django.urls import path

from database.rows import views

app_name = "rows"

urlpatterns = [
    path("table/<int:table_id>/", views.RowsView.as_view(), name="list"),
    path("table/<int:table_id>/batch/", views.RowsBatchView.as_view(), name="batch"),
    path(
        "table/<int:table_id>/batch-delete/",
        views.RowsBatchDeleteView.as_view(),
        name="batch_delete",
    ),
    path("table/<int:table_id>/<int:row_id>/", views.RowView.as_view(), name="item"),
    path("table/<int:table_id>/<int:row_id>/move/", views.RowMoveView.as_view(), name="move"),
    path(
        "table/<int:table_id>/<int:row_id>/adjacent/",
        views.RowAdjacentView.as_view(),
        name="adjacent",
    ),
    path(
        "table/<int:table_id>/<int:row_id>/history/",
        views.RowHistoryView.as_view(),
        name="history",
    ),
    path("names/", views.RowNamesView.as_view(), name="names"),
]
