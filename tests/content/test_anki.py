"""Anki decks built from plain data: no database. The file is opened as Anki opens it."""

from __future__ import annotations

import dataclasses

import pytest

from questions.content.anki import (
    GLOSSARY_MODEL,
    MAX_NOTES,
    QUESTION_MODEL,
    LeftOut,
    QuestionCard,
    TermCard,
    glossary_deck,
    left_out_sentence,
    note_guid,
    question_deck,
    stable_id,
)
from questions.markup import render_markdown
from tests.apkg import read_apkg

STAMP = 1_767_225_600.0  # 2026-01-01

HU = TermCard(
    id="hounsfield-unit",
    term="Hounsfield unit",
    aliases=("HU", "CT number"),
    definition="The CT attenuation scale on which water is 0 & air is -1000.",
    body_html=render_markdown("Water: $HU = 1000 \\frac{\\mu - \\mu_w}{\\mu_w}$."),
    topic="Modalities",
)
DICE = TermCard(
    id="dice-coefficient",
    term="Dice coefficient",
    aliases=("DSC",),
    definition="Twice the overlap over the sum of the sizes.",
    body_html="<p>Dice is F1 over voxels.</p>",
    topic="Segmentation",
)

SINGLE = QuestionCard(
    id="metrics-single",
    title="Precision",
    type="single",
    topic="Evaluation metrics",
    difficulty="Easy",
    prompt_html="<p>What is precision?</p>",
    explanation_html="<p>Precision is TP over predicted positives.</p>",
    choices=(
        {"text_html": "TP / (TP + FP)", "correct": True, "feedback_html": ""},
        {"text_html": "TP / (TP + FN)", "correct": False, "feedback_html": "That is recall."},
        {"text_html": "TN / (TN + FP)", "correct": False, "feedback_html": ""},
    ),
)


def _single(**changes) -> QuestionCard:
    return dataclasses.replace(SINGLE, **changes)


def test_every_glossary_term_is_one_note_with_two_cards_both_ways():
    deck = glossary_deck([HU, DICE], timestamp=STAMP)
    collection = read_apkg(deck.data)

    assert deck.name == "ImagingPrep::Glossary" and deck.filename.endswith(".apkg")
    assert (deck.notes, deck.cards) == (2, 4)
    assert sorted(collection.names) == ["collection.anki2", "media"]
    assert len(collection.notes) == 2
    per_note = {
        n.id: sorted(o for nid, o, _ in collection.cards if nid == n.id) for n in collection.notes
    }
    assert all(ordinals == [0, 1] for ordinals in per_note.values())
    model = collection.models[GLOSSARY_MODEL.model_id]
    assert [t["name"] for t in model["tmpls"]] == ["Term → definition", "Definition → term"]
    hu = collection.by_id("hounsfield-unit")
    assert collection.field(hu, "Term") == "Hounsfield unit"
    assert collection.field(hu, "Also called") == "HU, CT number"
    # Plain text is escaped: "&" must not start an entity in Anki's HTML.
    assert collection.field(hu, "Definition") == (
        "The CT attenuation scale on which water is 0 &amp; air is -1000."
    )
    # The abbreviation is on the front of term -> definition and the back of the reverse.
    assert "{{Also called}}" in model["tmpls"][0]["qfmt"]
    assert "{{Also called}}" in model["tmpls"][1]["afmt"]
    assert "{{Definition}}" not in model["tmpls"][1]["afmt"].split("<hr")[1]
    deck_json = collection.deck_named("ImagingPrep::Glossary")
    assert {did for _, _, did in collection.cards} == {deck_json["id"]}


def test_formulas_reach_the_card_as_mathml_without_any_script():
    collection = read_apkg(glossary_deck([HU], timestamp=STAMP).data)
    details = collection.field(collection.notes[0], "Details")
    assert "<math" in details and "<mfrac>" in details
    assert "<script" not in details and "mathjax" not in details.lower()
    model = collection.models[GLOSSARY_MODEL.model_id]
    assert "http" not in model["css"]  # nothing fetched from elsewhere


def test_building_twice_gives_the_same_guids_ids_and_bytes():
    first = glossary_deck([HU, DICE], timestamp=STAMP)
    second = glossary_deck([HU, DICE], timestamp=STAMP)
    assert first.data == second.data
    one, two = read_apkg(first.data), read_apkg(second.data)
    assert [n.guid for n in one.notes] == [n.guid for n in two.notes]
    assert set(one.decks) == set(two.decks) and set(one.models) == set(two.models)


def test_changing_a_terms_text_keeps_its_guid_so_a_reimport_updates_the_card():
    before = read_apkg(glossary_deck([HU], timestamp=STAMP).data).notes[0]
    edited = dataclasses.replace(HU, term="Hounsfield unit (HU)", definition="Edited.")
    after = read_apkg(glossary_deck([edited], timestamp=STAMP + 60).data).notes[0]
    assert after.guid == before.guid == note_guid("glossary-term", "hounsfield-unit")
    assert after.fields != before.fields
    # Anki updates a note when the incoming one is newer.
    assert after.mod > before.mod


def test_changing_a_questions_text_keeps_its_guid():
    def guid(question: QuestionCard) -> str:
        deck = question_deck(
            key="topic:metrics", path=["Topics", "Metrics"], filename="m.apkg",
            questions=[question], timestamp=STAMP,
        )  # fmt: skip
        return read_apkg(deck.data).notes[0].guid

    assert guid(SINGLE) == guid(_single(prompt_html="<p>Define precision.</p>"))
    assert guid(SINGLE) != guid(_single(id="metrics-other"))


def test_deck_and_note_type_ids_are_fixed_numbers_in_ankis_range():
    assert stable_id("deck:glossary") == stable_id("deck:glossary")
    assert stable_id("deck:glossary") != stable_id("deck:topic:metrics")
    for model in (GLOSSARY_MODEL, QUESTION_MODEL):
        assert 1 << 30 <= model.model_id < 1 << 31
    assert GLOSSARY_MODEL.model_id != QUESTION_MODEL.model_id


def _question_collection(*questions: QuestionCard, left_out=()):
    deck = question_deck(
        key="set:starter", path=["Sets", "Starter set"], filename="starter.apkg",
        questions=list(questions), left_out=left_out, timestamp=STAMP,
    )  # fmt: skip
    return deck, read_apkg(deck.data)


def test_a_question_card_asks_with_the_choices_and_answers_with_the_key_and_explanation():
    deck, collection = _question_collection(SINGLE)
    note = collection.notes[0]
    front = collection.field(note, "Question")
    assert "What is precision?" in front
    assert all(choice["text_html"] in front for choice in SINGLE.choices)
    assert "Answer" not in front and "recall" not in front  # no key, no feedback on the front
    answer = collection.field(note, "Answer")
    assert "TP / (TP + FP)" in answer and "TP / (TP + FN)" not in answer
    assert "That is recall." in collection.field(note, "Options explained")
    assert "TP over predicted positives" in collection.field(note, "Explanation")
    model = collection.models[QUESTION_MODEL.model_id]
    assert len(model["tmpls"]) == 1 and "{{Answer}}" not in model["tmpls"][0]["qfmt"]
    assert deck.name == "ImagingPrep::Sets::Starter set"
    assert collection.cards and len(collection.cards) == len(collection.notes) == 1


def test_the_front_does_not_keep_the_files_order_unless_the_question_says_so():
    questions = [
        _single(id=f"q-{n}", choices=[
            {"text_html": f"right {n}", "correct": True},
            *({"text_html": f"wrong {n}.{k}", "correct": False} for k in range(3)),
        ])
        for n in range(12)
    ]  # fmt: skip
    _, collection = _question_collection(*questions)
    firsts = [
        collection.field(n, "Question").split("<li>")[1].startswith("A. right")
        for n in collection.notes
    ]
    assert not all(firsts), "the right option must not always come first"
    # The same question always shows the same order: a rebuild does not change the note.
    again = _question_collection(*questions)[1]
    assert [n.fields for n in again.notes] == [n.fields for n in collection.notes]
    ordered = _single(shuffle=False)
    _, kept = _question_collection(ordered)
    front = collection.field(kept.notes[0], "Question")
    assert front.index("TP / (TP + FP)") < front.index("TP / (TP + FN)") < front.index("TN /")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            QuestionCard(
                id="tf", title="t", type="truefalse", topic="t", difficulty="Easy",
                prompt_html="<p>Water is 0 HU.</p>", answer={"value": True},
            ),
            "The statement is true.",
        ),
        (
            QuestionCard(
                id="num", title="n", type="numeric", topic="t", difficulty="Hard",
                prompt_html="<p>Precision?</p>",
                answer={"value": 0.75, "tolerance": 0.005, "relative_tolerance": None, "unit": ""},
            ),
            "0.75 (± 0.005)",
        ),
        (
            QuestionCard(
                id="short", title="s", type="short", topic="t", difficulty="Medium",
                prompt_html="<p>Unit?</p>", answer={"accepted": ["Hounsfield unit", "HU"]},
            ),
            "Accepted: Hounsfield unit, HU",
        ),
        (
            dataclasses.replace(SINGLE, id="multi", type="multiple", choices=(
                {"text_html": "Precision", "correct": True},
                {"text_html": "Recall", "correct": True},
                {"text_html": "Accuracy", "correct": False},
            )),
            "Answers:",
        ),
    ],
)  # fmt: skip
def test_each_auto_graded_type_shows_its_answer_on_the_back(question, expected):
    _, collection = _question_collection(question)
    note = collection.notes[0]
    assert expected in collection.field(note, "Answer")
    assert expected not in collection.field(note, "Question")


def test_an_open_question_is_refused_rather_than_carded():
    with pytest.raises(ValueError, match="open"):
        _question_collection(_single(id="dicom-open", type="open"))


def test_hostile_html_is_cleaned_before_it_reaches_the_deck():
    evil = _single(
        prompt_html='<p onclick="x()">Q<script>alert(1)</script><img src=x onerror=alert(2)></p>',
        explanation_html=(
            '<iframe src="https://evil.example"></iframe><a href="javascript:x()">l</a>'
        ),
    )
    _, collection = _question_collection(evil)
    text = "\x1f".join(collection.notes[0].fields)
    for bad in ("<script", "onclick", "onerror", "<iframe", "javascript:"):
        assert bad not in text


def test_the_deck_description_says_what_was_left_out_and_why():
    left_out = [LeftOut("open", 2), LeftOut("exercise", 1), LeftOut("random", 0)]
    deck, collection = _question_collection(SINGLE, left_out=left_out)
    description = collection.deck_named(deck.name)["desc"]
    assert "2 open questions" in description and "1 live exercise" in description
    assert "random" not in description
    assert [item.kind for item in deck.left_out] == ["open", "exercise"]
    assert left_out_sentence([]) == ""


def test_a_deck_beyond_the_bound_is_refused_before_any_work():
    with pytest.raises(ValueError, match=f"at most {MAX_NOTES}"):
        glossary_deck([HU] * (MAX_NOTES + 1), timestamp=STAMP)
    with pytest.raises(ValueError, match=f"at most {MAX_NOTES}"):
        _question_collection(*([SINGLE] * (MAX_NOTES + 1)))
