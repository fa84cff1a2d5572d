"""One rule for typed numbers, on every path a candidate can type one: practice, quizzes (page
and API), invites and live exercises. A number is never silently scored as another one."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from questions.interviews import invites, sets
from questions.models import Attempt, InterviewSet, Question
from questions.numbers import NumberError, plain_int, read_number
from tests.quiz_flow import press_start

# metrics-numeric in the fixture bank expects 0.75 ± 0.005.
RIGHT_WITH_A_COMMA = "0,75"
AMBIGUOUS = "1,250"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0,727", 0.727),
        ("0,286", 0.286),
        ("-0,5", -0.5),
        ("12,5", 12.5),
        ("1,250,000", 1_250_000),
        ("1,250.5", 1250.5),
        ("1 250", 1250),
        ("75%", 0.75),
        ("\u22123", -3),
    ],
)
def test_it_reads(typed, value):
    assert read_number(typed) == pytest.approx(value)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1,250", "without a thousands separator"),
        ("999,999", "without a thousands separator"),
        ("1.250,5", "is not a number"),
        ("1_000", "is not a number"),
        ("1e999", "finite"),
        ("9" * 41, "Too long"),
        ("\x00", "is not a number"),
    ],
)
def test_it_refuses_with_a_sentence(typed, says):
    with pytest.raises(NumberError, match=says):
        read_number(typed)


def test_practice(loaded):
    client = Client()
    right = client.post("/questions/metrics-numeric/", {"answer": RIGHT_WITH_A_COMMA})
    assert right.status_code == 200 and "Right" in right.content.decode()
    refused = client.post("/questions/metrics-numeric/", {"answer": AMBIGUOUS})
    assert refused.status_code == 400
    assert "without a thousands separator" in refused.content.decode()


def _running(client: Client) -> Attempt:
    client.post("/quizzes/start/", {"kind": "set", "question_set": "starter"})
    attempt = Attempt.objects.latest("started_at")
    press_start(client, attempt)
    attempt.refresh_from_db()
    return attempt


def test_quiz_page_and_api(loaded):
    client = Client()
    attempt = _running(client)
    page = client.post(
        f"/attempts/{attempt.pk}/answers/2/",
        {"answer": RIGHT_WITH_A_COMMA},
        HTTP_ACCEPT="application/json",
    )
    assert page.status_code == 200
    refused = client.put(
        f"/api/attempts/{attempt.pk}/answers/2/",
        json.dumps({"answer": AMBIGUOUS}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "thousands separator" in refused.json()["detail"]
    client.post(f"/attempts/{attempt.pk}/finish/")
    assert attempt.items.get(position=2).correct is True  # the refused answer changed nothing


def test_invite(loaded, django_user_model):
    alice = django_user_model.objects.create_user("alice")
    screen = sets.set_create(owner=alice, title="Screen", description="", time_limit_minutes=10)
    sets.entry_add(interview_set=screen, question=Question.objects.get(ext_id="metrics-numeric"))
    invite = invites.invite_create(interview_set=InterviewSet.objects.get(pk=screen.pk))
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Bob"})
    attempt = Attempt.objects.get(candidate_name="Bob")
    press_start(candidate, attempt)
    url = f"/attempts/{attempt.pk}/answers/1/"
    refused = candidate.post(url, {"answer": AMBIGUOUS}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and "thousands separator" in refused.json()["message"]
    saved = candidate.post(url, {"answer": RIGHT_WITH_A_COMMA}, HTTP_ACCEPT="application/json")
    assert saved.status_code == 200
    candidate.post(f"/attempts/{attempt.pk}/finish/")
    assert attempt.items.get(position=1).correct is True


def test_exercise(db):
    from questions.exercises import check, generate

    exercise, ratio = next(
        (exercise, f)
        for seed in range(50)
        for exercise in [generate("classification", seed, "medium")]
        for f in exercise.fields
        if f.kind == "number" and f.decimals and 0 < (exercise.expected[f.name] or 0) < 1
    )
    typed = f"{exercise.expected[ratio.name]:.{ratio.decimals}f}".replace(".", ",")  # "0,727"
    assert check(exercise, {ratio.name: typed})[ratio.name].correct
    assert "thousands separator" in check(exercise, {ratio.name: "1,250"})[ratio.name].message


def test_an_integer_answer_is_shown_as_typed(loaded):
    client = Client()
    attempt = _running(client)
    client.post(f"/attempts/{attempt.pk}/answers/2/", {"answer": "76"})
    page = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert 'value="76"' in page and "76.0" not in page
    api = client.get(f"/api/attempts/{attempt.pk}/").json()
    assert next(i for i in api["items"] if i["position"] == 2)["answer"] == "76"
    client.post(f"/attempts/{attempt.pk}/finish/")
    review = client.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "Your answer: 76." in review and "76.0" not in review


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("9" * 18, int("9" * 18)),
        *[(text, None) for text in ("", "²", "٣", "-1", "+1", " 1", "1e3", "9" * 19)],
    ],
)
def test_plain_int_reads_only_short_ascii_digit_strings(text, value):
    assert plain_int(text) == value
