"""Wire shape of user files (01-users-auth.md)."""

from typing import Any

from rest_framework import serializers

from user_files.models import UserFile
from user_files.storage import storage_url, thumbnails_json, user_file_path

_datetime = serializers.DateTimeField()


def user_file_to_json(user_file: UserFile) -> dict[str, Any]:
    """The user-file object."""
    return {
        "size": user_file.size,
        "mime_type": user_file.mime_type,
        "is_image": user_file.is_image,
        "image_width": user_file.image_width,
        "image_height": user_file.image_height,
        "uploaded_at": _datetime.to_representation(user_file.uploaded_at),
        "url": storage_url(user_file_path(user_file.name)),
        "thumbnails": thumbnails_json(user_file.name) if user_file.is_image else None,
        "name": user_file.name,
        "original_name": user_file.original_name,
    }


class ThumbnailSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class UserFileSerializer(serializers.Serializer):
    """For the OpenAPI spec: the user-file object."""

    size = serializers.IntegerField()
    mime_type = serializers.CharField()
    is_image = serializers.BooleanField()
    image_width = serializers.IntegerField(allow_null=True)
    image_height = serializers.IntegerField(allow_null=True)
    uploaded_at = serializers.DateTimeField()
    url = serializers.URLField()
    thumbnails = serializers.DictField(child=ThumbnailSerializer(), allow_null=True)
    name = serializers.CharField()
    original_name = serializers.CharField()


class UploadFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The file to upload (multipart).")


class UploadViaUrlSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, help_text="A public http(s) URL of the file.")
