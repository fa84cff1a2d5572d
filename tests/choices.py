"""Find the opaque id a page gave a choice, the way a candidate's browser sees it."""

from __future__ import annotations

import re

from django.test import Client

from questions.models import Question

CHOICE_INPUT = re.compile(
    r'<input type="(?:radio|checkbox)" name="choice" id="c-([0-9a-f]{12})" value="\1"[^>]*>\s*'
    r'<label for="c-\1">(.*?)</label>',
    re.DOTALL,
)


def shown_choices(html: str) -> list[tuple[str, str]]:
    """(id, label HTML) of every choice input on the page, in page order."""
    return CHOICE_INPUT.findall(html)


def practice_choice(client: Client, question_id: str, index: int) -> str:
    """The id this client's practice page shows for the file's choice number `index`."""
    html = client.get(f"/questions/{question_id}/").content.decode()
    wanted = Question.objects.get(ext_id=question_id).choices[index]["text_html"]
    for choice_id, label in shown_choices(html):
        if label == wanted:
            return choice_id
    raise AssertionError(f"choice {index} of {question_id} is not on the page")
