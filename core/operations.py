"""Every operation a user can be refused, by name (Baserow's), and who may perform it.

The one source of truth: the gates (`workspaces.permissions.require_member`,
`core.services.require_staff`, the workspace-creation setting) read these declarations, and the
permission objects sent to clients (`workspaces.permissions.permission_objects`) are built from
them, so a client is told exactly what the server will let it do.
"""

# Always allowed to any signed-in user (Baserow's "core" permission manager).
ALWAYS_ALLOWED = ("list_workspaces",)

# Staff only (the "staff" manager).
SETTINGS_UPDATE = "settings.update"
STAFF_ONLY = (SETTINGS_UPDATE,)

# Allowed to everyone while an instance setting is on, else to staff only ("setting_operation").
CREATE_WORKSPACE = "create_workspace"
SETTING_GATED = {CREATE_WORKSPACE: "allow_global_workspace_creation"}

# Read operations allowed on template workspaces ("allow_if_template"); there are no templates.
ALLOWED_ON_TEMPLATES = (
    "workspace.read",
    "workspace.list_applications",
    "application.list_integrations",
    "application.list_user_sources",
    "application.login_user_source",
    "database.table.field_rules.read_field_rules",
)

# Workspace operations only a workspace's admins may perform (the "basic" manager); a member
# may perform every other workspace operation.
WORKSPACE_UPDATE = "workspace.update"
WORKSPACE_DELETE = "workspace.delete"
WORKSPACE_LIST_USERS = "workspace.list_workspace_users"
WORKSPACE_USER_UPDATE = "workspace_user.update"
WORKSPACE_USER_DELETE = "workspace_user.delete"
WORKSPACE_LIST_INVITATIONS = "workspace.list_invitations"
WORKSPACE_CREATE_INVITATION = "workspace.create_invitation"
INVITATION_READ = "invitation.read"
INVITATION_UPDATE = "invitation.update"
INVITATION_DELETE = "invitation.delete"
ADMIN_ONLY = (
    WORKSPACE_LIST_INVITATIONS,
    WORKSPACE_CREATE_INVITATION,
    INVITATION_READ,
    INVITATION_UPDATE,
    INVITATION_DELETE,
    WORKSPACE_LIST_USERS,
    WORKSPACE_UPDATE,
    WORKSPACE_DELETE,
    WORKSPACE_USER_UPDATE,
    WORKSPACE_USER_DELETE,
)
