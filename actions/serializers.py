"""Wire shapes of undo and redo (01-users-auth.md)."""

from rest_framework import serializers

from actions.models import Action


class ScopesSerializer(serializers.Serializer):
    root = serializers.BooleanField(required=False)
    workspace = serializers.IntegerField(required=False, min_value=0)
    application = serializers.IntegerField(required=False, min_value=0)
    table = serializers.IntegerField(required=False, min_value=0)
    view = serializers.IntegerField(required=False, min_value=0)


class UndoRedoSerializer(serializers.Serializer):
    scopes = ScopesSerializer()


class UndoRedoActionSerializer(serializers.Serializer):
    action_type = serializers.CharField()
    action_scope = serializers.CharField()


class UndoRedoResponseSerializer(serializers.Serializer):
    actions = UndoRedoActionSerializer(many=True)
    result_code = serializers.ChoiceField(["SUCCESS", "NOTHING_TO_DO", "SKIPPED_DUE_TO_ERROR"])


def scope_names(scopes: dict) -> list[str]:
    """The scopes asked for as the log names them (`root`, `table12`); falsy ones left out."""
    names = []
    for kind, value in scopes.items():
        if kind == "root":
            if value:
                names.append("root")
        elif value:
            names.append(f"{kind}{value}")
    return names


def undo_redo_json(actions: list[Action]) -> dict:
    if not actions:
        code = "NOTHING_TO_DO"
    elif actions[0].error:
        code = "SKIPPED_DUE_TO_ERROR"
    else:
        code = "SUCCESS"
    return {
        "actions": [{"action_type": a.type, "action_scope": a.scope} for a in actions],
        "result_code": code,
    }
