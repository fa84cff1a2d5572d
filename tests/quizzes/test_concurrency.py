"""Two finishes at once score once; two answers at once keep exactly one. PostgreSQL only:
SQLite's in-memory test database cannot be shared between threads (CI runs both)."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections

from questions.catalog.sync import content_sync
from questions.models import Attempt, AttemptItem, QuestionSet
from questions.quizzes import services as service

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: run with DATABASE_URL=postgres://"
)


def wait_for_an_update_on_a_lock(failure: str, statement: str = "UPDATE%") -> None:
    """Until an UPDATE (or another `statement`, a LIKE pattern) of this database waits on a
    row lock (another connection's, so it is polled), or fail with `failure` after 30 s."""
    deadline = time.monotonic() + 30
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND query LIKE %s",
                [statement],
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError(failure)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


class Pause:
    """A writer stopped at one point, holding its locks, until another waits on a lock.

    The paused writer calls `here()`; `then(call)` is another writer that starts once the
    point is reached; `release_once_blocked(...)` is the third thread of `run_together`,
    which lets the first go on once a statement of the second waits on a row lock."""

    def __init__(self) -> None:
        self.reached, self.go_on = threading.Event(), threading.Event()

    def here(self) -> None:
        self.reached.set()
        assert self.go_on.wait(30)

    def then(self, call):
        def after():
            assert self.reached.wait(30)
            return call()

        return after

    def release_once_blocked(self, failure: str, statement: str = "UPDATE%"):
        def release():
            assert self.reached.wait(30)
            wait_for_an_update_on_a_lock(failure, statement)
            self.go_on.set()

        return release


@pytest.fixture
def attempt(transactional_db, content_dir):
    assert content_sync(content_dir).ok
    return service.attempt_start(
        owner=service.Owner(None, "token-alice"),
        kind="set",
        question_set=QuestionSet.objects.get(ext_id="starter"),
    )


def test_two_finishes_at_once_score_once(attempt):
    service.attempt_answer(attempt=attempt, position=2, response="0.75")
    real_score = service._score
    scored = []

    def counting(item):
        scored.append(item.pk)
        return real_score(item)

    with mock.patch.object(service, "_score", counting):
        errors = run_together(*[lambda: service.attempt_finish(attempt=attempt)] * 2)
    assert errors == []
    assert len(scored) == 3  # each of the three items once, not twice
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.is_finished and attempt.score == 1


def test_two_answers_to_one_question_at_once_keep_exactly_one(attempt):
    errors = run_together(
        lambda: service.attempt_answer(attempt=attempt, position=2, response="0.5"),
        lambda: service.attempt_answer(attempt=attempt, position=2, response="0.75"),
    )
    assert errors == []
    rows = AttemptItem.objects.filter(attempt=attempt, position=2)
    assert rows.count() == 1 and rows.get().answer in (0.5, 0.75)


def test_answers_racing_a_finish_never_deadlock(transactional_db, content_dir):
    """One finish and two answers at once, 200 times: every call ends cleanly (an answer that
    arrives after the finish is refused with AttemptClosed) and every finish lands."""
    assert content_sync(content_dir).ok
    starter = QuestionSet.objects.get(ext_id="starter")
    owner = service.Owner(None, "token-racer")
    failures = []
    for _ in range(200):
        attempt = service.attempt_start(owner=owner, kind="set", question_set=starter)
        choice = attempt.items.get(position=1).choice_id(0)
        errors = run_together(
            lambda attempt=attempt: service.attempt_finish(attempt=attempt),
            lambda attempt=attempt: service.attempt_answer(
                attempt=attempt, position=2, response="0.75"
            ),
            lambda attempt=attempt, choice=choice: service.attempt_answer(
                attempt=attempt, position=1, response=choice
            ),
        )
        failures += [e for e in errors if not isinstance(e, service.AttemptClosed)]
        assert Attempt.objects.get(pk=attempt.pk).is_finished
    assert failures == []


def test_api_answers_racing_a_finish_never_deadlock_nor_land_after_it(
    transactional_db, content_dir
):
    """The API's path (owned_attempt_answer: an unlocked read, then an UPDATE that
    share-locks the attempt): one finish and three answers at once, two of them to the same
    question, 100 times. Every call ends cleanly, and no answer is saved after the finish:
    each item's score is the one its saved answer earns (an answer saved after the scoring
    would sit next to the score of the one before; "0.75" earns 1, nothing earns 0)."""
    assert content_sync(content_dir).ok
    starter = QuestionSet.objects.get(ext_id="starter")
    owner = service.Owner(None, "token-api-racer")
    failures = []
    for _ in range(100):
        attempt = service.attempt_start(owner=owner, kind="set", question_set=starter)
        choice = attempt.items.get(position=1).choice_id(0)

        def answer(position, response, attempt=attempt):
            return lambda: service.owned_attempt_answer(
                owner=owner, attempt_id=attempt.pk, position=position, response=response
            )

        errors = run_together(
            lambda attempt=attempt: service.attempt_finish(attempt=attempt),
            answer(2, "0.75"),
            answer(2, "0.5"),
            answer(1, choice),
        )
        failures += [e for e in errors if not isinstance(e, service.AttemptClosed)]
        assert Attempt.objects.get(pk=attempt.pk).is_finished
        for item in AttemptItem.objects.filter(attempt=attempt).select_related("question"):
            scored = item.score
            service._score(item)
            assert item.score == scored, (item.position, item.answer)
    assert failures == []


def test_an_answer_queued_behind_a_finish_is_refused_and_not_saved(transactional_db, content_dir):
    """The answer reads the attempt while a finish holds it (not yet committed: open, to a
    reader), then its write waits for the finish and must see it finished. Without the
    attempt's share lock the write would wait on the item's row only and then save into
    the finished attempt."""
    assert content_sync(content_dir).ok
    owner = service.Owner(None, "token-queued")
    attempt = service.attempt_start(
        owner=owner, kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )
    finishing, finish_may_commit = threading.Event(), threading.Event()
    recorded = service.progress.attempt_recorded

    def held(*args, **kwargs):
        finishing.set()  # the attempt is locked and its items scored, not yet committed
        assert finish_may_commit.wait(30)
        return recorded(*args, **kwargs)

    def answer():
        assert finishing.wait(30)
        service.owned_attempt_answer(
            owner=owner, attempt_id=attempt.pk, position=2, response="0.75"
        )

    def release_once_the_answer_waits():
        assert finishing.wait(30)
        # The answer's UPDATE waiting on a row lock of this database, then let the finish
        # commit. Polled, as the wait is another connection's.
        wait_for_an_update_on_a_lock("the answer never waited for the finish")
        finish_may_commit.set()

    with mock.patch.object(service.progress, "attempt_recorded", held):
        errors = run_together(
            lambda: service.attempt_finish(attempt=attempt),
            answer,
            release_once_the_answer_waits,
        )
    assert [type(e) for e in errors] == [service.AttemptClosed]
    assert Attempt.objects.get(pk=attempt.pk).is_finished
    assert AttemptItem.objects.get(attempt=attempt, position=2).answer is None


@pytest.mark.parametrize("delete", ["account_delete", "the admin's bulk delete"])
def test_an_account_deleted_while_its_answer_is_saved_neither_deadlocks(
    transactional_db, content_dir, delete
):
    """Deleting a user deletes their attempts' items before the attempts. An answer holds
    its attempt (share-locked by its UPDATE, or locked by the locked path) and then waits
    for its item: if the deletion had the item and then wanted the attempt, the two would
    deadlock, and once the answer has waited past deadlock_timeout the deletion is the one
    PostgreSQL cancels (a 500 on "Delete my account"). The deletion takes the attempts
    first, as every quiz write does: the answer waits for it and then finds no attempt."""
    from django.contrib.auth.models import User
    from django.db.models.sql.subqueries import DeleteQuery

    from questions.accounts.services import account_delete

    assert content_sync(content_dir).ok
    alice = User.objects.create_user("alice")
    owner = service.Owner(alice, "")
    attempt = service.attempt_start(
        owner=owner, kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )
    items_gone, deletion_may_go_on = threading.Event(), threading.Event()
    delete_batch = DeleteQuery.delete_batch

    def paused(query, pk_list, using):
        if query.model is Attempt:  # its items are deleted (locked) by now
            items_gone.set()
            assert deletion_may_go_on.wait(30)
        return delete_batch(query, pk_list, using)

    outcomes = []

    def answer():
        assert items_gone.wait(30)
        try:
            service.owned_attempt_answer(
                owner=service.Owner(User(pk=alice.pk), ""),
                attempt_id=attempt.pk,
                position=2,
                response="0.75",
            )
            outcomes.append("saved")
        except Attempt.DoesNotExist:
            outcomes.append("no such attempt")

    def release_once_the_answer_waits():
        assert items_gone.wait(30)
        wait_for_an_update_on_a_lock("the answer never waited for the deletion")
        # Past the answer's own deadlock check (deadlock_timeout, 1 s by default): were
        # there a cycle now, the deletion's check would find it and cancel the deletion.
        time.sleep(1.5)
        deletion_may_go_on.set()

    with mock.patch.object(DeleteQuery, "delete_batch", paused):
        errors = run_together(
            (
                (lambda: account_delete(user=User.objects.get(pk=alice.pk)))
                if delete == "account_delete"
                # What the admin's "Delete selected users" does: a queryset's delete.
                else (lambda: User.objects.filter(pk=alice.pk).delete())
            ),
            answer,
            release_once_the_answer_waits,
        )
    assert errors == [] and outcomes == ["no such attempt"]
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Attempt.objects.filter(pk=attempt.pk).exists()


def test_a_log_in_claiming_the_attempt_being_finished_neither_deadlocks(
    transactional_db, content_dir
):
    """A visitor finishes a quiz in one tab and logs in in another. The finish holds the
    attempt, then locks the visitor's review cards; the log-in's claim deletes the visitor's
    cards for items the account already has, then moves the attempts. Were the claim to take
    the cards first, each would wait for the other: PostgreSQL would cancel one (the log-in's
    500, or the finish done twice). The claim takes the attempts first, as every quiz write
    does, so it waits for the finish and then moves a finished attempt."""
    import fsrs
    from django.contrib.auth.models import User

    from questions.models import Question, ReviewCard

    assert content_sync(content_dir).ok
    alice = User.objects.create_user("alice")
    visitor = service.Owner(None, "token-two-tabs")
    attempt = service.attempt_start(
        owner=visitor, kind="set", question_set=QuestionSet.objects.get(ext_id="starter")
    )
    service.attempt_answer(attempt=attempt, position=2, response="0.1")  # wrong: a card
    numeric = Question.objects.get(ext_id="metrics-numeric")
    for fields in ({"user": alice}, {"anon_token": visitor.anon_token}):
        ReviewCard.objects.create(
            question=numeric, card=fsrs.Card().to_dict(), due=attempt.started_at, **fields
        )
    pause, recorded, calls = Pause(), service.progress.attempt_recorded, []

    def held(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            pause.here()  # the attempt is locked and scored; the cards come next
        return recorded(*args, **kwargs)

    def log_in():
        service.attempts_claim(user=User.objects.get(pk=alice.pk), anon_token=visitor.anon_token)

    with mock.patch.object(service.progress, "attempt_recorded", held):
        errors = run_together(
            lambda: service.attempt_finish(attempt=attempt),
            pause.then(log_in),
            pause.release_once_blocked("the log-in never waited for the finish", "%"),
        )
    assert errors == []
    assert len(calls) == 1  # not retried as a deadlock's victim
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.is_finished and attempt.user_id == alice.pk and attempt.anon_token == ""
    assert list(ReviewCard.objects.filter(question=numeric).values_list("user", "anon_token")) == [
        (alice.pk, "")
    ]


def test_a_log_in_claiming_the_today_item_being_rated_neither_deadlocks(
    transactional_db, content_dir
):
    """A visitor rates a review item of their Today session in one tab and logs in in
    another, to an account with its own session that day and its own card for that term.
    The rating holds the Today item, then locks the visitor's card; the claim deletes the
    visitor's copy of the card (the account's wins), then the visitor's session and its
    items. Were the claim to take the card before the items, each would wait for the other
    and PostgreSQL would cancel one (the log-in's 500, or the rating's). The claim takes the
    Today rows first, as the Today writes do: it waits for the rating, then goes on."""
    import fsrs
    from django.contrib.auth.models import User
    from django.utils import timezone

    from questions.models import GlossaryTerm, ReviewCard, TodayItem, TodaySession
    from questions.today import services as today

    assert content_sync(content_dir).ok
    alice = User.objects.create_user("alice")
    visitor = service.Owner(None, "token-today-tabs")
    recall = GlossaryTerm.objects.get(ext_id="recall")
    now = timezone.now()
    for owner in (service.Owner(alice), visitor):
        ReviewCard.objects.create(
            **owner.fields(), term=recall, card=fsrs.Card().to_dict(), due=now, revealed_at=now
        )
        session = TodaySession.objects.create(
            **owner.fields(), day=timezone.localdate(now), goal=1, started_at=now
        )
    TodayItem.objects.create(
        session=session, position=1, source="review", term=recall, topic_id=recall.topic_id
    )
    pause, reviewed = Pause(), today.progress.card_reviewed

    def held(*args, **kwargs):
        pause.here()  # the Today item is locked; the visitor's card comes next
        return reviewed(*args, **kwargs)

    def log_in():
        service.attempts_claim(user=User.objects.get(pk=alice.pk), anon_token=visitor.anon_token)

    with mock.patch.object(today.progress, "card_reviewed", held):
        errors = run_together(
            lambda: today.item_rate(owner=visitor, session=session, position=1, rating="good"),
            pause.then(log_in),
            pause.release_once_blocked("the log-in never waited for the rating", "DELETE%"),
        )
    assert errors == []
    assert list(ReviewCard.objects.values_list("user", "anon_token")) == [(alice.pk, "")]
    assert list(TodaySession.objects.values_list("user", flat=True)) == [alice.pk]


def _wrong_answer(question):
    """An answer `question` scores 0 for: every item of the quiz enters the review queue."""
    if question.type in ("single", "multiple"):
        wrong = next(n for n, choice in enumerate(question.choices) if not choice["correct"])
        return wrong if question.type == "single" else [wrong]
    if question.type == "truefalse":
        return not question.answer["value"]
    return 123456.0 if question.type == "numeric" else "nothing like it"


def test_two_finishes_creating_the_same_review_cards_never_deadlock(transactional_db, content_dir):
    """Two quizzes of one visitor (two tabs) finish at once, both missing the same questions,
    answered in opposite orders, 200 times. Each finish inserts the visitor's new review
    cards in one statement, and a row the other finish inserted first makes it wait for
    that one: were each to insert its cards in its own answer order, each would hold a
    card the other wants, and PostgreSQL would cancel one (retried once, a second late).
    The cards go in one order, so the second finish waits for the first and finds its
    cards made."""
    from datetime import timedelta

    from questions.models import Question, ReviewCard

    assert content_sync(content_dir).ok
    pool = list(Question.objects.exclude(type="open"))
    recorded, calls = service.progress.attempt_recorded, []

    def counting(*args, **kwargs):
        calls.append(args)
        return recorded(*args, **kwargs)

    for n in range(200):
        owner = service.Owner(None, f"token-two-quizzes-{n}")
        attempts = []
        for order in (1, -1):
            attempt = service.attempt_start(
                owner=owner, kind="filtered", pool=pool, count=len(pool)
            )
            items = sorted(
                attempt.items.select_related("question"), key=lambda i: order * i.question_id
            )
            for seconds, item in enumerate(items):
                AttemptItem.objects.filter(pk=item.pk).update(
                    answer=_wrong_answer(item.question),
                    answered_at=attempt.started_at + timedelta(seconds=seconds),
                )
            attempts.append(attempt)
        with mock.patch.object(service.progress, "attempt_recorded", counting):
            errors = run_together(
                *[
                    lambda attempt=attempt: service.attempt_finish(attempt=attempt)
                    for attempt in attempts
                ]
            )
        assert errors == []
        assert ReviewCard.objects.filter(anon_token=owner.anon_token).count() == len(pool)
    assert len(calls) == 2 * 200  # no finish retried as a deadlock's victim


def test_a_log_in_while_the_account_makes_the_same_card_on_another_device(
    transactional_db, content_dir
):
    """A visitor with a review card for a question logs in, while the account, on another
    device, makes its own card for the same question (a wrong answer, a rating). The claim
    looked for the account's cards before that one committed, so moving the visitor's copy
    meets the account's one-card-per-question constraint: without a second look the log-in
    fails (a 500). The claim runs once more, sees the account's card, and drops its copy."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from questions.models import Question, ReviewCard

    assert content_sync(content_dir).ok
    alice = User.objects.create_user("alice")
    numeric, now = Question.objects.get(ext_id="metrics-numeric"), timezone.now()
    ReviewCard.objects.create(anon_token="token-phone", question=numeric, card={}, due=now)
    pause = Pause()

    def other_device():
        with transaction.atomic():
            ReviewCard.objects.create(user=alice, question=numeric, card={"of": "alice"}, due=now)
            pause.here()  # made, not committed

    def log_in():
        service.attempts_claim(user=User.objects.get(pk=alice.pk), anon_token="token-phone")

    errors = run_together(
        other_device,
        pause.then(log_in),
        pause.release_once_blocked("the log-in never waited for the other device's card"),
    )
    assert errors == []
    assert list(ReviewCard.objects.values_list("user", "anon_token", "card")) == [
        (alice.pk, "", {"of": "alice"})
    ]


def test_two_sessions_of_one_account_logging_in_at_once_keep_one_card_and_one_day(
    transactional_db, content_dir
):
    """Alice practised anonymously on her laptop and on her phone, the same question and the
    same day, and logs in on both at once. The first claim moves its card and Today session
    to her account; the second, which looked before the first committed, meets her
    constraints (one card per question, one session per day) and fails without a second
    look. It looks again, and its copies go."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from questions.models import Question, ReviewCard, TodaySession

    assert content_sync(content_dir).ok
    alice = User.objects.create_user("alice")
    numeric, now = Question.objects.get(ext_id="metrics-numeric"), timezone.now()
    for token in ("token-laptop", "token-phone"):
        ReviewCard.objects.create(anon_token=token, question=numeric, card={}, due=now)
        TodaySession.objects.create(
            anon_token=token, day=timezone.localdate(now), goal=3, started_at=now
        )
    pause, changed = Pause(), service.owner_changed

    def held(*owners):
        if not pause.reached.is_set():
            pause.here()  # the first claim has moved everything and not committed
        return changed(*owners)

    def log_in(token):
        return lambda: service.attempts_claim(user=User.objects.get(pk=alice.pk), anon_token=token)

    with mock.patch.object(service, "owner_changed", held):
        errors = run_together(
            log_in("token-laptop"),
            pause.then(log_in("token-phone")),
            pause.release_once_blocked("the second log-in never waited for the first"),
        )
    assert errors == []
    assert list(ReviewCard.objects.values_list("user", "anon_token")) == [(alice.pk, "")]
    assert list(TodaySession.objects.values_list("user", "anon_token")) == [(alice.pk, "")]
