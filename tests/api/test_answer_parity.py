"""PUT /api/attempts/{id}/answers/{n}/ answers exactly as the DRF view does.

questions/api/answer.py serves the usual request itself and hands the others to the DRF
view. Each request here is sent twice from the same state (the database rolled back and the
throttle counters cleared in between): once to the site's route, once to the DRF view alone
(tests/api/drf_answer_urls.py). Status, body, headers and what was saved must be the same,
and the usual requests must not have been handed over: else this would compare DRF to DRF.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from questions.api import answer
from questions.models import Attempt, QuestionSet
from questions.owners import Owner
from questions.quizzes.services import attempt_finish, attempt_start

HEADERS = ("Content-Type", "Allow", "Vary", "Retry-After", "WWW-Authenticate")


class Rollback(Exception):
    pass


@pytest.fixture
def alice(loaded) -> User:
    return User.objects.create_user("alice", password="alice-password")


@pytest.fixture
def attempt(alice) -> Attempt:
    question_set = QuestionSet.objects.get(ext_id="starter")
    return attempt_start(owner=Owner(alice, ""), kind="set", question_set=question_set)


@pytest.fixture
def handed_over(monkeypatch) -> list[str]:
    """The requests answer.py handed to the DRF view, by path."""
    calls: list[str] = []
    drf_view = answer.drf_view

    def spy(request: Any, **kwargs: Any) -> Any:
        calls.append(request.path)
        return drf_view(request, **kwargs)

    spy.cls = drf_view.cls  # type: ignore[attr-defined]
    monkeypatch.setattr(answer, "drf_view", spy)
    return calls


def token_of(user: User) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def choice(attempt: Attempt, position: int = 1) -> str:
    return attempt.items.get(position=position).choice_id(0)


def saved(attempt: Attempt) -> list[tuple]:
    items = attempt.items.order_by("position")
    state = Attempt.objects.values_list("finished_at", "ended_by").get(pk=attempt.pk)
    return [state, *items.values_list("position", "answer", "answer_text", "answered_at")]


def outcome(send: Callable[[], Any], attempt: Attempt) -> tuple:
    """What one run of `send` answered and saved; the database is then put back."""
    cache.clear()
    result: tuple = ()
    try:
        with transaction.atomic():
            responses = send()
            responses = responses if isinstance(responses, list) else [responses]
            result = (
                [(r.status_code, body(r), {h: r.get(h) for h in HEADERS}) for r in responses],
                saved(attempt),
            )
            raise Rollback
    except Rollback:
        pass
    cache.clear()
    return result


def body(response: Any) -> bytes:
    """The body; of DRF's browsable HTML page (handed over anyway), only that it is one."""
    if response.get("Content-Type", "").startswith("text/html"):
        return b"<html>"
    return bytes(response.content)


def same_as_drf(send: Callable[[], Any], attempt: Attempt) -> tuple:
    moment = timezone.now()  # both runs at the same instant: the same answered_at
    with time_machine.travel(moment, tick=False):
        ours = outcome(send, attempt)
    drf_alone = override_settings(ROOT_URLCONF="tests.api.drf_answer_urls")
    with drf_alone, time_machine.travel(moment, tick=False):
        theirs = outcome(send, attempt)
    assert ours == theirs
    return ours


def put(client: Client, attempt: Attempt, position: int, body: Any, **extra: Any) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    extra.setdefault("content_type", "application/json")
    return client.put(f"/api/attempts/{attempt.pk}/answers/{position}/", data, **extra)


def test_the_usual_requests_are_answered_here_as_drf_answers_them(
    alice, attempt, handed_over, loaded
):
    charlie = User.objects.create_user("charlie", password=None)
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token_of(alice)}")
    by_charlie = Client(HTTP_AUTHORIZATION=f"Token {token_of(charlie)}")
    types = dict(attempt.items.values_list("position", "question__type"))
    single = next(p for p, t in types.items() if t == "single")
    cases = [
        (by_token, single, {"answer": choice(attempt, single)}, 200),
        (by_token, single, {"answer": "not an id"}, 400),
        (by_token, single, {"answer": choice(attempt, single), "extra": [1]}, 200),
        (by_token, 99, {"answer": choice(attempt, single)}, 400),
        (by_charlie, single, {"answer": choice(attempt, single)}, 404),
        (by_charlie, 99, {"answer": 1}, 404),
        (Client(), single, {"answer": choice(attempt, single)}, 404),  # no session: owns nothing
    ]
    for position, qtype in types.items():
        if qtype in ("short", "open", "numeric", "truefalse"):
            cases.append((by_token, position, {"answer": "0,75"}, None))
    for client, position, body, status in cases:
        ((code, content, _),), _ = same_as_drf(
            lambda c=client, p=position, b=body: put(c, attempt, p, b), attempt
        )
        assert status is None or code == status, (position, body, content)
    assert handed_over == []


def test_a_saved_answer_reads_back_in_the_success_body(alice, attempt, handed_over):
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token_of(alice)}")
    picked = choice(attempt)
    ((code, content, headers),), state = same_as_drf(
        lambda: put(by_token, attempt, 1, {"answer": picked}), attempt
    )
    assert (code, json.loads(content)) == (200, {"position": 1, "answer": picked, "saved": True})
    assert headers["Content-Type"] == "application/json"
    assert state[1][1] is not None  # saved, then rolled back for the DRF run
    assert handed_over == []


def test_session_writes_need_the_csrf_token_here_too(alice, attempt, handed_over):
    browser = Client(enforce_csrf_checks=True)
    browser.login(username="alice", password="alice-password")
    csrf = browser.cookies["csrftoken"] = "k" * 32  # as a page's form would have set it
    ((code, _, _),), _ = same_as_drf(
        lambda: put(browser, attempt, 1, {"answer": choice(attempt)}, HTTP_X_CSRFTOKEN=csrf),
        attempt,
    )
    assert code == 200
    assert handed_over == []
    ((code, content, _),), _ = same_as_drf(
        lambda: put(browser, attempt, 1, {"answer": choice(attempt)}), attempt
    )
    assert code == 403 and b"CSRF Failed" in content
    assert len(handed_over) == 1  # refused by DRF, as before


def test_an_anonymous_visitors_session_owns_its_attempt(loaded, handed_over):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/accounts/login/")
    csrf = visitor.cookies["csrftoken"].value
    started = visitor.post(
        "/api/attempts/",
        json.dumps({"kind": "quick"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    mine = Attempt.objects.get(pk=started.json()["id"])
    ((code, _, _),), _ = same_as_drf(
        lambda: put(visitor, mine, 1, {"answer": "x"}, HTTP_X_CSRFTOKEN=csrf), mine
    )
    assert code in (200, 400)  # whatever its first question's type, as DRF says
    ((code, _, _),), _ = same_as_drf(lambda: put(visitor, mine, 1, {"answer": "x"}), mine)
    assert code == 403  # the anonymous session's write without the token


def test_the_deadline_rules_are_the_same(alice, attempt, handed_over):
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token_of(alice)}")
    picked = choice(attempt)
    assert attempt.deadline is not None
    with time_machine.travel(attempt.deadline + timedelta(minutes=10), tick=False):
        ((code, content, _),), state = same_as_drf(
            lambda: put(by_token, attempt, 1, {"answer": picked}), attempt
        )
    assert code == 409 and json.loads(content)["finished"] is True
    assert state[0][1] == Attempt.End.EXPIRED and state[1][1] is None  # finished, not saved
    Attempt.objects.filter(pk=attempt.pk).update(deadline=None)  # waiting at its start page
    ((code, _, _),), _ = same_as_drf(lambda: put(by_token, attempt, 1, {"answer": picked}), attempt)
    assert code == 409
    attempt.refresh_from_db()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(hours=1))
    attempt_finish(attempt=attempt)
    ((code, content, _),), _ = same_as_drf(
        lambda: put(by_token, attempt, 1, {"answer": picked}), attempt
    )
    assert code == 409 and json.loads(content)["finished"] is True
    assert handed_over == []


def test_throttled_requests_are_refused_alike(alice, attempt, handed_over, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"}
    )
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token_of(alice)}")
    anonymous = Client()
    picked = choice(attempt)
    for client in (by_token, anonymous):
        responses, _ = same_as_drf(
            lambda c=client: [put(c, attempt, 1, {"answer": picked}) for _ in range(4)], attempt
        )
        assert [code for code, _, _ in responses][2:] == [429, 429]
        assert int(responses[3][2]["Retry-After"]) > 0
    assert handed_over == []


@pytest.mark.parametrize(
    "body, extra",
    [
        ({"nothing": 1}, {}),
        ({"answer": None}, {}),
        ([{"answer": 1}], {}),
        ("{not json", {}),
        ("", {}),
        ('{"answer": NaN}', {}),
        ('{"answer": ' + "[" * 40 + "]" * 40 + "}", {}),
        ('{"answer": ' + "9" * 5000 + "}", {}),
        ({"answer": "x"}, {"HTTP_AUTHORIZATION": "Token not-a-token"}),
        ({"answer": "x"}, {"HTTP_AUTHORIZATION": "Token"}),
        ({"answer": "x"}, {"HTTP_AUTHORIZATION": "Token a b"}),
        ({"answer": "x"}, {"HTTP_AUTHORIZATION": "Basic YTpi"}),
        ({"answer": "x"}, {"HTTP_AUTHORIZATION": "Token\xa0{key}"}),  # not a separator
        ({"answer": "x"}, {"HTTP_AUTHORIZATION": "Token \xe9t\xe9"}),
        ({"answer": "x"}, {"HTTP_ACCEPT": "text/html"}),
        ({"answer": "x"}, {"HTTP_ACCEPT": "application/xml"}),
        ("answer=x", {"content_type": "application/x-www-form-urlencoded"}),
        ({"answer": "x"}, {"content_type": "text/plain"}),
        ({"answer": "x"}, {"QUERY_STRING": "format=api"}),
    ],
)
def test_other_requests_are_handed_to_drf(alice, attempt, handed_over, body, extra):
    key = token_of(alice)
    by_token = Client(HTTP_AUTHORIZATION=f"Token {key}")
    if "HTTP_AUTHORIZATION" in extra:
        extra = {**extra, "HTTP_AUTHORIZATION": extra["HTTP_AUTHORIZATION"].format(key=key)}
    ((code, content, _),), _ = same_as_drf(
        lambda: put(by_token, attempt, 1, body, **extra), attempt
    )
    # Refused, or anonymous (the attempt is then someone else's: 404).
    assert code >= 400, content
    assert len(handed_over) == 1


def test_an_inactive_users_token_is_refused_by_drf(alice, attempt, handed_over):
    key = token_of(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    ((code, content, _),), _ = same_as_drf(
        lambda: put(Client(HTTP_AUTHORIZATION=f"Token {key}"), attempt, 1, {"answer": "x"}),
        attempt,
    )
    assert code in (401, 403) and json.loads(content) == {"detail": "User inactive or deleted."}
    assert len(handed_over) == 1


def test_other_methods_are_drfs(alice, attempt, handed_over):
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token_of(alice)}")
    path = f"/api/attempts/{attempt.pk}/answers/1/"
    ((code, _, headers),), _ = same_as_drf(lambda: by_token.get(path), attempt)
    assert code == 405 and set(headers["Allow"].split(", ")) == {"OPTIONS", "PUT"}


def test_a_token_answer_reads_no_session_and_makes_three_queries(alice, attempt):
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token_of(alice)}")
    picked = choice(attempt)
    with CaptureQueriesContext(connection) as queries:
        assert put(by_token, attempt, 1, {"answer": picked}).status_code == 200
    sql = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    # The token with its user; the item with its attempt; the UPDATE that checks the
    # attempt again (no transaction of its own).
    assert len(sql) == 3, sql
    assert "django_session" not in " ".join(sql)
    assert "prompt_html" not in sql[1] and "password" not in sql[0]


def test_the_schema_describes_the_route_as_the_drf_view_does(db):
    from drf_spectacular.generators import SchemaGenerator

    ours = SchemaGenerator().get_schema(request=None, public=True)
    drfs = SchemaGenerator(urlconf="tests.api.drf_answer_urls").get_schema(
        request=None, public=True
    )
    route = "/api/attempts/{attempt_id}/answers/{position}/"
    assert ours["paths"][route] == drfs["paths"][route]
    assert ours["paths"][route]["put"]["operationId"] == "attempts_answers_update"


@pytest.mark.parametrize("separator", ["\t", "\x0b", "\x0c"])
def test_a_token_after_an_odd_separator_keeps_the_session_and_its_csrf_rule(
    alice, attempt, handed_over, separator
):
    # The site's SessionAuthentication runs first in DRF and steps aside only for
    # "Token <key>" with a plain space: with a tab, Bob's session (no CSRF token sent)
    # is the request's, and it is refused, never Alice's token let through.
    bob = User.objects.create_user("bob", password="bob-password")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob)
    responses, _saved = same_as_drf(
        lambda: put(
            browser,
            attempt,
            1,
            {"answer": choice(attempt)},
            HTTP_AUTHORIZATION=f"Token{separator}{token_of(alice)}",
        ),
        attempt,
    )
    status, answered, _headers = responses[0]
    assert status == 403 and b"CSRF" in answered
    assert handed_over  # DRF decided
