"""Request bodies and the wire shape of applications (03-applications-databases.md)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from database.applications.models import Application, ApplicationType
from database.tables.serializers import TableSerializer
from jobs.serializers import JobSerializer
from workspaces.serializers import WorkspaceSerializer

APPLICATION_NAME_MAX_LENGTH = Application._meta.get_field("name").max_length

# Input.


# A plain string in the spec: as an enum it would share the name "type" with the field types'
# enum, a collision drf-spectacular can only warn about.
@extend_schema_field({"type": "string", "description": "`database`, the only application type."})
class ApplicationTypeField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=ApplicationType.choices, **kwargs)


class ApplicationUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=APPLICATION_NAME_MAX_LENGTH)


class ApplicationCreateSerializer(ApplicationUpdateSerializer):
    type = ApplicationTypeField()
    init_with_data = serializers.BooleanField(required=False, default=False)


class ApplicationsOrderSerializer(serializers.Serializer):
    application_ids = serializers.ListField(child=serializers.IntegerField())


# Output.


class ApplicationSerializer(serializers.Serializer):
    """An application; a database lists its tables (prefetch them when listing many)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    type = serializers.CharField()
    workspace = WorkspaceSerializer()
    created_on = serializers.DateTimeField()
    tables = TableSerializer(source="tables.all", many=True)


class DuplicateApplicationJobSerializer(JobSerializer):
    """For the OpenAPI spec: a duplicate_application job."""

    original_application = ApplicationSerializer(allow_null=True)
    duplicated_application = ApplicationSerializer(allow_null=True)
