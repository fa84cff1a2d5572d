import csv
import io

from django.test import Client
from django.urls import reverse

from questions.interviews import invites
from questions.models import Attempt, AttemptItem
from tests.quiz_flow import press_start


def _take(screening, name, *, right: bool, finish: bool = True) -> Attempt:
    invite = screening.invites.first() or invites.invite_create(interview_set=screening)
    client = Client()
    client.post(invite.get_absolute_url(), {"name": name})
    attempt = Attempt.objects.get(candidate_name=name)
    press_start(client, attempt)
    single = attempt.items.get(position=1)
    correct = next(i for i, c in enumerate(single.choices) if c["correct"])
    wrong = next(i for i, c in enumerate(single.choices) if not c["correct"])
    client.post(
        reverse("questions:attempt_answer", args=[attempt.pk, 1]),
        {"choice": single.choice_id(correct if right else wrong)},
    )
    client.post(
        reverse("questions:attempt_answer", args=[attempt.pk, 2]),
        {"answer": "Window, rescale, strip PHI."},
    )
    if finish:
        client.post(reverse("questions:attempt_finish", args=[attempt.pk]))
    attempt.refresh_from_db()
    return attempt


def test_results_compare_candidates_per_question(screening, alice_client):
    _take(screening, "Ana", right=True)
    _take(screening, "Ben", right=False)
    _take(screening, "Cy", right=True, finish=False)
    page = alice_client.get(reverse("interviews:results", args=[screening.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ana" in text and "Ben" in text and "answering now" in text
    # Q1 was right for one of the two finished candidates.
    assert "mean mark 50% over 2" in text
    assert "1 awaiting grading" in text  # each finished candidate has the open answer to grade


def test_rubric_grading_changes_the_candidates_score(screening, alice_client):
    attempt = _take(screening, "Ana", right=True)
    before = attempt.score
    item = attempt.items.get(position=2)
    points = len(item.question.rubric)
    assert points >= 2
    marks = {f"mark_{n}": "1.0" for n in range(points)}
    marks["mark_0"] = "0.5"
    response = alice_client.post(
        reverse("interviews:result_grade", args=[screening.pk, attempt.pk, 2]),
        {**marks, "comment": "Missed the burned-in text."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    attempt.refresh_from_db()
    expected = (0.5 + points - 1) / points
    assert item.score == round(expected, 4) and item.graded_at is not None
    assert item.rubric_marks == [0.5] + [1.0] * (points - 1)
    assert item.grader_comment == "Missed the burned-in text."
    assert attempt.score == before + round(expected, 4)
    page = alice_client.get(reverse("interviews:result", args=[screening.pk, attempt.pk]))
    assert "Change the grade" in page.content.decode()


def test_grading_needs_every_point_and_only_open_answers(screening, alice_client):
    attempt = _take(screening, "Ana", right=True)
    url = reverse("interviews:result_grade", args=[screening.pk, attempt.pk, 2])
    response = alice_client.post(url, {"mark_0": "1.0"}, follow=True)
    assert "give every rubric point a mark" in response.content.decode()
    url = reverse("interviews:result_grade", args=[screening.pk, attempt.pk, 1])
    response = alice_client.post(url, {"mark_0": "1.0"}, follow=True)
    assert "Only open answers are rated or graded by hand" in response.content.decode()
    assert AttemptItem.objects.filter(graded_at__isnull=False).count() == 0


def test_grading_waits_for_the_candidate_to_finish(screening, alice_client):
    attempt = _take(screening, "Cy", right=True, finish=False)
    url = reverse("interviews:result_grade", args=[screening.pk, attempt.pk, 2])
    points = len(attempt.items.get(position=2).question.rubric)
    response = alice_client.post(url, {f"mark_{n}": "1.0" for n in range(points)}, follow=True)
    assert "still answering" in response.content.decode()


def test_the_csv_has_a_row_per_candidate_with_topics_and_questions(screening, alice_client):
    _take(screening, "Ana", right=True)
    _take(screening, "Ben", right=False)
    response = alice_client.get(reverse("interviews:results_csv", args=[screening.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, ana, ben = rows
    assert header[:3] == ["candidate", "account", "invite"]
    assert any(h.startswith("topic: ") for h in header)
    assert any(h.startswith("Q1: ") for h in header)
    q1 = header.index(next(h for h in header if h.startswith("Q1: ")))
    assert (ana[0], ana[q1]) == ("Ana", "1")
    assert (ben[0], ben[q1]) == ("Ben", "0")


def test_the_candidate_sees_the_interviewers_grade_when_answers_are_shown(screening, alice_client):
    screening.show_answers = True
    screening.save()
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Ana"})
    attempt = Attempt.objects.get()
    press_start(candidate, attempt)
    candidate.post(reverse("questions:attempt_answer", args=[attempt.pk, 2]), {"answer": "x"})
    candidate.post(reverse("questions:attempt_finish", args=[attempt.pk]))
    points = len(attempt.items.get(position=2).question.rubric)
    alice_client.post(
        reverse("interviews:result_grade", args=[screening.pk, attempt.pk, 2]),
        {f"mark_{n}": "1.0" for n in range(points)},
    )
    assert (
        "Graded by the interviewer: 100%"
        in candidate.get(attempt.get_absolute_url()).content.decode()
    )


def _grade(alice_client, screening, attempt, marks: list[float]) -> None:
    response = alice_client.post(
        reverse("interviews:result_grade", args=[screening.pk, attempt.pk, 2]),
        {f"mark_{n}": str(mark) for n, mark in enumerate(marks)},
    )
    assert response.status_code == 302


def test_before_grading_the_score_is_provisional_over_graded_items(screening, alice_client):
    attempt = _take(screening, "Ana", right=True)
    items = list(attempt.items.all())
    graded_max = len(items) - 1  # the open answer waits
    results_page = alice_client.get(reverse("interviews:results", args=[screening.pk]))
    text = results_page.content.decode()
    percent = round(100 * attempt.score / graded_max)
    assert f"<strong>{percent}%</strong> so far" in text and "provisional" in text
    detail = alice_client.get(reverse("interviews:result", args=[screening.pk, attempt.pk]))
    html = detail.content.decode()
    assert "1 open answer awaiting grading" in html
    assert "(1 awaiting grading)" in html  # its topic is not shown as 0 %
    api = alice_client.get(f"/api/sets/{screening.pk}/results/").json()
    [row] = api["results"]
    assert row["provisional"] is True and row["percent"] == percent


def test_partial_marks_count_as_their_share_everywhere(screening, alice_client):
    attempt = _take(screening, "Ana", right=True)
    points = len(attempt.items.get(position=2).question.rubric)
    _grade(alice_client, screening, attempt, [0.5] + [1.0] * (points - 1))
    share = round(100 * (0.5 + points - 1) / points)
    text = alice_client.get(reverse("interviews:results", args=[screening.pk])).content.decode()
    assert f"mean mark {share}% over 1" in text and "0% right" not in text
    assert f"{share}%</td>" in text  # the candidate's cell shows the mark, not "½"
    assert "provisional" not in text
    attempt.refresh_from_db()
    assert f"<strong>{attempt.percent}%</strong>" in text  # the final score
    api = alice_client.get(f"/api/sets/{screening.pk}/results/").json()
    open_column = next(q for q in api["questions"] if q["column"] == 2)
    assert open_column["share_right"] == share and api["results"][0]["provisional"] is False
