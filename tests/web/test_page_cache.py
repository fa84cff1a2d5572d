"""Anonymous readers get cached pages; per-visitor values are filled in on every response,
and everyone else, or a changed content tree, gets a fresh render."""

import re
import time

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from questions.catalog.sync import content_sync

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHOWN = re.compile(r'name="shown" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_the_second_anonymous_read_costs_no_query(loaded, django_assert_num_queries):
    Client().get("/glossary/precision/")
    with django_assert_num_queries(0):
        response = Client().get("/glossary/precision/")
    assert response.status_code == 200 and "<h1>Precision</h1>" in response.content.decode()


def test_each_visitor_gets_their_own_working_csrf_token(loaded):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = [
        TOKEN.search(c.get("/glossary/precision/").content.decode())[1] for c in (first, second)
    ]
    assert tokens[0] != tokens[1] and "late-value" not in "".join(tokens)
    marked = second.post("/glossary/precision/hard/", {"csrfmiddlewaretoken": tokens[1]})
    assert marked.status_code == 302
    # The message after the redirect is shown: pages with a message are never from the cache.
    assert "Precision is in your review queue." in second.get(marked["Location"]).content.decode()


def test_the_shown_time_of_a_question_is_per_request(loaded):
    with time_machine.travel("2026-03-01 10:00Z", tick=False):
        early = SHOWN.search(Client().get("/questions/metrics-single/").content.decode())[1]
    with time_machine.travel("2026-03-01 10:05Z", tick=False):
        later = SHOWN.search(Client().get("/questions/metrics-single/").content.decode())[1]
    assert early != later


def test_logged_in_readers_get_their_own_page(loaded):
    Client().get("/glossary/precision/")
    member = Client()
    member.force_login(User.objects.create_user("dana", password="x"))
    html = member.get("/glossary/precision/").content.decode()
    assert "dana" in html and "Log in" not in html


def test_loading_changed_content_retires_cached_pages(loaded, django_capture_on_commit_callbacks):
    assert "truly positive" in Client().get("/glossary/precision/").content.decode()
    term = loaded / "glossary" / "precision.md"
    term.write_text(term.read_text().replace("truly positive", "really positive"))
    with django_capture_on_commit_callbacks(execute=True):
        assert content_sync(loaded).ok
    html = Client().get("/glossary/precision/").content.decode()
    assert "really positive" in html and "truly positive" not in html


def _stored_pages() -> list[str]:
    """Page entries alive in the test settings' local-memory cache."""
    from django.core.cache import cache

    now = time.time()
    alive = [k for k, expires in cache._expire_info.items() if expires is None or expires > now]
    return [
        k for k in alive if "page-cache:" in k and "content-version" not in k and "-pages:" not in k
    ]


def test_searches_take_a_bounded_number_of_cache_entries(loaded, settings):
    """Every distinct query string is a new page; an attacker's endless searches must not
    each leave an entry behind for PAGE_CACHE_SECONDS."""
    settings.PAGE_CACHE_MAX_QUERY_PAGES = 3
    for n in range(20):
        assert Client().get(f"/questions/?q=probe{n}").status_code == 200
    assert len(_stored_pages()) == 3
    # Pages without a query string are as many as the content and are always kept.
    Client().get("/glossary/")
    assert len(_stored_pages()) == 4


def test_the_search_budget_renews_with_each_window(loaded, settings):
    settings.PAGE_CACHE_MAX_QUERY_PAGES = 1
    with time_machine.travel("2026-03-01 10:00Z", tick=False) as clock:
        Client().get("/questions/?q=first")
        Client().get("/questions/?q=second")
        assert len(_stored_pages()) == 1
        clock.shift(600)
        Client().get("/questions/?q=third")
        assert len(_stored_pages()) == 1  # the first one expired, the third took its place


def test_a_search_for_a_marker_shows_the_search_not_the_visitors_token(loaded):
    """The page echoes the search. Were the marker guessable (it was a constant), a link
    with it in the query would make every visitor's page show their own CSRF token there."""
    for probe in ("late-value-csrf-9c41e7", "late-value-shown-9c41e7"):
        for visitor in (Client(), Client()):  # the page's render, then the cached copy
            assert probe in visitor.get(f"/questions/?q={probe}").content.decode()


def test_browsing_from_a_topic_list_does_not_spend_the_search_budget(loaded, settings):
    """A question opened from a filtered list carries the filter (?topic=...), and the bank
    has more questions than the budget has slots: ordinary browsing must not use it up and
    leave every filtered list and search rendered fresh for the rest of the window."""
    settings.PAGE_CACHE_MAX_QUERY_PAGES = 1
    settings.QUESTIONS_PER_PAGE = 2
    urls = [
        "/questions/?topic=metrics",
        "/questions/metrics-single/?topic=metrics",
        "/questions/metrics-numeric/?topic=metrics",
        "/questions/metrics-single/?topic=metrics&type=single&difficulty=easy&tag=screening",
        "/questions/?tag=screening",
        "/questions/?topic=dicom&page=2",
        "/questions/?q=&topic=dicom&type=&difficulty=&tag=",  # the filter form's submit
    ]
    for stored, url in enumerate(urls, start=1):
        assert Client().get(url).status_code == 200
        assert len(_stored_pages()) == stored, url
    Client().get("/questions/?q=probe")  # a search still finds its one slot free
    assert len(_stored_pages()) == len(urls) + 1


@pytest.mark.parametrize(
    "url",
    [
        "/questions/?q=window",  # free text
        "/questions/?tag=no-such-tag",  # a tag nobody has: as many as one can type
        "/questions/?topic=no-such-topic",
        "/questions/?topic=metrics&utm=x",  # an unknown parameter
        "/questions/?topic=metrics&topic=dicom",  # a repeated one
        "/questions/?type=single&topic=metrics",  # not the order the site writes
        "/questions/?topic=%6Detrics",  # another spelling of ?topic=metrics
        "/questions/?topic=dicom&page=99",  # a page past the end (shows the last one)
        "/questions/?topic=dicom&page=02",
        "/questions/metrics-single/?topic=dicom",  # a filter this question is not in
        "/questions/metrics-single/?topic=metrics&page=1",
    ],
)
def test_endless_query_strings_still_spend_the_budget(loaded, settings, url):
    settings.PAGE_CACHE_MAX_QUERY_PAGES = 1
    settings.QUESTIONS_PER_PAGE = 2
    Client().get("/questions/?q=first")  # takes the one slot
    assert Client().get(url).status_code == 200
    assert len(_stored_pages()) == 1  # not stored: the next visitor gets a fresh render
