from __future__ import annotations

from django import forms

from ..models.today import MAX_GOAL, MIN_GOAL


class GoalForm(forms.Form):
    items = forms.IntegerField(
        label="Daily goal (items)",
        min_value=MIN_GOAL,
        max_value=MAX_GOAL,
        error_messages={
            "required": f"Enter how many items a day you want, from {MIN_GOAL} to {MAX_GOAL}.",
            "invalid": f"Enter a whole number of items, from {MIN_GOAL} to {MAX_GOAL}.",
            "min_value": f"A daily goal is at least {MIN_GOAL} items.",
            "max_value": f"A daily goal is at most {MAX_GOAL} items.",
        },
    )
