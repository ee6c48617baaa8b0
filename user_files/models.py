"""Files users upload, kept in the default storage under an unguessable name."""

from django.conf import settings
from django.db import models


class UserFile(models.Model):
    """One uploaded file; `name` is its storage name, which file fields refer to."""

    original_name = models.CharField(max_length=255)
    original_extension = models.CharField(max_length=64, blank=True)
    unique = models.CharField(max_length=32, unique=True)
    sha256_hash = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    size = models.PositiveBigIntegerField()
    mime_type = models.CharField(max_length=127, blank=True)
    is_image = models.BooleanField(default=False)
    image_width = models.PositiveIntegerField(null=True)
    image_height = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        extension = f".{self.original_extension}" if self.original_extension else ""
        return f"{self.unique}_{self.sha256_hash}{extension}"
