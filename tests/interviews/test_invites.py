import json
import re
from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from questions.interviews import invites, sets
from questions.models import Attempt, ProgressEvent, Question
from questions.quizzes.services import private_seed
from tests.quiz_flow import press_start

from .conftest import client_for


def _keys_of(interview_set) -> list[str]:
    """Strings that would give the answers away: feedback, explanations, rubric, notes."""
    secrets = []
    for entry in interview_set.entries.select_related("question"):
        question = entry.question
        if question is None:
            continue
        secrets += [c["feedback_html"] for c in question.choices if c.get("feedback_html")]
        secrets += [
            question.explanation_html,
            question.model_answer_html,
            question.interviewer_notes_html,
            *question.rubric,
        ]
    return [s for s in secrets if s and len(s) > 12]


def _start(client, invite, name="Dana Candidate"):
    """Give a name on the invite page, then press Start on the attempt's start page."""
    response = client.post(invite.get_absolute_url(), {"name": name})
    if response.status_code == 302:
        press_start(client, response.url)
    return response


def test_a_candidate_opens_the_link_gives_a_name_and_takes_the_set(screening):
    invite = invites.invite_create(interview_set=screening, label="Round 1")
    candidate = Client()
    page = candidate.get(invite.get_absolute_url())
    assert page.status_code == 200
    assert "For the <em>junior</em> role." in page.content.decode()
    response = _start(candidate, invite)
    attempt = Attempt.objects.get()
    assert response.url == attempt.get_absolute_url()
    assert (attempt.kind, attempt.candidate_name, attempt.invite) == (
        "interview",
        "Dana Candidate",
        invite,
    )
    assert attempt.items.count() == 4  # question, open, exercise, one random draw
    exercise = attempt.items.get(position=3)
    assert exercise.exercise_kind == "class_weights"
    assert exercise.exercise_seed == private_seed(
        "class_weights", 1234, "easy", owner=f"interview-set:{screening.pk}"
    )  # not 1234
    drawn = attempt.items.get(position=4).question
    assert drawn.topic.slug == "metrics" and drawn.ext_id != "metrics-single"
    # Reopening the link resumes the running attempt instead of starting another.
    assert candidate.get(invite.get_absolute_url()).url == attempt.get_absolute_url()
    assert Attempt.objects.count() == 1


def test_a_name_is_required(screening):
    invite = invites.invite_create(interview_set=screening)
    response = Client().post(invite.get_absolute_url(), {"name": "  "})
    assert response.status_code == 400
    assert not Attempt.objects.exists()


def test_an_expired_invite_is_refused_with_a_clear_page(screening):
    invite = invites.invite_create(
        interview_set=screening, expires_at=timezone.now() + timedelta(hours=1)
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        page = Client().get(invite.get_absolute_url())
        assert page.status_code == 410
        text = page.content.decode()
        assert "This invite expired on" in text and "Ask the interviewer" in text
        assert _start(Client(), invite).status_code == 410
    assert not Attempt.objects.exists()


def test_an_invite_past_its_attempt_limit_is_refused(screening):
    invite = invites.invite_create(interview_set=screening, max_attempts=1)
    _start(Client(), invite, "First")
    response = _start(Client(), invite, "Second")
    assert response.status_code == 410
    assert "used for all of its 1 attempt" in response.content.decode()
    assert list(Attempt.objects.values_list("candidate_name", flat=True)) == ["First"]


def test_a_withdrawn_invite_is_refused(screening, alice_client):
    invite = invites.invite_create(interview_set=screening)
    alice_client.post(reverse("interviews:invite_revoke", args=[screening.pk, invite.pk]))
    response = _start(Client(), invite)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_unknown_token_is_404_with_what_to_do(db):
    for method in ("get", "post"):
        response = getattr(Client(), method)("/invite/not-a-token/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "This invite link does not work" in page
        assert "ask the interviewer who sent it for a new one" in page


def test_a_token_with_a_nul_byte_is_a_400_that_says_so_not_a_500(db):
    """PostgreSQL refuses NUL in any string it is given; the address guard (web/text_guard)
    answers before the token reaches a query."""
    for method in ("get", "post"):
        response = getattr(Client(), method)("/invite/not%00a-token/")
        assert response.status_code == 400
        assert "a NUL byte, %00): remove it" in response.content.decode()


def test_interview_attempts_cannot_be_started_without_an_invite(screening):
    client = Client()
    response = client.post(reverse("questions:quiz_start"), {"kind": "interview"})
    assert response.status_code == 400
    response = client.post("/api/attempts/", {"kind": "interview"}, content_type="application/json")
    assert response.status_code == 400
    assert not Attempt.objects.exists()


def test_a_candidate_never_receives_keys_notes_or_rubric(screening):
    secrets = _keys_of(screening)
    assert len(secrets) >= 4
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    _start(candidate, invite)
    attempt = Attempt.objects.get()
    responses = [
        candidate.get(invite.get_absolute_url(), follow=True),
        candidate.get(attempt.get_absolute_url()),
        candidate.get(f"/api/attempts/{attempt.pk}/"),
    ]
    candidate.post(reverse("questions:attempt_finish", args=[attempt.pk]))
    responses += [
        candidate.get(attempt.get_absolute_url()),
        candidate.get(f"/api/attempts/{attempt.pk}/"),
        candidate.get("/api/attempts/"),
        candidate.get(reverse("questions:attempt_list")),
    ]
    for response in responses:
        body = response.content.decode()
        assert response.status_code == 200
        for secret in secrets:
            assert secret not in body
        assert '"correct": true' not in body.replace('"correct":true', '"correct": true')
    finished = json.loads(responses[4].content)
    assert finished["score"] is None and all("key" not in item for item in finished["items"])
    assert "Your answers have been sent to the interviewer" in responses[3].content.decode()
    # Nothing about the keys leaks through the candidate's progress either.
    assert not ProgressEvent.objects.exists()


def test_with_answers_shown_the_review_has_keys_but_never_rubric_or_notes(screening):
    sets.set_update(interview_set=screening, show_answers=True)
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    _start(candidate, invite)
    attempt = Attempt.objects.get()
    candidate.post(
        reverse("questions:attempt_answer", args=[attempt.pk, 2]), {"answer": "Sort, then window."}
    )
    candidate.post(reverse("questions:attempt_finish", args=[attempt.pk]))
    review = candidate.get(attempt.get_absolute_url()).content.decode()
    question = Question.objects.get(ext_id="dicom-open")
    assert question.model_answer_html in review
    assert question.interviewer_notes_html not in review
    assert all(point not in review for point in question.rubric)
    assert "The interviewer grades it" in review or "the interviewer grades it" in review
    assert "Record my rating" not in review  # no self-rating of an interview


def test_a_logged_in_candidate_is_named_and_owns_the_attempt(screening, bob):
    invite = invites.invite_create(interview_set=screening)
    client = client_for(bob)
    assert 'value="bob"' in client.get(invite.get_absolute_url()).content.decode()
    _start(client, invite, "Bob B")
    assert Attempt.objects.get().user == bob


def test_the_invites_page_lists_links_and_creates_them(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])
    response = alice_client.post(url, {"labels": "Panel A", "max_attempts": 3})
    invite = screening.invites.get()
    assert (invite.label, invite.max_attempts) == ("Panel A", 3)
    assert len(invite.token) >= 32
    page = alice_client.get(url).content.decode()
    assert f"http://testserver/invite/{invite.token}/" in page
    past = alice_client.post(url, {"expires_at": "2001-01-01T10:00"})
    assert past.status_code == 400 and "Choose a time in the future." in past.content.decode()
    assert response.status_code == 302


def test_a_retired_question_is_still_asked_in_the_interviewers_set(screening):
    Question.objects.filter(ext_id="metrics-single").update(retired_at=timezone.now())
    invite = invites.invite_create(interview_set=screening)
    _start(Client(), invite)
    assert Attempt.objects.get().items.get(position=1).question.ext_id == "metrics-single"


def test_reopening_a_submitted_invite_says_when_and_offers_nothing_to_start(screening):
    invite = invites.invite_create(interview_set=screening, max_attempts=5)
    candidate = Client()
    when = (timezone.now() - timedelta(days=2)).replace(hour=14, minute=7, second=0)
    with time_machine.travel(when, tick=False):
        _start(candidate, invite)
        attempt = Attempt.objects.get()
        candidate.post(reverse("questions:attempt_finish", args=[attempt.pk]))
    page = candidate.get(invite.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    text = re.sub(r"<[^>]+>", "", html)
    assert f"You submitted this on {when:%-d %B %Y} at 14:07" in text
    assert "<form" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "Start the" not in html
    _start(candidate, invite)  # a POST changes nothing either
    assert Attempt.objects.count() == 1


def test_the_open_answer_label_says_the_interviewer_grades_it(screening):
    screening.show_answers = False
    screening.save()
    invite = invites.invite_create(interview_set=screening)
    candidate = Client()
    _start(candidate, invite)
    html = candidate.get(Attempt.objects.get().get_absolute_url()).content.decode()
    assert "you will compare it with a model answer" not in html
    assert "the interviewer reads and grades it" in html


def test_several_invites_at_once_one_per_line(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])
    pasted = "ana@example.org\n\n  Ben Ng  \ncy@example.org\n"
    response = alice_client.post(url, {"labels": pasted, "max_attempts": 1}, follow=True)
    made = list(screening.invites.order_by("pk"))
    assert [invite.label for invite in made] == ["ana@example.org", "Ben Ng", "cy@example.org"]
    assert len({invite.token for invite in made}) == 3 and {i.max_attempts for i in made} == {1}
    assert "3 invites created, one per line" in response.content.decode()
    too_many = alice_client.post(url, {"labels": "\n".join(f"c{n}" for n in range(101))})
    assert too_many.status_code == 400 and "at most 100 invites" in too_many.content.decode()
    assert screening.invites.count() == 3


def test_each_invite_says_its_state_in_words(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])
    fresh = invites.invite_create(interview_set=screening, label="fresh")
    used = invites.invite_create(interview_set=screening, label="used", max_attempts=1)
    _start(Client(), used)
    withdrawn = invites.invite_create(interview_set=screening, label="gone")
    invites.invite_revoke(invite=withdrawn)
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        old = invites.invite_create(
            interview_set=screening, label="old", expires_at=timezone.now() + timedelta(hours=1)
        )
    page = alice_client.get(url).content.decode()
    assert "active, not opened yet" in page and "used 1 of 1" in page
    assert "withdrawn on" in page and "expired on" in page
    assert fresh.state(0) == "active, not opened yet" and old.state(0).startswith("expired on")
    assert 'class="secondary small copy-link"' in page  # shown by copy_link.js


def test_the_time_limit_field_offers_what_the_server_accepts(alice_client):
    page = alice_client.get(reverse("interviews:new")).content.decode()
    assert 'name="time_limit_minutes"' in page and 'min="1"' in page and 'max="240"' in page


def test_a_pasted_line_is_split_only_at_line_breaks(screening, alice_client):
    url = reverse("interviews:invites", args=[screening.pk])
    alice_client.post(url, {"labels": "Ana\u2028Lopez\r\nBen\x85Ng\r\n"})
    assert sorted(i.label for i in screening.invites.all()) == ["Ana\u2028Lopez", "Ben\x85Ng"]


def test_hidden_buttons_stay_hidden_whatever_their_display_rule():
    from pathlib import Path

    css = Path("questions/static/questions/site.css").read_text()
    assert "[hidden] { display: none !important; }" in css
