"""Anonymous readers get cached pages; per-visitor values are filled in on every response,
and everyone else, or a changed content tree, gets a fresh render."""

import re
import time

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from questions.catalog.sync import content_sync
from questions.models import Question, choice_ids

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


# --- logged-in readers share the cached page, with their own parts filled in ---------------

STANDING = re.compile(
    r'<li class="standing-([a-z]+)">\s*<a [^>]*href="/questions/([a-z0-9-]+)/.*?</li>', re.S
)


def _reader(name: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_user(name, password="x"))
    return client


def _standings(client: Client) -> dict[str, str]:
    html = client.get("/questions/?topic=metrics").content.decode()
    return {question: status for status, question in STANDING.findall(html)}


def _answer(client: Client, question: str, data: dict[str, str]) -> str:
    html = client.get(f"/questions/{question}/").content.decode()
    data = {"csrfmiddlewaretoken": TOKEN.search(html)[1], **data}
    return client.post(f"/questions/{question}/", data).content.decode()


def test_a_page_first_rendered_for_alice_shows_charlie_and_strangers_nothing_of_hers(loaded):
    alice_html = _reader("alice").get("/glossary/precision/").content.decode()
    assert "alice" in alice_html and "Log out" in alice_html
    charlie_html = _reader("charlie").get("/glossary/precision/").content.decode()
    assert "charlie" in charlie_html and "alice" not in charlie_html
    stranger_html = Client().get("/glossary/precision/").content.decode()
    assert "Log in" in stranger_html
    assert "alice" not in stranger_html and "charlie" not in stranger_html
    assert "Log out" not in stranger_html and "late-value" not in stranger_html
    # One render served all three: the pages differ only in the per-visitor parts.
    assert len(_stored_pages()) == 1


def test_each_reader_sees_only_their_own_standing(loaded):
    alice, charlie = _reader("alice"), _reader("charlie")
    assert "Right" in _answer(alice, "metrics-numeric", {"answer": "0.75"})
    assert "Not right" in _answer(charlie, "metrics-numeric", {"answer": "0.1"})
    # Alice's visit renders the list that everyone is then served from.
    assert _standings(alice)["metrics-numeric"] == "solved"
    assert _standings(charlie)["metrics-numeric"] == "attempted"
    assert set(_standings(Client()).values()) == {"new"}
    html = alice.get("/questions/?topic=metrics").content.decode()
    assert "last answer right" in html and "last answer wrong" not in html


def test_a_logged_in_second_read_costs_only_the_readers_own_queries(
    loaded, django_assert_num_queries
):
    Client().get("/glossary/precision/")
    Client().get("/questions/?topic=metrics")
    reader = _reader("dana")
    _answer(reader, "metrics-numeric", {"answer": "0.75"})
    # The session, and the user with their interviewer role (for the navigation) in one
    # query (questions/accounts/backends.py; was 3).
    with django_assert_num_queries(2):
        assert reader.get("/glossary/precision/").status_code == 200
    with django_assert_num_queries(3):  # and the listed questions' standing, in one query
        html = reader.get("/questions/?topic=metrics").content.decode()
    assert "Solved" in html


def test_a_logged_in_reader_answers_from_a_cached_page_with_their_own_choices(loaded):
    Client().get("/questions/metrics-single/")  # rendered for a stranger, then cached
    reader = _reader("erin")
    html = reader.get("/questions/metrics-single/").content.decode()
    question = Question.objects.get(ext_id="metrics-single")
    right = next(i for i, choice in enumerate(question.choices) if choice["correct"])
    scope = f"practice:user:{reader.session['_auth_user_id']}:metrics-single"
    right_id = choice_ids.choice_id(scope, right)
    assert f'value="{right_id}"' in html
    result = reader.post(
        "/questions/metrics-single/",
        {"csrfmiddlewaretoken": TOKEN.search(html)[1], "choice": right_id},
    )
    assert result.status_code == 200 and "Right" in result.content.decode()


def test_the_page_kept_for_everyone_holds_no_answer_key(loaded):
    from django.core.cache import cache

    Client().get("/questions/metrics-single/")
    (key,) = _stored_pages()
    page = cache.get(key.split(":", 2)[2])
    stored = repr(page)
    assert "correct" not in stored and "feedback" not in stored
    assert page.kept["practice_choices"]["texts"]


def test_a_fresh_worker_can_fill_a_cached_page_before_rendering_any_template():
    """A worker's first request may be a cached page: every late value the base template
    marks must be registered at start-up, not at the first render."""
    import json
    import subprocess
    import sys

    names = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from questions.web import page_cache;"
            " print(json.dumps(sorted(page_cache._LATE)))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "quizsite.settings"},
    )
    assert {"csrf", "nav_account", "nav_interviewer"} <= set(json.loads(names.stdout))


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


# --- the per-visitor parts are filled cheaply, and stay each visitor's own -------------------


def test_a_cached_page_masks_the_csrf_token_once_and_every_form_takes_it(loaded):
    """The log-out button, the flag form and the answer form carry the same token (masking
    it draws 32 random characters, once per request now), and it is valid for a POST."""
    from unittest import mock

    from django.middleware import csrf

    Client().get("/questions/metrics-single/")  # cached for everyone
    reader = _reader("frank")
    with mock.patch("questions.web.page_cache.get_token", wraps=csrf.get_token) as masked:
        html = reader.get("/questions/metrics-single/").content.decode()
    assert masked.call_count == 1
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1 and len(TOKEN.findall(html)) >= 3
    answer = reader.post(
        "/questions/metrics-single/", {"csrfmiddlewaretoken": tokens.pop(), "choice": "x"}
    )
    assert answer.status_code == 400  # past the CSRF check: an unknown choice, not a 403
    assert "Choose among the options shown" in answer.content.decode()


def test_a_stranger_without_a_cookie_gets_one_secret_and_the_token_for_it(loaded):
    """A first visit draws the CSRF secret (which also orders the choices) once: the cookie
    set, the token in the forms and the choices' ids all belong to the same secret."""
    from django.middleware.csrf import _unmask_cipher_token

    Client().get("/questions/metrics-single/")
    stranger = Client(enforce_csrf_checks=True)
    html = stranger.get("/questions/metrics-single/").content.decode()
    secret = stranger.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in TOKEN.findall(html)} == {secret}
    question = Question.objects.get(ext_id="metrics-single")
    scope = f"practice:visitor:{secret}:metrics-single"
    right = next(i for i, choice in enumerate(question.choices) if choice["correct"])
    right_id = choice_ids.choice_id(scope, right)
    assert f'value="{right_id}"' in html
    # Back with the cookie: the same secret, a new masking of it, the cookie renewed.
    again = stranger.get("/questions/metrics-single/")
    assert again.cookies["csrftoken"].value == secret
    tokens = TOKEN.findall(again.content.decode())
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert not set(tokens) & set(TOKEN.findall(html))
    assert f'value="{right_id}"' in again.content.decode()
    result = stranger.post(
        "/questions/metrics-single/", {"csrfmiddlewaretoken": tokens[0], "choice": right_id}
    )
    assert result.status_code == 200 and "Right" in result.content.decode()


@pytest.mark.parametrize("first", ["alice", "stranger"])
def test_strangers_never_see_a_readers_name_in_the_navigation(loaded, first):
    """The strangers' navigation is kept whole per process and the readers' is filled from
    pieces: whichever is built first, a stranger gets the log-in links and nobody's name."""
    alice = _reader("alice")
    for _ in range(2):  # the render, then the cached copy
        if first == "alice":
            assert "alice" in alice.get("/glossary/precision/").content.decode()
        for url in ("/glossary/precision/", "/questions/metrics-single/", "/"):
            html = Client().get(url).content.decode()
            assert "Log in" in html and "Sign up" in html
            assert "alice" not in html and "Log out" not in html
        if first == "stranger":
            assert "alice" in alice.get("/questions/metrics-single/").content.decode()


def test_the_account_links_are_the_templates_own_with_the_name_escaped(loaded):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import get_template
    from django.test import RequestFactory

    from questions.web.context_processors import _nav_account

    for name in ['<script>alert("x")</script>', "o'brien & co", "plain"]:
        request = RequestFactory().get("/glossary/precision/")
        request.user = User(username=name)
        filled = _nav_account(request)
        token = TOKEN.search(filled)[1]
        rendered = get_template("questions/_nav_account.html").render(
            {"user": request.user, "csrf_token": token}
        )
        assert filled == rendered
        assert "<script>" not in filled
    request.user = AnonymousUser()
    assert _nav_account(request) == get_template("questions/_nav_account.html").render({})


@pytest.mark.parametrize("interviewer", [True, False])
@pytest.mark.parametrize("staff", [True, False])
def test_the_role_links_are_the_templates_own(loaded, interviewer, staff):
    from django.contrib.auth.models import Group
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    from questions.models.interviews import INTERVIEWER_GROUP
    from questions.web.context_processors import _nav_interviewer

    user = User.objects.create_user("gail", password="x", is_staff=staff)
    if interviewer:
        user.groups.add(Group.objects.get_or_create(name=INTERVIEWER_GROUP)[0])
    for path in (
        "/glossary/precision/",
        reverse("interviews:list"),
        reverse("quality:item_statistics"),
    ):
        request = RequestFactory().get(path)
        request.user = User.objects.get(pk=user.pk)
        request.resolver_match = resolve(path)
        expected = get_template("questions/_nav_interviewer.html").render(
            {"request": request, "is_interviewer": interviewer or staff}
        )
        assert _nav_interviewer(request) == (expected if interviewer or staff else "")


def test_the_token_is_masked_as_django_masks_it_with_every_mask_possible():
    """csrf_token draws the mask as one random number; each character must still take every
    value (a biased or fixed mask would let the token leak the secret through compression)."""
    from django.middleware.csrf import (
        CSRF_ALLOWED_CHARS,
        _get_new_csrf_string,
        _unmask_cipher_token,
    )

    from questions.web.page_cache import _masked

    secret = _get_new_csrf_string()
    tokens = [_masked(secret) for _ in range(2000)]
    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    assert len(set(tokens)) == len(tokens)
    for position in (0, 15, 31):
        assert {token[position] for token in tokens} == set(CSRF_ALLOWED_CHARS)
    assert _masked("short") == "" and _masked("!" * 32) == ""


def test_a_strangers_cached_list_marks_every_question_new(loaded):
    from questions.catalog.practice import NEW, standing_html

    new = standing_html(NEW)
    Client().get("/questions/?topic=metrics")  # cached for everyone
    html = Client().get("/questions/?topic=metrics").content.decode()
    listed = STANDING.findall(html)
    assert listed and {status for status, _ in listed} == {"new"}
    assert html.count(new) == len(listed)


def test_a_deploy_of_other_code_retires_what_the_old_code_cached(loaded, monkeypatch):
    """A template or a cached class changed by a release must not be served, or unpickled,
    from the old release's entries: every content key carries the code's own hash."""
    from questions.models import GlossaryTerm
    from questions.web import page_cache

    assert "truly positive" in Client().get("/glossary/precision/").content.decode()
    # Stands for what a new release renders differently.
    GlossaryTerm.objects.filter(ext_id="precision").update(body_html="<p>Rewritten.</p>")
    assert "truly positive" in Client().get("/glossary/precision/").content.decode()

    monkeypatch.setattr(page_cache, "release", lambda: "another-release")
    page_cache.forget_local()  # a new release starts new workers
    assert "Rewritten." in Client().get("/glossary/precision/").content.decode()


def test_the_release_hash_follows_the_code_and_templates(settings, tmp_path):
    from questions.web import page_cache

    for name in ("questions/views.py", "questions/templates/page.html", "quizsite/settings.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("one")
    settings.BASE_DIR = tmp_path

    def release() -> str:
        page_cache.release.cache_clear()
        return page_cache.release()

    try:
        first = release()
        (tmp_path / "questions/templates/page.html").write_text("two")
        second = release()
        (tmp_path / "questions/notes.txt").write_text("not code")
        assert first != second == release()
        (tmp_path / "questions/static/site.css").parent.mkdir(parents=True)
        (tmp_path / "questions/static/site.css").write_text("a { }")
        assert release() != second
    finally:
        page_cache.release.cache_clear()
