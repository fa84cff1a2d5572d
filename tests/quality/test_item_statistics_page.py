"""The staff's item statistics page: staff only, worst first, a fixed number of queries."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from questions.models import QuestionFlag

from .conftest import finished_attempt

URL = "/staff/item-statistics/"


def _attempts(bank, count=6):
    for n in range(count):
        right = 1.0 if n % 2 else 0.0
        finished_attempt(
            {
                bank["metrics-single"]: right,
                bank["metrics-numeric"]: 1.0 - right,  # the weak get it right: a bad key?
                bank["dicom-short"]: right,
                bank["dicom-truefalse"]: 1.0,
            }
        )


def test_visitors_and_candidates_are_sent_to_the_staff_log_in(loaded, bob):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    candidate = Client()
    candidate.force_login(bob)
    response = candidate.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "Item stats" not in candidate.get("/").content.decode()


def test_staff_see_every_question_worst_first_with_flags_and_links(bank, staff_client):
    _attempts(bank)
    QuestionFlag.objects.create(
        question=bank["metrics-numeric"],
        reason="wrong_key",
        comment="Should be 0.8",
        anon_token="a",
    )

    response = staff_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    rows = [row.question.ext_id for row in response.context["page"].object_list]
    assert rows[0] == "metrics-numeric"  # negative discrimination and a flag
    assert "Negative discrimination: stronger candidates scored lower" in html
    assert "Very easy: facility above 90%" in html  # dicom-truefalse, everyone right
    assert "everyone scored the same on this question" in html
    assert "Should be 0.8" in html and "The key looks wrong" in html
    assert 'href="/questions/metrics-numeric/"' in html
    assert "nan" not in html.lower()
    assert 'aria-current="page">Item stats</a>' in html


def test_the_filters_narrow_the_list(bank, staff_client):
    _attempts(bank)
    page = staff_client.get(URL, {"topic": "dicom"}).context["page"]
    assert {row.question.ext_id for row in page.object_list} == {"dicom-short", "dicom-truefalse"}
    page = staff_client.get(URL, {"flagged": "on"}).context["page"]
    assert {row.question.ext_id for row in page.object_list} == {
        "metrics-numeric",
        "dicom-truefalse",
    }
    page = staff_client.get(URL, {"min_attempts": "7"}).context["page"]
    assert not page.object_list
    # A nonsense filter is ignored, with its error shown, not a 500.
    response = staff_client.get(URL, {"min_attempts": "lots", "topic": "nope"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 4


def test_the_page_costs_the_same_queries_for_many_attempts(bank, staff_client):
    _attempts(bank)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(URL).status_code == 200
    _attempts(bank, 30)
    QuestionFlag.objects.create(question=bank["dicom-short"], reason="typo", anon_token="b")
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(URL).status_code == 200
    assert len(many) == len(few) <= 10, [q["sql"] for q in many.captured_queries]


def test_the_staff_link_is_filled_per_user_into_pages_cached_for_everyone(
    loaded, bob, staff_client, settings
):
    # A page cached for everyone (the glossary term) carries the role links late: staff get
    # "Item stats", a candidate reading the same cached page does not.
    settings.PAGE_CACHE_SECONDS = 600
    candidate = Client()
    candidate.force_login(bob)
    url = "/glossary/precision/"

    first = candidate.get(url).content.decode()
    for_staff = staff_client.get(url).content.decode()
    again = candidate.get(url).content.decode()

    assert candidate.get(url).status_code == 200
    assert "Item stats" not in first and "Item stats" not in again
    assert 'href="/staff/item-statistics/">Item stats</a>' in for_staff
