"""An interviewer's set as an Anki deck: it holds the keys, so only its owner gets it."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from questions.interviews import invites, sets
from questions.models import Question
from questions.owners import Owner
from tests.apkg import read_apkg

from .conftest import client_for

ZIP_MAGIC = b"PK\x03\x04"


def test_the_owner_downloads_the_auto_graded_questions_of_her_set(screening, alice_client):
    response = alice_client.get(reverse("interviews:anki", args=[screening.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="imaging-ml-screen-anki.apkg"'
    collection = read_apkg(response.content)
    assert collection.ids() == {"metrics-single"}
    note = collection.notes[0]
    assert collection.field(note, "Answer")  # the key is there: this deck is for Alice only
    deck = collection.deck_named("ImagingPrep::Interview sets::Imaging ML screen")
    assert "1 open question" in deck["desc"]
    assert "1 live exercise" in deck["desc"] and "1 random draw" in deck["desc"]


def test_the_deck_is_never_stored_by_a_browser_or_proxy(screening, alice_client):
    response = alice_client.get(reverse("interviews:anki", args=[screening.pk]))
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control


def test_no_open_question_rubric_or_note_leaks_into_the_deck(screening, alice_client):
    content = alice_client.get(reverse("interviews:anki", args=[screening.pk])).content
    collection = read_apkg(content)
    everything = "\x1f".join("\x1f".join(n.fields) for n in collection.notes)
    everything += "\x1f".join(d["desc"] for d in collection.decks.values())
    open_question = Question.objects.get(ext_id="dicom-open")
    assert "dicom-open" not in everything
    assert open_question.model_answer_html not in everything
    for point in open_question.rubric:
        assert point not in everything
    assert "SECRET-INTERVIEWER-NOTE" not in everything


def test_another_interviewer_gets_404(screening, charlie):
    response = client_for(charlie).get(reverse("interviews:anki", args=[screening.pk]))
    assert response.status_code == 404
    assert not response.content.startswith(ZIP_MAGIC)


def test_a_candidate_with_an_invite_never_gets_the_deck(screening, bob):
    url = reverse("interviews:anki", args=[screening.pk])
    invite = invites.invite_create(interview_set=screening)
    # Anonymously, through the link, as candidates usually come.
    candidate = Client()
    candidate.post(invite.get_absolute_url(), {"name": "Dana"})
    anonymous = candidate.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # Logged in, having started the set.
    invites.invite_start(invite=invite, owner=Owner(bob), candidate_name="Bob")
    logged_in = client_for(bob).get(url)
    assert logged_in.status_code in (403, 404)
    for response in (anonymous, logged_in):
        assert not response.content.startswith(ZIP_MAGIC)


def test_an_unknown_set_number_is_404(alice_client):
    assert alice_client.get(reverse("interviews:anki", args=[987654])).status_code == 404


def test_the_set_page_links_the_deck_and_says_what_it_leaves_out(screening, alice_client):
    html = alice_client.get(screening.get_absolute_url()).content.decode()
    assert reverse("interviews:anki", args=[screening.pk]) in html
    assert "Left out: 1 open question" in html
    assert "1 live exercise" in html and "1 random draw" in html


def test_a_set_of_only_auto_graded_questions_leaves_nothing_out(loaded, alice, alice_client):
    interview_set = sets.set_create(
        owner=alice, title="Metrics", description="", time_limit_minutes=10
    )
    for ext_id in ("metrics-numeric", "metrics-multiple"):
        sets.entry_add(interview_set=interview_set, question=Question.objects.get(ext_id=ext_id))
    response = alice_client.get(reverse("interviews:anki", args=[interview_set.pk]))
    collection = read_apkg(response.content)
    assert [collection.field(n, "Id") for n in collection.notes] == [
        "metrics-numeric",
        "metrics-multiple",
    ]
    assert "Left out" not in collection.deck_named("ImagingPrep::Interview sets::Metrics")["desc"]
    html = alice_client.get(interview_set.get_absolute_url()).content.decode()
    assert "Left out" not in html


def test_the_command_exports_an_interviewers_set_by_its_number(screening, tmp_path):
    output = tmp_path / "screen.apkg"
    call_command("export_anki", "set", str(screening.pk), "--output", str(output))
    assert read_apkg(output.read_bytes()).ids() == {"metrics-single"}
