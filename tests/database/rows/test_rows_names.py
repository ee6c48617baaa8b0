"""GET /api/database/rows/names/: primary texts of rows, per table of one database."""

from django.urls import reverse

from database.applications.models import Application
from tests.database.helpers import insert_rows

URL = reverse("api:rows:names")


def test_names_of_rows_in_two_tables(client, table, projects, people):
    a, b = insert_rows(table, [{people.name.db_column: "Ada"}, {people.name.db_column: "Alan"}])
    (p,) = insert_rows(projects, [{people.project_name.db_column: "Project X"}])
    response = client.get(URL, {f"table__{table.id}": f"{a},{b},999", f"table__{projects.id}": p})
    assert response.status_code == 200
    assert response.json() == {
        str(table.id): {str(a): "Ada", str(b): "Alan"},
        str(projects.id): {str(p): "Project X"},
    }


def test_names_leave_out_trashed_rows(client, table, people):
    a, b = insert_rows(table, [{people.name.db_column: "Ada"}, {}])
    client.delete(reverse("api:rows:item", kwargs={"table_id": table.id, "row_id": a}))
    assert client.get(URL, {f"table__{table.id}": f"{a},{b}"}).json() == {
        str(table.id): {str(b): ""}
    }


def test_names_reject_other_parameters(client, table):
    response = client.get(URL, {"other": "1", f"table__{table.id}": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_QUERY_PARAMETER_VALIDATION"
    assert set(body["detail"]) == {"other", f"table__{table.id}"}


def test_names_need_one_database(client_for, client, table, make_table, workspace, other_user):
    """Tables after the first are looked up in its database, as Baserow does: one of another
    database does not exist there (even in a workspace the user is not a member of)."""
    other = make_table("Elsewhere", Application.objects.create(workspace=workspace, name="D2"))
    response = client.get(URL, {f"table__{table.id}": "1", f"table__{other.id}": "1"})
    assert response.status_code == 404
    assert response.json() == {
        "error": "ERROR_TABLE_DOES_NOT_EXIST",
        "detail": "The requested table does not exist.",
    }
    outsider_table = make_table(
        "Theirs", Application.objects.create(workspace=workspace, name="D3")
    )
    outsider = client_for(other_user)
    response = outsider.get(URL, {f"table__{table.id}": "1", f"table__{outsider_table.id}": "1"})
    assert response.json()["error"] == "ERROR_USER_NOT_IN_GROUP"  # the first table's gate


def test_names_gate(client_for, other_user, client, table):
    outsider = client_for(other_user).get(URL, {f"table__{table.id}": "1"})
    assert outsider.json() == {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
    assert client.get(URL, {"table__999999": "1"}).status_code == 404
