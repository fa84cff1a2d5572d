"""Charlie, another interviewer, gets 404 on every URL of Alice's set: pages and API."""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from questions.interviews import invites
from tests.quiz_flow import press_start

from .conftest import client_for


def _patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            yield from _patterns(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def _object_urls(screening, attempt):
    entry = screening.entries.first()
    invite = screening.invites.first()
    values = {
        "set_id": screening.pk,
        "pk": screening.pk,
        "entry_id": entry.pk,
        "invite_id": invite.pk,
        "attempt_id": attempt.pk,
        "position": 2,
        "item_id": attempt.items.get(position=2).pk,  # the open answer
        "fmt": "md",
    }
    urls = {}
    for name, pattern in _patterns():
        params = list(pattern.pattern.converters)
        if "set_id" in params or (name == "api:set"):
            kwargs = {p: values[p] for p in params}
            if name == "interviews:result_figure":
                kwargs["position"] = 3  # the set's exercise
            urls[name] = reverse(name, kwargs=kwargs)
    return urls


def test_every_set_url_is_404_for_another_interviewer(screening, alice_client, charlie):
    invites.invite_create(interview_set=screening)
    invite = screening.invites.first()
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Dana"})
    attempt = screening.attempts.get()
    press_start(candidate, attempt)
    candidate.post(reverse("questions:attempt_finish", args=[attempt.pk]))
    urls = _object_urls(screening, attempt)
    expected = {
        "interviews:set",
        "interviews:entry_add",
        "interviews:entry_move",
        "interviews:entry_remove",
        "interviews:duplicate",
        "interviews:delete",
        "interviews:export",
        "interviews:anki",
        "interviews:import_questions",
        "interviews:invites",
        "interviews:invite_revoke",
        "interviews:results",
        "interviews:results_csv",
        "interviews:result",
        "interviews:result_grade",
        "interviews:result_figure",
        "interviews:grading",
        "interviews:grading_save",
        "api:set",
        "api:set_entries",
        "api:set_entry",
        "api:set_invites",
        "api:set_results",
    }
    assert set(urls) == expected, "a new set URL must be added to this walk"
    charlie_client = client_for(charlie)
    for name, url in urls.items():
        answers = {
            method: getattr(charlie_client, method)(url, {}).status_code
            for method in ("get", "post", "put", "patch", "delete")
        }
        assert 404 in answers.values(), (name, answers)
        assert set(answers.values()) <= {404, 405}, (name, answers)
        # Alice herself gets in with the method the URL serves.
        assert (
            any(getattr(alice_client, method)(url).status_code in (200, 302) for method in ("get",))
            or answers["get"] == 405
        ), name
    # Nothing was changed by Charlie's attempts.
    screening.refresh_from_db()
    assert screening.entries.count() == 4 and screening.invites.get().revoked_at is None
    assert screening.attempts.get().items.get(position=2).graded_at is None
