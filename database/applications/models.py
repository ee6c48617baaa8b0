from django.db import models

from workspaces.models import Workspace


class ApplicationType(models.TextChoices):
    DATABASE = "database"


class LiveManager(models.Manager):
    """Rows that are not in the trash."""

    def get_queryset(self):
        return super().get_queryset().filter(trashed=False)


class Application(models.Model):
    """An application of a workspace; the only type is `database`, which holds tables."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(max_length=160)
    type = models.CharField(
        max_length=32, choices=ApplicationType.choices, default=ApplicationType.DATABASE
    )
    order = models.PositiveIntegerField(default=1)
    created_on = models.DateTimeField(auto_now_add=True)
    trashed = models.BooleanField(default=False)

    objects_and_trash = models.Manager()
    objects = LiveManager()

    class Meta:
        app_label = "database"
        default_manager_name = "objects"
        base_manager_name = "objects_and_trash"
        ordering = ("order", "id")

    def __str__(self) -> str:
        return self.name
