"""The example database every new user finds in their first workspace (decision 2)."""

from django.db import transaction

from database.applications.models import Application
from database.applications.services import application_create_unchecked
from database.compose.tables import FieldSpec, InitialContent, table_create_unchecked
from users.models import User
from workspaces.models import Workspace, WorkspaceUser
from workspaces.services import workspace_create_unchecked

CUSTOMERS = InitialContent(
    fields=(
        FieldSpec("Name", "text"),
        FieldSpec("Last name", "text"),
        FieldSpec("Notes", "long_text"),
        FieldSpec("Active", "boolean"),
    ),
    rows=(
        ("Ada", "Lovelace", "Wrote the first published algorithm.", True),
        ("Alan", "Turing", "Asked whether machines can think.", True),
        ("Grace", "Hopper", "Built the first compiler.", False),
        ("John", "Von Neumann", "Described the stored-program computer.", True),
        ("Blaise", "Pascal", "Built a mechanical calculator.", False),
    ),
)
PROJECTS = InitialContent(
    fields=(
        FieldSpec("Name", "text"),
        FieldSpec("Started", "date"),
        FieldSpec("Active", "boolean"),
    ),
    rows=(
        ("Analytical engine", "1837-01-01", False),
        ("Universal machine", "1936-05-28", True),
        ("COBOL", "1959-05-28", True),
        ("EDVAC report", "1945-06-30", False),
    ),
)


@transaction.atomic
def example_database_create(*, workspace: Workspace, user: User) -> Application:
    """Add "<first name>'s company" with its Customers and Projects tables to the workspace.

    The caller has made the workspace for the user, who is its admin.
    """
    database = application_create_unchecked(
        workspace=workspace, name=f"{user.first_name}'s company"
    )
    table_create_unchecked(database=database, name="Customers", content=CUSTOMERS)
    table_create_unchecked(database=database, name="Projects", content=PROJECTS)
    return database


@transaction.atomic
def workspace_create_initial(*, user: User) -> WorkspaceUser:
    """Create the user's first workspace, named after them, with the example database."""
    membership = workspace_create_unchecked(user=user, name=f"{user.first_name}'s workspace")
    example_database_create(workspace=membership.workspace, user=user)
    return membership
