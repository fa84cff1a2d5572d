"""Staff triage flags in the admin: filter, search, mark resolved; what candidates wrote is
read-only."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from questions.models import QuestionFlag

URL = "/admin/questions/questionflag/"


@pytest.fixture
def admin_browser(db):
    client = Client()
    client.force_login(User.objects.create_superuser("sam", "sam@example.org", "pw-sam-123"))
    return client


@pytest.fixture
def flags(bank):
    return [
        QuestionFlag.objects.create(
            question=bank["metrics-single"], reason="wrong_key", comment="A, not B", anon_token="a"
        ),
        QuestionFlag.objects.create(
            question=bank["dicom-short"], reason="typo", comment="Hounsfeld", anon_token="b"
        ),
    ]


def test_staff_filter_and_search_flags(admin_browser, flags):
    html = admin_browser.get(URL, {"reason__exact": "typo"}).content.decode()
    assert "Hounsfeld" in html and "A, not B" not in html
    html = admin_browser.get(URL, {"q": "metrics-single"}).content.decode()
    assert "A, not B" in html and "Hounsfeld" not in html
    assert admin_browser.get(URL, {"status__exact": "open"}).status_code == 200
    assert admin_browser.get(URL + "add/").status_code == 403


def test_the_action_marks_flags_resolved(admin_browser, flags):
    response = admin_browser.post(
        URL,
        {"action": "mark_resolved", "_selected_action": [flags[0].pk]},
        follow=True,
    )
    assert "1 flag marked resolved." in response.content.decode()
    flags[0].refresh_from_db()
    assert flags[0].status == "resolved" and flags[0].resolved_at is not None
    assert QuestionFlag.objects.get(pk=flags[1].pk).status == "open"


def test_staff_write_a_note_but_cannot_change_what_the_candidate_wrote(admin_browser, flags):
    flag = flags[0]
    admin_browser.post(
        f"{URL}{flag.pk}/change/",
        {
            "status": "resolved",
            "staff_note": "Fixed in #42",
            "comment": "changed",
            "reason": "typo",
        },
    )
    flag.refresh_from_db()
    assert (flag.status, flag.staff_note) == ("resolved", "Fixed in #42")
    assert (flag.comment, flag.reason) == ("A, not B", "wrong_key")
    assert flag.resolved_at is not None


def test_reopening_a_flag_when_its_owner_has_opened_another_is_refused(admin_browser, flags):
    flag = flags[0]
    QuestionFlag.objects.filter(pk=flag.pk).update(status="resolved")
    QuestionFlag.objects.create(question=flag.question, reason="typo", anon_token="a")
    response = admin_browser.post(f"{URL}{flag.pk}/change/", {"status": "open", "staff_note": ""})
    assert response.status_code == 200
    assert "another open flag on this question" in response.content.decode()
    assert QuestionFlag.objects.get(pk=flag.pk).status == "resolved"
