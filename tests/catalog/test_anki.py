"""The public Anki decks: the glossary, a topic, a curated set; their pages and command."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from questions.catalog import export
from questions.catalog.sync import content_sync
from questions.models import Question
from tests.apkg import read_apkg

# What only the open question's file holds: none of it may reach a deck.
OPEN_ONLY = ("dicom-open", "model input", "Sorts slices", "SECRET-INTERVIEWER-NOTE")


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.apkg"')
    return response, read_apkg(response.content)


def test_the_glossary_deck_has_two_cards_for_every_term(loaded, client):
    response, collection = _download(client, reverse("questions:anki_glossary"))
    assert collection.ids() == {"hounsfield-unit", "precision", "recall"}
    assert len(collection.cards) == 2 * len(collection.notes) == 6
    hu = collection.by_id("hounsfield-unit")
    assert collection.field(hu, "Also called") == "HU"
    assert collection.field(hu, "Definition").startswith("The CT attenuation scale")
    assert "slope and intercept" in collection.field(hu, "Details")
    assert collection.field(hu, "Topic") == "DICOM and data handling"
    collection.deck_named("ImagingPrep::Glossary")
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=3600" in cache_control


def test_a_topic_deck_holds_its_auto_graded_questions_and_no_open_one(loaded, client):
    _, collection = _download(client, reverse("questions:anki_topic", args=["dicom"]))
    assert collection.ids() == {"dicom-short", "dicom-truefalse"}
    everything = "\x1f".join("\x1f".join(n.fields) for n in collection.notes)
    for secret in OPEN_ONLY:
        assert secret not in everything
    description = collection.deck_named("ImagingPrep::Topics::DICOM and data handling")["desc"]
    assert "1 open question" in description


def test_a_curated_set_deck_follows_the_set_and_leaves_the_open_question_out(loaded, client):
    _, collection = _download(client, reverse("questions:anki_set", args=["starter"]))
    assert collection.ids() == {"metrics-single", "metrics-numeric"}
    numeric = collection.by_id("metrics-numeric")
    assert "0.75 (± 0.005)" in collection.field(numeric, "Answer")
    assert "30 / 40" in collection.field(numeric, "Explanation")
    assert "1 open question" in collection.deck_named("ImagingPrep::Sets::Starter set")["desc"]


def test_a_question_is_the_same_note_in_its_topic_deck_and_in_a_set_deck(loaded, client):
    topic = read_apkg(client.get(reverse("questions:anki_topic", args=["metrics"])).content)
    starter = read_apkg(client.get(reverse("questions:anki_set", args=["starter"])).content)
    assert topic.by_id("metrics-single").guid == starter.by_id("metrics-single").guid
    assert set(topic.decks) != set(starter.decks)


@pytest.mark.parametrize(
    ("name", "args", "says"),
    [
        ("questions:anki_topic", ["no-such-topic"], "no topic"),
        ("questions:anki_set", ["no-such-set"], "no curated set"),
    ],
)
def test_an_unknown_deck_is_a_404(loaded, client, name, args, says, settings):
    settings.DEBUG = True  # the 404 page shows the reason only in debug; the status is what counts
    response = client.get(reverse(name, args=args))
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["topics", "sets"])
def test_a_slug_too_long_for_a_cache_key_is_a_404(loaded, client, kind):
    """The deck cache was read with the slug in its key before the slug was known: a 3,000
    character one made a key memcached refuses (CacheKeyWarning, a 500 here)."""
    assert client.get(f"/anki/{kind}/{'a' * 3000}.apkg").status_code == 404


def test_a_retired_set_has_no_deck(loaded, client, content_dir, django_capture_on_commit_callbacks):
    (content_dir / "sets" / "starter.md").unlink()
    with django_capture_on_commit_callbacks(execute=True):
        assert content_sync(content_dir).ok
    assert client.get(reverse("questions:anki_set", args=["starter"])).status_code == 404


def test_reloading_changed_content_updates_the_deck_and_keeps_the_guid(
    loaded, client, content_dir: Path, django_capture_on_commit_callbacks
):
    url = reverse("questions:anki_set", args=["starter"])
    before = read_apkg(client.get(url).content).by_id("metrics-numeric")
    path = content_dir / "questions" / "metrics" / "metrics-numeric.md"
    path.write_text(path.read_text().replace("what is the precision?", "what is the PPV?"))
    Question.objects.filter(ext_id="metrics-numeric").update(updated_at="2000-01-01T00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        report = content_sync(content_dir)
    assert report.ok
    after = read_apkg(client.get(url).content).by_id("metrics-numeric")  # not the cached build
    assert after.guid == before.guid
    assert "PPV" in after.fields[0] and "PPV" not in before.fields[0]
    assert after.mod >= before.mod


def test_a_built_deck_is_served_from_the_cache_until_the_content_changes(
    loaded, client, django_assert_num_queries
):
    url = reverse("questions:anki_glossary")
    first = client.get(url).content
    with django_assert_num_queries(0):
        assert client.get(url).content == first


def test_the_decks_page_lists_every_deck_with_what_it_leaves_out(loaded, client):
    html = client.get(reverse("questions:anki_decks")).content.decode()
    assert reverse("questions:anki_glossary") in html
    assert reverse("questions:anki_topic", args=["metrics"]) in html
    assert reverse("questions:anki_topic", args=["dicom"]) in html
    assert reverse("questions:anki_set", args=["starter"]) in html
    row = html.split('id="set-starter"')[1].split("</li>")[0]
    assert "2 cards · 1 open question left out" in row
    assert "6 cards (3 terms, two cards each)" in html.split('id="glossary-glossary"')[1]


def test_the_glossary_topic_and_set_pages_link_their_deck(loaded, client):
    glossary = client.get(reverse("questions:glossary_index")).content.decode()
    assert reverse("questions:anki_glossary") in glossary and "Download Anki deck" in glossary
    topic = client.get(reverse("questions:question_list"), {"topic": "metrics"}).content.decode()
    assert reverse("questions:anki_topic", args=["metrics"]) in topic
    unfiltered = client.get(reverse("questions:question_list")).content.decode()
    assert "/anki/topics/" not in unfiltered
    for page in ("questions:home", "questions:quiz_start_page"):
        assert (
            reverse("questions:anki_set", args=["starter"])
            in client.get(reverse(page)).content.decode()
        )


def test_the_topic_page_link_costs_no_query(loaded, client, django_assert_num_queries):
    # The filtered list's own six (the sixth counts its types for "Practise these as a
    # quiz"); the deck link adds none.
    with django_assert_num_queries(6):
        client.get(reverse("questions:question_list"), {"topic": "metrics"})


def test_the_command_writes_each_kind_of_deck(loaded, tmp_path, capsys):
    call_command("export_anki", "glossary", "--output", str(tmp_path / "g.apkg"))
    assert len(read_apkg((tmp_path / "g.apkg").read_bytes()).cards) == 6
    call_command("export_anki", "topic", "dicom", "--output", str(tmp_path / "t.apkg"))
    call_command("export_anki", "set", "starter", "--output", str(tmp_path / "s.apkg"))
    out = capsys.readouterr().out
    assert "3 notes, 6 cards" in out
    assert out.count("Left out: 1 open question (answered in your own words") == 2
    assert read_apkg((tmp_path / "s.apkg").read_bytes()).ids() == {
        "metrics-single",
        "metrics-numeric",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["topic", "nope"], "There is no topic 'nope'. Topics: metrics, dicom."),
        (["set", "nope"], "There is no curated set 'nope'. Sets: starter."),
        (["set", "4242"], "There is no interviewer's set number 4242."),
        # Not ASCII digits ('²' passes str.isdigit() but not int()), or too long for an id.
        (["set", "²"], "There is no curated set '²'."),
        (["set", "9" * 30], f"There is no curated set '{'9' * 30}'."),
        (["topic"], "Name the topic: export_anki topic SLUG"),
        (["glossary", "extra"], "The glossary deck takes no SLUG"),
    ],
)
def test_the_command_names_what_is_wrong(loaded, tmp_path, args, message):
    output = tmp_path / "deck.apkg"
    with pytest.raises(CommandError) as raised:
        call_command("export_anki", *args, "--output", str(output))
    assert message in str(raised.value)
    assert not output.exists()


def test_the_command_reports_a_folder_it_cannot_write(loaded, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot write .*: No such file or directory"):
        call_command("export_anki", "glossary", "--output", str(tmp_path / "no" / "g.apkg"))


def test_deck_summaries_take_a_fixed_number_of_queries(loaded, django_assert_num_queries):
    with django_assert_num_queries(4):
        summaries = export.deck_summaries()
    assert [(s.kind, s.slug, s.cards) for s in summaries] == [
        ("glossary", "glossary", 6),
        ("topic", "metrics", 3),
        ("topic", "dicom", 2),
        ("set", "starter", 2),
    ]
