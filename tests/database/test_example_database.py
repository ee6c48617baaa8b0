"""The example database of decision 2: made at signup and by create-initial-workspace."""

from django.urls import reverse

from database.applications.models import Application
from database.compose.example import example_database_create
from database.fields.models import Field
from database.tables.models import Table
from tests.database.helpers import read_rows
from workspaces.services import workspace_create


def content(table: Table) -> tuple[list[tuple[str, str, bool]], list[list]]:
    """The table's fields (name, type, primary) and its rows' values in field order."""
    fields = list(Field.objects.filter(table=table))
    rows = [[row[f.db_column] for f in fields] for row in read_rows(table)]
    return [(f.name, f.type, f.primary) for f in fields], rows


def test_signup_gives_the_example_database(user, workspace):
    (database,) = Application.objects.filter(workspace=workspace)
    assert (database.name, database.type, database.order) == ("Ada's company", "database", 1)
    customers, projects = Table.objects.filter(database=database).order_by("order")
    assert (customers.name, customers.order, projects.name, projects.order) == (
        "Customers",
        1,
        "Projects",
        2,
    )
    fields, rows = content(customers)
    assert fields == [
        ("Name", "text", True),
        ("Last name", "text", False),
        ("Notes", "long_text", False),
        ("Active", "boolean", False),
    ]
    assert [row[:2] for row in rows] == [
        ["Ada", "Lovelace"],
        ["Alan", "Turing"],
        ["Grace", "Hopper"],
        ["John", "Von Neumann"],
        ["Blaise", "Pascal"],
    ]
    fields, rows = content(projects)
    assert fields == [
        ("Name", "text", True),
        ("Started", "date", False),
        ("Active", "boolean", False),
    ]
    assert len(rows) == 4
    assert all(len(started) == len("YYYY-MM-DD") for _, started, _ in rows)


def test_the_api_lists_it_right_after_signup(db, api_client):
    response = api_client.post(
        reverse("api:user:index"),
        {
            "name": "Grace",
            "email": "grace@example.com",
            "password": "password123",
            "authenticate": True,
        },
        format="json",
    )
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"JWT {response.json()['access_token']}")
    (database,) = api_client.get(reverse("api:applications:list")).json()
    assert database["name"] == "Grace's company"
    assert [t["name"] for t in database["tables"]] == ["Customers", "Projects"]


def test_create_initial_workspace_gives_it_too(user, client_for):
    response = client_for(user).post(reverse("api:workspaces:create_initial"))
    assert response.status_code == 200
    databases = Application.objects.filter(workspace_id=response.json()["id"])
    assert [d.name for d in databases] == ["Ada's company"]
    assert databases[0].tables.count() == 2


def test_each_call_makes_a_database_of_its_own(user):
    workspace = workspace_create(user=user, name="Another").workspace
    first = example_database_create(workspace=workspace, user=user)
    second = example_database_create(workspace=workspace, user=user)
    assert (first.order, second.order) == (1, 2)
    assert Table.objects.filter(database__workspace=workspace).count() == 4
