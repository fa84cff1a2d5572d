"""A checked live exercise. The data is not stored: (kind, seed, level) regenerates it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .owned import OwnedQuerySet


class ExerciseResult(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exercise_results",
    )
    anon_token = models.CharField(max_length=64, blank=True, db_index=True)
    kind = models.CharField(max_length=40)
    seed = models.BigIntegerField()
    level = models.CharField(max_length=10)
    answers = models.JSONField(default=dict)
    correct_fields = models.PositiveIntegerField()
    total_fields = models.PositiveIntegerField()
    score = models.FloatField()  # share of fields right, 0..1
    # The worked solution was shown with this check (or after it, by "Show solution"): later
    # checks of the same exercise are marked but not recorded.
    solution_shown = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(anon_token=""),
                name="exercise_result_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.seed}/{self.level}: {self.correct_fields}/{self.total_fields}"
