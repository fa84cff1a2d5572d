"""Template filters for exercise data, for every page that shows an exercise (the exercise
page, a running quiz, a review): they take only the Exercise, so no view has to add them."""

from __future__ import annotations

from django import template

from ..exercises import Exercise
from ..exercises.tables import CaseTable, case_table

register = template.Library()


@register.filter(name="case_table")
def case_table_filter(exercise: Exercise) -> CaseTable | None:
    return case_table(exercise)
