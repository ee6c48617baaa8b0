from django.urls import path

from database.tables import views
from database.tokens.views import AllTablesView

app_name = "tables"

urlpatterns = [
    path("database/<int:database_id>/", views.DatabaseTablesView.as_view(), name="list"),
    path(
        "database/<int:database_id>/async/",
        views.DatabaseTablesAsyncView.as_view(),
        name="create_async",
    ),
    path(
        "database/<int:database_id>/order/",
        views.DatabaseTablesOrderView.as_view(),
        name="order",
    ),
    path("all-tables/", AllTablesView.as_view(), name="all_tables"),
    path("<int:table_id>/", views.TableView.as_view(), name="item"),
    path("<int:table_id>/duplicate/async/", views.TableDuplicateView.as_view(), name="duplicate"),
]
