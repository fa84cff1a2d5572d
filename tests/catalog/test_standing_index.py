"""A question list's standing (answered, solved, last score) per visitor is read from the
indexes on (owner, question, created_at): with a long history, the list must not read the
visitor's whole history once per question (20,000 events: an anonymous visitor's list took
about 0.8 s, 14 ms with the index)."""

import pytest
from django.db import connection

from questions.catalog.practice import with_standing
from questions.models import Question
from questions.owners import Owner

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="reads SQLite's query plan; the indexes are the same"
)


def _plan(owner: Owner) -> list[str]:
    sql, params = with_standing(Question.objects.active(), owner)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    ("who", "index"),
    [("user", "progress_user_question_at"), ("anonymous", "progress_anon_question_at")],
)
def test_each_standing_subquery_seeks_the_visitors_events_on_one_question(
    db, django_user_model, who, index
):
    owner = (
        Owner(django_user_model.objects.create_user("alice"), "")
        if who == "user"
        else Owner(None, "anon-token")
    )
    searches = [step for step in _plan(owner) if step.startswith("SEARCH U0")]
    assert len(searches) == 4  # answered, solved, last score, last time
    for step in searches:
        assert f"INDEX {index} (" in step and "question_id=?" in step, step
