"""Wire shapes of the trash (09-other.md)."""

from rest_framework import serializers

from trash.models import TrashEntry
from trash.registry import trash_item_types


class TrashApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    trashed = serializers.BooleanField()
    type = serializers.CharField()


class TrashWorkspaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    trashed = serializers.BooleanField()
    applications = TrashApplicationSerializer(many=True, source="trash_applications")


class TrashStructureSerializer(serializers.Serializer):
    workspaces = TrashWorkspaceSerializer(many=True)


class TrashEntrySerializer(serializers.ModelSerializer):
    user_who_trashed = serializers.SerializerMethodField()
    application = serializers.IntegerField(source="application_id", allow_null=True)
    workspace = serializers.IntegerField(source="workspace_id")

    class Meta:
        model = TrashEntry
        fields = (
            "id",
            "user_who_trashed",
            "trash_item_type",
            "trash_item_id",
            "parent_trash_item_id",
            "trashed_at",
            "application",
            "workspace",
            "name",
            "names",
            "parent_name",
        )

    def get_user_who_trashed(self, entry: TrashEntry) -> str | None:
        user = entry.user_who_trashed
        return None if user is None else user.first_name


class TrashContentsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TrashEntrySerializer(many=True)


class TrashContentsQuerySerializer(serializers.Serializer):
    application_id = serializers.IntegerField(required=False, min_value=1)


class TrashRestoreSerializer(serializers.Serializer):
    trash_item_type = serializers.ChoiceField(choices=())
    trash_item_id = serializers.IntegerField(min_value=0)
    parent_trash_item_id = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trash_item_type"].choices = trash_item_types.names()
