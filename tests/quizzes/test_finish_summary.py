"""Finishing with questions unanswered asks first, with each of them linked."""

from questions.models import Attempt


def _answer_first(client):
    attempt = Attempt.objects.get()
    choice = attempt.items.get(position=1).choice_id(0)
    client.post(f"{client.attempt_url}answers/1/", {"choice": choice})
    return attempt


def test_finish_from_the_quiz_page_shows_what_is_unanswered_and_finishes_nothing(alice):
    attempt = _answer_first(alice)
    page = alice.post(f"{alice.attempt_url}finish/", {"check": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 of 3 questions not answered: finish anyway?" in html
    assert f'href="/attempts/{attempt.pk}/#q-2">Question 2</a>' in html
    assert f'href="/attempts/{attempt.pk}/#q-3">Question 3</a>' in html
    assert "Question 1</a>" not in html
    assert "Finish anyway" in html
    attempt.refresh_from_db()
    assert not attempt.is_finished


def test_finish_anyway_finishes(alice):
    attempt = _answer_first(alice)
    response = alice.post(f"{alice.attempt_url}finish/")
    assert response.url == alice.attempt_url
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.ended_by == "submitted"


def test_with_everything_answered_finish_needs_no_confirmation(alice):
    attempt = _answer_first(alice)
    alice.post(f"{alice.attempt_url}answers/2/", {"answer": "0.75"})
    alice.post(f"{alice.attempt_url}answers/3/", {"answer": "Window, resample, normalise."})
    response = alice.post(f"{alice.attempt_url}finish/", {"check": "1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_finished


def test_the_summary_can_be_opened_and_links_each_question_in_one_at_a_time_mode(alice):
    attempt = Attempt.objects.get()
    alice.post(f"{alice.attempt_url}layout/", {"layout": "one", "q": "1"})
    html = alice.get(f"{alice.attempt_url}finish/").content.decode()
    assert "3 of 3 questions not answered" in html
    assert f'href="/attempts/{attempt.pk}/?q=2">Question 2</a>' in html
    assert 'id="timer"' in html  # the clock keeps running on the summary
    attempt.refresh_from_db()
    assert not attempt.is_finished


def test_the_summary_of_a_finished_attempt_leads_to_its_review(alice):
    alice.post(f"{alice.attempt_url}finish/")
    assert alice.get(f"{alice.attempt_url}finish/").url == alice.attempt_url
