"""The home page says what the site offers and starts a curated set in one click."""

from django.urls import reverse

from questions.exercises import KINDS
from questions.models import Attempt


def test_each_curated_set_has_a_start_button_that_starts_its_quiz(loaded, client):
    html = client.get("/").content.decode()
    assert 'aria-label="Start Starter set"' in html
    assert '<input type="hidden" name="question_set" value="starter">' in html
    response = client.post(
        reverse("questions:quiz_start"), {"kind": "set", "question_set": "starter"}
    )
    attempt = Attempt.objects.get()
    assert response["Location"] == attempt.get_absolute_url()
    assert attempt.kind == Attempt.Kind.SET


def test_the_hero_names_exercises_quizzes_and_the_glossary(loaded, client):
    html = client.get("/").content.decode()
    assert f"{len(KINDS)} live exercises" in html
    assert 'href="/exercises/">Try an exercise' in html
    assert 'href="/quizzes/">Take a quiz' in html
    assert 'href="/glossary/">Open the glossary' in html


def test_the_home_page_links_today(loaded, client):
    html = client.get("/").content.decode()

    assert f'href="{reverse("today:today")}">Today' in html
