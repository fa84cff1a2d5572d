from django.urls import reverse

from questions.interviews import sets
from questions.models import InterviewSet, Question, QuestionSet

from .conftest import client_for


def _titles(interview_set):
    return [
        entry.describe()
        for entry in interview_set.entries.select_related("question", "random_topic")
    ]


def test_an_interviewer_creates_a_set_and_adds_every_kind_of_entry(loaded, alice_client):
    response = alice_client.post(
        reverse("interviews:new"),
        {"title": "Screen", "description": "Who it is for.", "time_limit_minutes": 25},
    )
    interview_set = InterviewSet.objects.get(title="Screen")
    assert response.url == interview_set.get_absolute_url()
    add = reverse("interviews:entry_add", args=[interview_set.pk])
    alice_client.post(add, {"entry": "question", "question": "metrics-numeric"})
    alice_client.post(
        add, {"entry": "exercise", "exercise_kind": "agreement", "exercise_level": "hard"}
    )
    alice_client.post(
        add,
        {
            "entry": "random",
            "random_count": 2,
            "random_topic": "dicom",
            "random_difficulty": "easy",
        },
    )
    entries = list(interview_set.entries.all())
    assert [(e.position, e.entry_kind) for e in entries] == [
        (1, "question"),
        (2, "exercise"),
        (3, "random"),
    ]
    assert entries[1].exercise_seed is None  # fresh data per candidate
    assert (entries[2].random_count, entries[2].random_difficulty) == (2, "easy")
    page = alice_client.get(interview_set.get_absolute_url())
    assert page.status_code == 200
    assert "2 random easy questions on" in page.content.decode()


def test_adding_from_the_bank_returns_to_the_same_search_page(screening, alice_client):
    response = alice_client.post(
        reverse("interviews:entry_add", args=[screening.pk]),
        {"entry": "question", "question": "metrics-numeric", "next": "?topic=metrics&page=1#bank"},
    )
    assert response.url == f"/sets/{screening.pk}/?topic=metrics&page=1#bank"
    response = alice_client.post(
        reverse("interviews:entry_add", args=[screening.pk]),
        {"entry": "question", "question": "dicom-short", "next": "https://evil.example/"},
    )
    assert response.url == f"/sets/{screening.pk}/"


def test_adding_a_question_twice_says_it_is_already_there(screening, alice_client):
    response = alice_client.post(
        reverse("interviews:entry_add", args=[screening.pk]),
        {"entry": "question", "question": "metrics-single"},
        follow=True,
    )
    assert "is already in this set" in response.content.decode()
    assert screening.entries.count() == 4


def test_bad_entries_are_refused_with_a_message(screening, alice_client):
    response = alice_client.post(
        reverse("interviews:entry_add", args=[screening.pk]),
        {"entry": "random", "random_count": 999, "random_topic": "nowhere"},
        follow=True,
    )
    text = response.content.decode()
    assert "Not added." in text and "How many" in text and "From topic" in text
    assert screening.entries.count() == 4


def test_moving_and_removing_entries_keeps_positions_dense(screening, alice_client):
    first, second, third, fourth = screening.entries.all()
    alice_client.post(
        reverse("interviews:entry_move", args=[screening.pk, fourth.pk]), {"position": 1}
    )
    assert list(screening.entries.values_list("pk", flat=True)) == [
        fourth.pk,
        first.pk,
        second.pk,
        third.pk,
    ]
    alice_client.post(reverse("interviews:entry_remove", args=[screening.pk, first.pk]))
    assert list(screening.entries.values_list("position", "pk")) == [
        (1, fourth.pk),
        (2, second.pk),
        (3, third.pk),
    ]


def test_reorder_takes_every_entry_once(screening):
    ids = list(screening.entries.values_list("pk", flat=True))
    sets.entries_reorder(interview_set=screening, order=list(reversed(ids)))
    assert list(screening.entries.values_list("pk", flat=True)) == list(reversed(ids))
    try:
        sets.entries_reorder(interview_set=screening, order=ids[:2])
    except sets.SetError as error:
        assert "exactly once" in str(error)
    else:
        raise AssertionError("a partial order was accepted")


def test_duplicate_copies_settings_and_entries(screening, alice_client):
    response = alice_client.post(reverse("interviews:duplicate", args=[screening.pk]))
    copy = InterviewSet.objects.exclude(pk=screening.pk).get()
    assert response.url == copy.get_absolute_url()
    assert copy.title == "Copy of Imaging ML screen"
    assert (copy.time_limit_minutes, copy.show_answers) == (20, False)
    assert _titles(copy) == _titles(screening)


def test_starting_from_a_curated_set_copies_its_entries(loaded, alice_client):
    curated = QuestionSet.objects.get(ext_id="starter")
    alice_client.post(reverse("interviews:from_curated", args=["starter"]))
    copy = InterviewSet.objects.get()
    assert copy.based_on == curated and copy.title == curated.title
    assert copy.description == "A short warm-up."
    assert [e.question.ext_id for e in copy.entries.all()] == [
        "metrics-single",
        "metrics-numeric",
        "dicom-open",
    ]


def test_a_retired_question_stays_in_the_set_marked(screening, alice_client):
    Question.objects.filter(ext_id="metrics-single").update(retired_at="2026-01-01T00:00Z")
    page = alice_client.get(screening.get_absolute_url()).content.decode()
    assert "Retired from the bank" in page
    assert screening.entries.filter(question__ext_id="metrics-single").exists()


def test_settings_are_validated(screening, alice_client):
    response = alice_client.post(
        screening.get_absolute_url(),
        {"title": "Screen", "description": "x", "time_limit_minutes": 0},
    )
    assert response.status_code == 400
    assert "Choose from 1 to 240 minutes." in response.content.decode()


def test_the_preview_shows_keys_rubric_and_notes_to_interviewers(loaded, alice_client, bob):
    url = reverse("interviews:question_preview", args=["dicom-open"])
    page = alice_client.get(url).content.decode()
    assert "Rubric" in page and "Interviewer notes" in page
    assert client_for(bob).get(url).status_code == 403


def test_only_interviewers_get_in(loaded, bob, client):
    assert client.get(reverse("interviews:list")).status_code == 302  # to log in
    response = client_for(bob).get(reverse("interviews:list"))
    assert response.status_code == 403
    assert "grant_interviewer bob" in response.content.decode()


def test_the_nav_links_my_sets_for_interviewers_only(loaded, alice_client, bob):
    assert "My sets" in alice_client.get("/").content.decode()
    assert "My sets" not in client_for(bob).get("/").content.decode()


def test_deleting_asks_first(screening, alice_client):
    url = reverse("interviews:delete", args=[screening.pk])
    assert "cannot be undone" in alice_client.get(url).content.decode()
    alice_client.post(url)
    assert not InterviewSet.objects.exists()
