"""A candidate who reads every byte the site sends learns nothing about the key from choices.

Authors tend to write the right choice first. The bank is the real one (content/), and the
strategies are a cheater's: always take the first choice shown, or the lowest identifier. Each
must score at chance, within a wide binomial bound, in practice mode, quizzes and invites.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from questions.catalog import practice
from questions.catalog.sync import content_sync
from questions.interviews import invites, sets
from questions.models import Attempt, AttemptItem, Question, QuestionSet
from questions.owners import Owner
from questions.quizzes.services import attempt_start
from tests.choices import shown_choices
from tests.quiz_flow import press_start

CHOICE_TYPES = ("single", "multiple")
# (id, is this choice right?) in the order shown
Shown = list[tuple[str, bool]]


@pytest.fixture
def bank(db):
    report = content_sync(Path(settings.CONTENT_DIR))
    assert report.ok, report.problems
    return Question.objects.active().filter(type__in=CHOICE_TYPES)


def first_shown(shown: Shown) -> bool:
    return shown[0][1]


def lowest_id(shown: Shown) -> bool:
    return min(shown)[1]


def file_first(question: Question) -> bool:
    return bool(question.choices[0]["correct"])


def assert_at_chance(rounds: Iterable[Shown], pick: Callable[[Shown], bool]) -> None:
    """Hits of `pick` against what pure guessing gets: the share of right choices shown."""
    hits = 0
    mean = variance = 0.0
    for shown in rounds:
        p = sum(right for _, right in shown) / len(shown)
        hits += pick(shown)
        mean += p
        variance += p * (1 - p)
    bound = 5 * math.sqrt(variance)  # five standard deviations: a false alarm about 1 in 10^6
    assert abs(hits - mean) <= bound, (hits, mean, bound)


def test_the_bank_really_puts_the_key_first(bank):
    """Without the shuffle, "take the first" would win: the test below has something to find."""
    questions = list(bank)
    share = sum(file_first(q) for q in questions) / len(questions)
    assert share > 0.6


def item_shown(item: AttemptItem) -> Shown:
    return [(cid, bool(choice["correct"])) for cid, choice, _ in item.choice_inputs]


def test_practice_order_and_ids_carry_no_key(bank):
    rounds = [
        [(c.id, bool(c.choice["correct"])) for c in practice.shown_choices(scope, question)]
        for visitor in range(60)
        for question in bank
        if question.shuffle
        for scope in [f"practice:visitor:v{visitor}:{question.ext_id}"]
    ]
    assert_at_chance(rounds, first_shown)
    assert_at_chance(rounds, lowest_id)


def test_the_practice_page_shows_that_order_and_those_ids(bank):
    question = bank.filter(type="single").order_by("ext_id").first()
    orders = set()
    for _ in range(6):
        visitor = Client()
        html = visitor.get(question.get_absolute_url()).content.decode()
        again = visitor.get(question.get_absolute_url()).content.decode()
        shown = [cid for cid, _ in shown_choices(html)]
        assert shown == [cid for cid, _ in shown_choices(again)]  # stable across reloads
        scope = f"practice:visitor:{visitor.cookies['csrftoken'].value}:{question.ext_id}"
        assert shown == [c.id for c in practice.shown_choices(scope, question)]
        orders.add(tuple(label for _, label in shown_choices(html)))
    assert len(orders) > 1  # different visitors, different orders


def _set_rounds(owner: Owner, times: int) -> list[Shown]:
    rounds = []
    for question_set in QuestionSet.objects.active():
        for _ in range(times):
            attempt = attempt_start(owner=owner, kind="set", question_set=question_set)
            for item in attempt.items.select_related("question"):
                if item.type in CHOICE_TYPES and item.question and item.question.shuffle:
                    rounds.append(item_shown(item))
    return rounds


def test_quiz_order_and_ids_carry_no_key(bank):
    rounds = _set_rounds(Owner(None, "cheater"), times=12)
    assert len(rounds) > 300
    assert_at_chance(rounds, first_shown)
    assert_at_chance(rounds, lowest_id)


def test_invite_order_and_ids_carry_no_key(bank, django_user_model):
    alice = django_user_model.objects.create_user("alice")
    rounds = []
    for curated in QuestionSet.objects.active():
        screening = sets.set_from_curated(question_set=curated, owner=alice)
        invite = invites.invite_create(interview_set=screening)
        for n in range(10):
            attempt = invites.invite_start(
                invite=invite, owner=Owner(None, f"candidate-{n}"), candidate_name=f"C{n}"
            )
            for item in attempt.items.select_related("question"):
                if item.type in CHOICE_TYPES and item.question and item.question.shuffle:
                    rounds.append(item_shown(item))
    assert len(rounds) > 250
    assert_at_chance(rounds, first_shown)
    assert_at_chance(rounds, lowest_id)


FIELDSET = re.compile(r"<fieldset>(?:(?!</fieldset>).)*?name=\"choice\".*?</fieldset>", re.DOTALL)
ATTRIBUTE = re.compile(r'\s([\w-]+)="([^"]*)"')
OPAQUE = re.compile(r"(?:c-)?[0-9a-f]{12}")


def assert_choice_markup_is_opaque(html: str) -> None:
    """Every attribute value inside a choice fieldset is an opaque id or a fixed word."""
    blocks = FIELDSET.findall(html)
    assert blocks
    for block in blocks:
        for name, value in ATTRIBUTE.findall(block):
            fixed = name in ("type", "name", "class") or (name == "checked")
            assert fixed or OPAQUE.fullmatch(value), (name, value)


def test_no_file_index_reaches_the_page_or_the_api(bank):
    candidate = Client()
    curated = QuestionSet.objects.active().order_by("ext_id").first()
    started = candidate.post("/quizzes/start/", {"kind": "set", "question_set": curated.ext_id})
    attempt = Attempt.objects.get()
    press_start(candidate, attempt)
    html = candidate.get(started["Location"]).content.decode()
    choice_items = [i for i in attempt.items.all() if i.type in CHOICE_TYPES]
    assert choice_items
    page_ids = [cid for cid, _ in shown_choices(html)]
    assert page_ids == [cid for item in choice_items for cid, _, _ in item.choice_inputs]
    assert_choice_markup_is_opaque(html)
    # Answer one through the page, then read it all back through the API.
    first = choice_items[0]
    candidate.post(f"{started['Location']}answers/{first.position}/", {"choice": page_ids[0]})
    api = candidate.get(f"/api/attempts/{attempt.pk}/").json()
    for item in api["items"]:
        if item["type"] in CHOICE_TYPES:
            assert all(set(choice) == {"id", "text_html"} for choice in item["choices"])
            assert all(re.fullmatch(r"[0-9a-f]{12}", c["id"]) for c in item["choices"])
    answered = next(i for i in api["items"] if i["position"] == first.position)
    assert answered["answer"] in {c["id"] for c in answered["choices"]}
    # A file index is not an answer.
    for index in (0, "0", [0]):
        response = candidate.put(
            f"/api/attempts/{attempt.pk}/answers/{first.position}/",
            json.dumps({"answer": index}),
            content_type="application/json",
        )
        assert response.status_code == 400


def test_ids_differ_between_attempts_of_the_same_set(bank):
    owner = Owner(None, "alice")
    starter = QuestionSet.objects.active().first()
    one, two = (attempt_start(owner=owner, kind="set", question_set=starter) for _ in range(2))
    ids_one = {cid for item in one.items.all() for cid, _, _ in item.choice_inputs}
    ids_two = {cid for item in two.items.all() for cid, _, _ in item.choice_inputs}
    assert ids_one and not ids_one & ids_two
