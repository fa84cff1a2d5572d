"""A cached question page fills its choice inputs with string formatting, not the template:
the two must write the same bytes."""

import pytest
from django.template.loader import get_template

from questions.catalog import practice
from questions.catalog.views import practice_choices_html
from questions.models import Question

TEXTS = ["<p>Plain</p>", "A &amp; <em>B</em>", "{braces} and {id}", 'quote " here', "", "Last"]


@pytest.mark.parametrize("qtype", [Question.Type.SINGLE, Question.Type.MULTIPLE])
@pytest.mark.parametrize("count", [0, 1, 2, 6])
def test_the_formatted_choices_are_the_templates_own(qtype, count):
    question = Question(
        ext_id="q", type=qtype, shuffle=True, choices=[{"text_html": t} for t in TEXTS[:count]]
    )
    choices = practice.shown_choices("practice:visitor:secret:q", question)
    rendered = get_template("questions/_practice_choices.html").render(
        {"question": question, "choices": choices}
    )
    shown = [(choice.id, choice.choice["text_html"]) for choice in choices]
    assert practice_choices_html(qtype, shown) == rendered


def test_the_order_of_the_choices_is_the_scopes_own():
    """choice_order is what shown_choices shows: the same ids in the same order."""
    question = Question(
        ext_id="q", type="single", shuffle=True, choices=[{"text_html": t} for t in TEXTS]
    )
    for scope in ("practice:user:1:q", "practice:visitor:abc:q"):
        shown = [(choice.id, choice.index) for choice in practice.shown_choices(scope, question)]
        assert practice.choice_order(scope, len(TEXTS), True) == shown
    unshuffled = practice.choice_order("practice:user:1:q", 3, False)
    assert [index for _, index in unshuffled] == [0, 1, 2]
