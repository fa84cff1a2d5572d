"""Plain helpers the browser tests share: users, answers, the tour of main pages, axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

from questions.exercises.lookup import exercise_for
from questions.interviews import invites as interview_invites
from questions.interviews import sets as interview_sets
from questions.models import Attempt, AttemptItem, Question, QuestionSet
from questions.models.interviews import INTERVIEWER_GROUP
from questions.owners import Owner
from questions.quizzes import services as attempts

PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 740}
# Waits for what the server or the page's script does; generous for a busy 2-core CI machine.
SLOW = 15_000
IMBALANCE_SET = "class-imbalance-and-metrics"


class Guard:
    """What a context's pages did that no page of this site should do: ask another origin
    for anything (such requests are recorded and aborted, so nothing leaves the machine),
    trip the Content-Security-Policy (which stops foreign loads, inline script and inline
    style before they become requests), or throw an uncaught JavaScript error."""

    def __init__(self, origin: str) -> None:
        self.origin = origin.rstrip("/")
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.blocked: list[str] = []

    def watch(self, context: BrowserContext) -> None:
        context.route(self._is_foreign, self._refuse)
        context.on("page", self._watch_page)

    def _watch_page(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.blocked.append(message.text)

    def _is_foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" != self.origin

    def _refuse(self, route: Route) -> None:
        self.foreign.append(route.request.url)
        route.abort("blockedbyclient")

    def assert_clean(self) -> None:
        assert not self.foreign, f"requests left {self.origin}: {self.foreign}"
        assert not self.blocked, f"blocked by the Content-Security-Policy: {self.blocked}"
        assert not self.errors, f"JavaScript errors on the page: {self.errors}"


def make_user(username: str, *, interviewer: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD)
    if interviewer:
        user.groups.add(Group.objects.get_or_create(name=INTERVIEWER_GROUP)[0])
    return user


def some_answer(item: AttemptItem) -> Any:
    """A well-formed answer to any item (right or wrong does not matter to the caller)."""
    if item.type == "exercise":
        return {field.name: "0" for field in item.exercise.fields}
    return {
        "single": item.choice_id(0) if item.choices else None,
        "multiple": [item.choice_id(0)] if item.choices else None,
        "truefalse": "true",
        "numeric": "1",
        "short": "an answer",
        "open": "A short open answer.",
    }[item.type]


def answer_items(attempt: Attempt, count: int) -> None:
    for item in list(attempt.items.select_related("question"))[:count]:
        attempts.attempt_answer(attempt=attempt, position=item.position, response=some_answer(item))


def exercise_answers(kind: str, seed: int, level: str, *, right: bool) -> dict[str, str]:
    """What a candidate types: the expected values, or values that are all off."""
    exercise = exercise_for(kind, seed, level)
    typed = {}
    for field in exercise.fields:
        if field.kind == "text":
            text = exercise.expected_text[field.name]
            typed[field.name] = text if right else text + "X"
            continue
        value = exercise.expected[field.name]
        if field.kind == "yesno":
            typed[field.name] = ("yes" if value else "no") if right else ("no" if value else "yes")
        elif value is None:
            typed[field.name] = "" if right else "0.5"
        else:
            typed[field.name] = repr(float(value)) if right else repr(float(value) + 1000)
    return typed


def fill_exercise(page: Page, answers: dict[str, str]) -> None:
    """Type each answer, or for a yes/no field click its radio button, then check."""
    for name, value in answers.items():
        radio = page.locator(f'input[type=radio][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
        else:
            page.locator(f"#f-{name}").fill(value)
    page.get_by_role("button", name="Check my answers").click()


def answer_quiz_item(item: Locator) -> None:
    """Answer one question of a running quiz as a person would, and wait until it is saved.

    The first option, or a plausible number or sentence: the journeys test the saving and the
    review, not the candidate's knowledge.
    """
    choice = item.locator("input[type=radio], input[type=checkbox]")
    if choice.count():
        choice.first.check()
    else:
        for box in item.locator("input:not([type=hidden]), textarea").all():
            box.fill("0.5" if box.get_attribute("inputmode") == "decimal" else "Stratify.")
        item.get_by_role("button", name="Save answer").click()
    expect(item.locator(".save-status")).to_have_text("Saved")


def press_start(page: Page, layout: str = "All on one page") -> None:
    """On a quiz's start page (the clock has not started), choose the layout and press Start."""
    expect(page.locator("#timer")).to_have_count(0)
    page.get_by_label(layout).check()
    page.get_by_role("button", name=re.compile(r"^Start the quiz")).click()
    expect(page.locator("#timer")).to_be_visible()


def finish_quiz(page: Page) -> None:
    """Press Finish, and confirm on the summary if questions are left unanswered."""
    page.get_by_role("button", name="Finish and see the review").click()
    anyway = page.get_by_role("button", name="Finish anyway")
    review = page.get_by_role("heading", level=1).filter(has_text=": review")
    expect(anyway.or_(review)).to_be_visible()
    if anyway.count():
        anyway.click()


def seconds_left(page: Page) -> int:
    minutes, seconds = page.locator("#time-left").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


# The tour: every main page, with the state that makes it worth looking at.


@dataclass(frozen=True)
class Stop:
    name: str  # also the screenshot's file name
    path: str
    act: Callable[[Page], None] | None = None  # what a person does there before we look


@dataclass(frozen=True)
class Tour:
    member: User  # an interviewer who also practises
    anonymous: list[Stop]
    logged_in: list[Stop]


def _check_exercise(page: Page) -> None:
    kind, seed = page.url.split("/exercises/")[1].split("/")[:2]
    answers = exercise_answers(kind, int(seed), "medium", right=True)
    answers[next(iter(answers))] = "0.123"  # one wrong field, so both marks show
    fill_exercise(page, answers)


def _inspect_dicom(page: Page) -> None:
    from questions.exercises.dicom_file import build_dicom

    raw = build_dicom(exercise_for("dicom", 42, "medium"))
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "exercise-42.dcm", "mimeType": "application/dicom", "buffer": raw}],
    )
    page.get_by_role("button", name="Inspect").click()
    expect(page.get_by_role("heading", name="Pixel values")).to_be_visible()


def _answer_question(page: Page) -> None:
    page.locator("form.answer-form input[type=radio]").first.check()
    page.locator("form.answer-form button[type=submit]").first.click()


def build_tour() -> Tour:
    """Users, attempts, a set with an invite and a candidate: every page has something."""
    alice = make_user("alice", interviewer=True)
    owner = Owner(user=alice)
    curated = QuestionSet.objects.get(ext_id=IMBALANCE_SET)
    done = attempts.attempt_start(owner=owner, kind="set", question_set=curated)
    answer_items(done, 8)
    attempts.attempt_finish(attempt=done)
    running = attempts.attempt_start(owner=owner, kind="set", question_set=curated)
    answer_items(running, 2)

    screen = interview_sets.set_create(
        owner=alice,
        title="Junior imaging screen",
        description="For the *junior* role.",
        time_limit_minutes=20,
        show_answers=True,
    )
    for ext_id in ("metrics-f1-from-counts", "class-imbalance-accuracy-misleads"):
        interview_sets.entry_add(interview_set=screen, question=Question.objects.get(ext_id=ext_id))
    interview_sets.entry_add(interview_set=screen, exercise_kind="classification", exercise_seed=7)
    invite = interview_invites.invite_create(interview_set=screen, label="Bob, March")
    bob = interview_invites.invite_start(
        invite=invite, owner=Owner(user=None, anon_token="bob"), candidate_name="Bob"
    )
    bob = attempts.attempt_begin(attempt=bob)
    answer_items(bob, 3)
    attempts.attempt_finish(attempt=bob)

    single = Question.objects.active().filter(type="single").order_by("ext_id").first()
    public = [
        Stop("home", "/"),
        Stop("glossary", "/glossary/"),
        Stop("glossary-search", "/glossary/?q=Hounsfield"),
        Stop("glossary-term", "/glossary/hounsfield-unit/"),
        Stop("questions", "/questions/"),
        Stop("questions-topic", "/questions/?topic=metrics"),
        Stop("anki-decks", "/anki/"),
        Stop("question", single.get_absolute_url()),
        Stop("question-answered", single.get_absolute_url(), _answer_question),
        Stop("quizzes", "/quizzes/"),
        Stop("exercises", "/exercises/"),
        Stop("exercise", "/exercises/classification/42/?level=medium"),
        Stop("exercise-checked", "/exercises/classification/42/?level=medium", _check_exercise),
        Stop("exercise-dicom", "/exercises/dicom/42/?level=medium"),
        Stop("dicom-inspector", "/dicom/"),
        Stop("dicom-inspected", "/dicom/", _inspect_dicom),
    ]
    return Tour(
        member=alice,
        anonymous=[
            *public,
            Stop("login", "/accounts/login/"),
            Stop("signup", "/accounts/signup/"),
            Stop("dashboard-anonymous", "/me/"),
            Stop("invite", invite.get_absolute_url()),
        ],
        logged_in=[
            Stop("home-member", "/"),
            Stop("quiz-running", running.get_absolute_url()),
            Stop("quiz-review", done.get_absolute_url()),
            Stop("attempts", "/attempts/"),
            Stop("dashboard", "/me/"),
            Stop("review-queue", "/me/review/"),
            Stop("my-data", "/accounts/data/"),
            Stop("my-sets", "/sets/"),
            Stop("set-editor", screen.get_absolute_url()),
            Stop("set-invites", f"/sets/{screen.pk}/invites/"),
            Stop("set-results", f"/sets/{screen.pk}/results/"),
            Stop("set-result", f"/sets/{screen.pk}/results/{bob.pk}/"),
            Stop("set-grading", f"/sets/{screen.pk}/grading/"),
        ],
    )


def visit(page: Page, stop: Stop) -> None:
    response = page.goto(stop.path)
    assert response is not None and response.ok, f"{stop.name}: {stop.path} answered {response}"
    if stop.act:
        stop.act(page)
        page.wait_for_load_state()


# Accessibility: axe-core, as bundled offline by axe-playwright-python.

AXE = Axe()
BLOCKING = ("serious", "critical")


def axe_problems(page: Page, where: str) -> list[str]:
    """The serious and critical axe violations on the page, one readable line each."""
    results = AXE.run(page)
    return [
        f"{where}: {violation['id']} ({violation['impact']}) {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:5]} · {violation['helpUrl']}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]
