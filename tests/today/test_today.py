"""Today's practice: one session a day, due reviews first, then new questions from the weakest
topics, then one exercise; resumable, checked on the server, owned like everything else."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth.models import User
from django.test import Client

from questions.models import (
    DailyGoal,
    Question,
    ReviewCard,
    TodayItem,
    TodaySession,
    choice_ids,
)

from .support import answer_current, current

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def started(client: Client) -> TodaySession:
    assert client.post("/today/start/").status_code == 302
    return TodaySession.objects.latest("started_at")


def queue(session: TodaySession) -> list[tuple[str, str]]:
    return [
        (item.source, item.question.ext_id if item.question else item.exercise_kind)
        for item in session.items.select_related("question")
    ]


def test_a_new_visitor_gets_starter_topics_easy_first_then_an_exercise(loaded, client):
    with time_machine.travel(NOW, tick=False):
        html = client.get("/today/").content.decode()
        assert "Nothing is due for review" in html and "Start today's practice" in html
        session = started(client)
    # The site's first topics (metrics, then dicom), in turn, easiest first; the bank has six
    # new questions for a goal of ten, so the session is shorter.
    assert queue(session) == [
        ("new", "metrics-single"),
        ("new", "dicom-truefalse"),
        ("new", "metrics-multiple"),
        ("new", "dicom-short"),
        ("new", "metrics-numeric"),
        ("new", "dicom-open"),
        ("exercise", "classification"),
    ]
    exercise = session.items.get(source="exercise")
    assert exercise.exercise_level == "easy" and exercise.exercise_seed >= 2**31
    assert session.user is None and session.anon_token


def test_due_reviews_come_first_then_the_weakest_topic_then_an_exercise(
    loaded, alice, alice_client
):
    with time_machine.travel(NOW, tick=False):
        single = Question.objects.get(ext_id="metrics-single")
        wrong = next(n for n, c in enumerate(single.choices) if not c["correct"])
        # The id the practice page shows Alice for that choice.
        wrong_id = choice_ids.choice_id(f"practice:user:{alice.pk}:metrics-single", wrong)
        alice_client.post("/questions/metrics-single/", {"choice": wrong_id})  # metrics: weak
        alice_client.post("/questions/dicom-truefalse/", {"answer": "true"})
        alice_client.post("/today/goal/", {"items": "5"})
    assert ReviewCard.objects.filter(question=single).exists()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):  # the missed one is due
        session = started(alice_client)
    assert session.goal == 5
    assert queue(session) == [
        ("review", "metrics-single"),
        ("new", "metrics-multiple"),  # metrics is the weakest topic: its questions lead
        ("new", "dicom-short"),
        ("new", "metrics-numeric"),
        ("exercise", "classification"),  # a metrics exercise, not tried yet
    ]


def test_a_reload_shows_the_same_item_and_an_answer_moves_on(loaded, client):
    session = started(client)
    title = current(session).question.title
    first, again = (client.get("/today/").content.decode() for _ in range(2))
    assert "1 of 7" in first and title in first
    assert "1 of 7" in again and title in again
    assert re.findall(r'name="choice"[^>]*value="(\w+)"', first) == re.findall(
        r'name="choice"[^>]*value="(\w+)"', again
    )  # the same choices, in the same order, with the same ids
    assert client.post("/today/start/").status_code == 302  # a second start changes nothing
    assert TodaySession.objects.count() == 1 and session.items.count() == 7
    item = answer_current(client, session, right=True)
    result = client.get(f"/today/{item.position}/").content.decode()
    assert "Right" in result and "Next item" in result
    assert "2 of 7" in client.get("/today/").content.decode()
    again = client.post(f"/today/{item.position}/answer/", {"choice": "x"}, follow=True)
    assert "You have answered this item already" in again.content.decode()
    item.refresh_from_db()
    assert item.correct is True  # the late second answer changed nothing


def test_items_are_answered_in_order(loaded, client):
    started(client)
    response = client.post("/today/3/answer/", {"answer": "true"}, follow=True)
    assert "Answer the items in order" in response.content.decode()
    assert not TodayItem.objects.filter(answered_at__isnull=False).exists()
    assert client.get("/today/3/")["Location"] == "/today/"  # not answered: go to the current


def test_keys_stay_on_the_server_until_the_answer(loaded, client):
    session = started(client)
    item = current(session)
    question = item.question
    html = client.get("/today/").content.decode()
    assert question.explanation_html not in html
    assert "Correct answer" not in html
    for choice in question.choices:
        if choice.get("feedback_html"):
            assert choice["feedback_html"] not in html
    shown = re.findall(r'name="choice"[^>]*value="(\w+)"', html)
    assert len(shown) == 3 and all(len(value) == 12 for value in shown)  # opaque ids
    refused = client.post("/today/1/answer/", {"choice": "0"})
    assert refused.status_code == 400
    assert "Choose among the options shown" in refused.content.decode()
    for _ in range(6):
        answer_current(client, session)
    exercise = current(session)
    page = client.get("/today/").content.decode()
    assert str(exercise.exercise_seed) not in page and "Worked solution" not in page
    assert client.get("/today/7/figure.svg").status_code == 404  # the solution's figure
    answer_current(client, session)
    solved = client.get("/today/7/").content.decode()
    assert "Worked solution" in solved and str(exercise.exercise_seed) not in solved


def test_the_daily_goal_is_kept_per_visitor_and_checked(loaded, client):
    for bad, message in [
        ("2", "at least 3"),
        ("51", "at most 50"),
        ("ten", "whole number"),
    ]:
        response = client.post("/today/goal/", {"items": bad}, follow=True)
        assert message in response.content.decode()
    assert not DailyGoal.objects.exists()
    client.post("/today/goal/", {"items": "4"})
    assert DailyGoal.objects.get().items == 4
    assert "4 items today" in client.get("/today/").content.decode()
    session = started(client)
    assert session.goal == 4 and session.items.count() == 4
    response = client.post("/today/goal/", {"items": "12"}, follow=True)
    assert "today&#x27;s keeps its 4" in response.content.decode()
    assert session.items.count() == 4 and DailyGoal.objects.get().items == 12
    other = Client()
    assert "10 items today" in other.get("/today/").content.decode()  # the default, not hers


def test_the_goal_streak_counts_days_with_the_session_finished(loaded, client):
    client.post("/today/goal/", {"items": "3"})

    def finish_day(day: datetime) -> str:
        with time_machine.travel(day, tick=False):
            session = started(client)
            while current(session) is not None:
                answer_current(client, session)
            return client.get("/today/").content.decode()

    assert "goal streak: 1 day in a row" in finish_day(NOW)
    assert "goal streak: 2 days in a row" in finish_day(NOW + timedelta(days=1))
    with time_machine.travel(NOW + timedelta(days=2, hours=10), tick=False):
        assert "Goal streak: 2 days" in client.get("/today/").content.decode()  # today not over
        started(client)  # begun, not finished: the day does not count
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        assert "Goal streak" not in client.get("/today/").content.decode()  # a day was missed


def test_the_finish_screen_says_what_was_learned_and_when_reviews_fall_due(loaded, client):
    with time_machine.travel(NOW, tick=False):
        session = started(client)
        answer_current(client, session, right=True)  # metrics-single, right
        while current(session) is not None:
            answer_current(client, session)  # the rest wrong: they enter the review queue
        html = client.get("/today/").content.decode()
    assert "Today's practice is done" in html
    assert "1 of 7 right" in html
    assert "Evaluation metrics: 1 of 4 right" in html  # three questions and the exercise
    assert "DICOM and data handling: 0 of 3 right" in html
    assert "The next one is due in 1 min, at 09:01 UTC" in html
    assert "5 due within a day" in html  # the five misses, the open one rated "no" too
    assert "Exercise: " in html and "rated" not in html  # no review was due


def test_the_session_moves_to_the_account_on_log_in(loaded, alice):
    browser = Client()
    browser.post("/today/goal/", {"items": "5"})
    session = started(browser)
    answer_current(browser, session)
    elsewhere = Client()  # an empty session of the same day on another device
    elsewhere.force_login(alice)
    started(elsewhere)
    browser.post("/accounts/login/", {"username": "alice", "password": "pw-alice-123"})
    session.refresh_from_db()
    assert session.user == alice and session.anon_token == ""
    assert TodaySession.objects.count() == 1  # the one further along stays
    assert DailyGoal.objects.get().user == alice
    assert "2 of 5" in browser.get("/today/").content.decode()
    assert "2 of 5" in elsewhere.get("/today/").content.decode()


def test_an_account_goal_stands_when_an_anonymous_one_arrives(loaded, alice, alice_client):
    alice_client.post("/today/goal/", {"items": "20"})
    browser = Client()
    browser.post("/today/goal/", {"items": "5"})
    browser.post("/accounts/login/", {"username": "alice", "password": "pw-alice-123"})
    assert list(DailyGoal.objects.values_list("user__username", "items")) == [("alice", 20)]


def test_a_review_item_is_rated_only_after_its_answer_is_shown(loaded, alice_client):
    with time_machine.travel(NOW, tick=False):
        alice_client.post("/glossary/recall/hard/")
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        session = started(alice_client)
        item = current(session)
        assert item.source == "review" and item.term.term == "Recall"
        html = alice_client.get("/today/").content.decode()
        assert "Show answer" in html and item.term.definition not in html
        refused = alice_client.post("/today/1/rate/", {"rating": "easy"}, follow=True)
        assert "Show the answer first" in refused.content.decode()
        item.refresh_from_db()
        card = ReviewCard.objects.get()
        assert item.answered_at is None and card.reviews == 0
        alice_client.post("/today/1/reveal/")
        html = alice_client.get("/today/").content.decode()
        assert item.term.definition in html and "Again" in html and "Easy" in html
        alice_client.post("/today/1/rate/", {"rating": "good"})
    item.refresh_from_db()
    card.refresh_from_db()
    assert item.rating == "good" and item.correct and card.reviews == 1


def test_another_visitors_session_is_not_reachable(loaded, alice_client):
    session = started(alice_client)
    charlie = Client()
    charlie.force_login(User.objects.create_user("charlie"))
    for url in ["/today/1/", "/today/7/file/", "/today/7/figure.svg"]:
        assert charlie.get(url).status_code == 404, url
    for url in ["/today/1/answer/", "/today/1/reveal/", "/today/1/rate/"]:
        assert charlie.post(url, {"rating": "good", "answer": "1"}).status_code == 404, url
    assert "Start today" in charlie.get("/today/").content.decode()
    assert not session.items.filter(answered_at__isnull=False).exists()


def test_a_dicom_exercise_file_is_served_for_the_item_without_its_seed(loaded, client):
    session = started(client)
    item = session.items.get(source="exercise")
    TodayItem.objects.filter(pk=item.pk).update(exercise_kind="dicom")
    response = client.get(f"/today/{item.position}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="today-7.dcm"'
    assert str(item.exercise_seed).encode() not in response.content
    assert client.get("/today/1/file/").status_code == 404  # a question has no file


def test_today_runs_a_fixed_number_of_queries(loaded, alice_client, django_assert_num_queries):
    # session, user with their interviewer role (nav), today's session (none), goal, streak,
    # due (each one fewer since the role comes with the user: accounts/backends.py)
    with django_assert_num_queries(6):
        assert alice_client.get("/today/").status_code == 200
    session = started(alice_client)
    # session, user with role, today's session, items
    with django_assert_num_queries(4):
        assert alice_client.get("/today/").status_code == 200
    while current(session) is not None:
        answer_current(alice_client, session)
    # + goal, streak, next reviews (count and first)
    with django_assert_num_queries(8):
        assert alice_client.get("/today/").status_code == 200
    for question in Question.objects.all():  # more history does not cost more queries
        alice_client.post(f"/questions/{question.ext_id}/", {"answer": "1"})
    with django_assert_num_queries(8):
        assert alice_client.get("/today/").status_code == 200


def test_the_home_page_invites_a_returning_visitor_to_continue(loaded, client, settings):
    settings.PAGE_CACHE_SECONDS = 60  # the home page is cached for anonymous visitors
    assert "Continue today" not in client.get("/").content.decode()
    with time_machine.travel(NOW, tick=False):
        client.post("/questions/metrics-numeric/", {"answer": "0.1"})  # a miss: a card
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        html = client.get("/").content.decode()
        assert "Continue today's practice — 1 due" in html
        assert "Continue today" not in Client().get("/").content.decode()  # a newcomer
        session = started(client)
        answer_current(client, session)
        assert "1 of 7 done today" in client.get("/").content.decode()
