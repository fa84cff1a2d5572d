"""Moodle XML export of a set: every entry goes out, checked element by element against
Moodle's format (question/format/xml/format.php)."""

import re

import pytest
from defusedxml.ElementTree import fromstring
from django.urls import reverse

from questions.exercises import generate
from questions.interviews import interchange, sets
from questions.models import Question, Topic
from questions.quizzes.services import private_seed


@pytest.fixture
def full_set(loaded, alice):
    """Every question type, an exercise with a fixed seed, and two random draws."""
    interview_set = sets.set_create(
        owner=alice, title="Moodle/export", description="d", time_limit_minutes=30
    )
    for ext_id in [
        "metrics-single",
        "metrics-multiple",
        "dicom-truefalse",
        "dicom-short",
        "dicom-open",
    ]:
        sets.entry_add(interview_set=interview_set, question=Question.objects.get(ext_id=ext_id))
    sets.entry_add(
        interview_set=interview_set,
        exercise_kind="classification",
        exercise_level="easy",
        exercise_seed=7,
    )
    sets.entry_add(
        interview_set=interview_set, random_count=2, random_topic=Topic.objects.get(slug="metrics")
    )
    sets.entry_add(
        interview_set=interview_set,
        question=Question.objects.get(ext_id="metrics-numeric"),
    )
    return interview_set


def _questions(text):
    quiz = fromstring(text.encode(), forbid_dtd=True)
    assert quiz.tag == "quiz"
    return quiz.findall("question")


def _real(questions):
    return [q for q in questions if q.get("type") != "category"]


def test_every_entry_of_a_set_goes_out(full_set):
    questions = _questions(interchange.set_moodle_xml(full_set))
    types = [q.get("type") for q in questions]
    # The fixture's metrics questions are all listed in the set, so the pool holds none.
    assert types == [
        "category",
        "multichoice",
        "multichoice",
        "truefalse",
        "shortanswer",
        "essay",
        "cloze",
        "category",  # the random entry's topic
        "random",
        "random",
        "category",  # back to the set's own category
        "numerical",
    ]
    assert [q.findtext("idnumber") for q in _real(questions) if q.get("type") != "random"] == [
        "metrics-single",
        "metrics-multiple",
        "dicom-truefalse",
        "dicom-short",
        "dicom-open",
        "exercise-classification-easy",
        "metrics-numeric",
    ]


def test_the_file_parses_as_xml_with_text_in_cdata(full_set):
    text = interchange.set_moodle_xml(full_set)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    single = Question.objects.get(ext_id="metrics-single")
    assert f"<text><![CDATA[{single.prompt_html}]]></text>" in text
    for element in _real(_questions(text)):
        assert element.find("questiontext").get("format") == "html"
        assert element.find("generalfeedback").get("format") == "html"
        assert element.findtext("name/text")


def test_auto_graded_questions_carry_keys_fractions_feedback_and_tolerances(full_set):
    by_id = {q.findtext("idnumber"): q for q in _questions(interchange.set_moodle_xml(full_set))}
    for ext_id in ("metrics-single", "metrics-multiple", "dicom-truefalse", "dicom-short"):
        question = Question.objects.get(ext_id=ext_id)
        element = by_id[ext_id]
        assert element.findtext("name/text") == question.title
        assert element.findtext("questiontext/text") == question.prompt_html
        assert element.findtext("generalfeedback/text") == question.explanation_html
        assert element.findtext("defaultgrade") == "1"

    single = by_id["metrics-single"]
    question = Question.objects.get(ext_id="metrics-single")
    assert single.get("type") == "multichoice" and single.findtext("single") == "true"
    answers = single.findall("answer")
    assert [a.findtext("text") for a in answers] == [c["text_html"] for c in question.choices]
    assert [a.get("fraction") for a in answers] == [
        "100" if c["correct"] else "0" for c in question.choices
    ]
    assert [a.findtext("feedback/text") for a in answers] == [
        c["feedback_html"] for c in question.choices
    ]
    assert all(a.get("format") == "html" for a in answers)

    multiple = by_id["metrics-multiple"]
    question = Question.objects.get(ext_id="metrics-multiple")
    right = sum(c["correct"] for c in question.choices)
    fractions = [float(a.get("fraction")) for a in multiple.findall("answer")]
    assert multiple.findtext("single") == "false"
    assert fractions == [
        pytest.approx((100 if c["correct"] else -100) / right, abs=1e-4) for c in question.choices
    ]
    assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=1e-3)

    numeric = by_id["metrics-numeric"]
    key = Question.objects.get(ext_id="metrics-numeric").answer
    answer = numeric.find("answer")
    assert numeric.get("type") == "numerical" and answer.get("fraction") == "100"
    assert float(answer.findtext("text")) == key["value"]
    expected = max(
        key.get("tolerance") or 0, (key.get("relative_tolerance") or 0) * abs(key["value"])
    )
    assert expected > 0 and float(answer.findtext("tolerance")) == pytest.approx(expected)

    truefalse = by_id["dicom-truefalse"]
    value = Question.objects.get(ext_id="dicom-truefalse").answer["value"]
    tf = {a.findtext("text"): a.get("fraction") for a in truefalse.findall("answer")}
    assert tf == ({"true": "100", "false": "0"} if value else {"true": "0", "false": "100"})

    short = by_id["dicom-short"]
    accepted = Question.objects.get(ext_id="dicom-short").answer["accepted"]
    assert short.get("type") == "shortanswer" and short.findtext("usecase") == "0"
    assert [a.findtext("text") for a in short.findall("answer")] == accepted
    assert all(a.get("fraction") == "100" for a in short.findall("answer"))


def test_an_open_question_is_an_essay_with_model_answer_and_rubric_for_graders(full_set):
    by_id = {q.findtext("idnumber"): q for q in _questions(interchange.set_moodle_xml(full_set))}
    essay = by_id["dicom-open"]
    question = Question.objects.get(ext_id="dicom-open")
    assert essay.get("type") == "essay"
    assert essay.findtext("responseformat") == "editor"
    assert essay.findtext("responserequired") == "1"
    assert essay.findtext("attachments") == "0"
    info = essay.find("graderinfo")
    assert info.get("format") == "html"
    text = info.findtext("text")
    assert f"<h4>Model answer</h4>{question.model_answer_html}" in text
    assert question.rubric and all(f"<li>{point}</li>" in text for point in question.rubric)
    # The model answer is for graders: it is not the feedback students see.
    assert question.model_answer_html not in (essay.findtext("generalfeedback/text") or "")


def test_a_random_entry_is_a_topic_category_with_its_pool_and_n_random_questions(loaded, alice):
    interview_set = sets.set_create(owner=alice, title="T", description="d", time_limit_minutes=5)
    sets.entry_add(
        interview_set=interview_set, question=Question.objects.get(ext_id="metrics-single")
    )
    sets.entry_add(
        interview_set=interview_set, random_count=2, random_topic=Topic.objects.get(slug="metrics")
    )
    questions = _questions(interchange.set_moodle_xml(interview_set))
    assert [q.findtext("category/text") for q in questions if q.get("type") == "category"] == [
        "$course$/ImagingPrep/Sets/T",
        "$course$/ImagingPrep/metrics",
    ]
    inside = questions[3:]
    # Like our draw: the topic's questions but the one the set lists itself.
    assert [q.findtext("idnumber") for q in inside if q.get("type") != "random"] == [
        "metrics-multiple",
        "metrics-numeric",
    ]
    randoms = [q for q in inside if q.get("type") == "random"]
    assert len(randoms) == 2
    for random in randoms:
        assert random.findtext("questiontext/text") == "0"  # this category, no subcategories
        assert random.findtext("defaultgrade") == "1"
        assert random.findtext("name/text").startswith("Random (Evaluation metrics)")


def test_a_difficulty_draw_gets_its_own_subcategory(loaded, alice):
    interview_set = sets.set_create(owner=alice, title="T", description="d", time_limit_minutes=5)
    sets.entry_add(
        interview_set=interview_set,
        random_count=1,
        random_topic=Topic.objects.get(slug="dicom"),
        random_difficulty="easy",
    )
    questions = _questions(interchange.set_moodle_xml(interview_set))
    assert questions[1].findtext("category/text") == "$course$/ImagingPrep/dicom/easy"
    pool = [q.findtext("idnumber") for q in questions[2:] if q.get("type") != "random"]
    assert pool == ["dicom-truefalse"]  # the one easy dicom question, not short or open


def test_an_exercise_is_one_cloze_with_its_candidates_data_and_a_box_per_field(full_set):
    by_id = {q.findtext("idnumber"): q for q in _questions(interchange.set_moodle_xml(full_set))}
    cloze = by_id["exercise-classification-easy"]
    text = cloze.findtext("questiontext/text")
    # The data every candidate of this set gets: the private seed, not the public page's 7.
    seed = private_seed("classification", 7, "easy", owner=f"interview-set:{full_set.pk}")
    exercise = generate("classification", seed, "easy")
    assert exercise.to_dict() != generate("classification", 7, "easy").to_dict()
    boxes = re.findall(r"\{1:(NUMERICAL|SHORTANSWER|MULTICHOICE):([^}]*)\}", text)
    assert len(boxes) == len(exercise.fields)
    for (kind, body), spec in zip(boxes, exercise.fields, strict=True):
        expected = exercise.expected[spec.name]
        if expected is None:
            assert (kind, body) == ("SHORTANSWER", "=undefined~=n/a~=nan")
        else:
            assert kind == "NUMERICAL"
            value, tolerance = body.removeprefix("=").split(":")
            assert float(value) == pytest.approx(expected, abs=1e-9)
            assert float(tolerance) == spec.tolerance
    # The data as tables (the site's grid of cases becomes a <table>), no download link.
    assert "<table>" in text and 'role="table"' not in text and "download" not in text
    assert text.count("<tr>") >= len(exercise.data["labels"])
    assert "<math" in cloze.findtext("generalfeedback/text") or exercise.solution
    assert cloze.find("defaultgrade") is None  # Moodle sums a cloze's parts


def test_the_export_page_sends_the_file_to_its_owner_only(full_set, alice_client, charlie):
    from .conftest import client_for

    url = reverse("interviews:export", args=[full_set.pk, "moodle"])
    response = alice_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert 'filename="moodleexport-moodle.xml"' in response["Content-Disposition"]
    assert client_for(charlie).get(url).status_code == 404


def test_markdown_and_json_exports_refuse_imported_questions_and_say_why(
    loaded, alice, alice_client
):
    interview_set = sets.set_create(owner=alice, title="T", description="d", time_limit_minutes=5)
    gift = b"::Q::Which modality uses HU? {=CT ~MRI#no HU}"
    result = interchange.set_import_questions(
        interview_set=interview_set,
        name="q.gift",
        raw=gift,
        topic=Topic.objects.get(slug="dicom"),
        difficulty="easy",
    )
    assert not result.errors
    response = alice_client.get(reverse("interviews:export", args=[interview_set.pk, "md"]))
    assert response.status_code == 302
    page = alice_client.get(response["Location"]).content.decode()
    assert "holds 1 imported question(s), which are not in the bank" in page
    assert "Export it as Moodle XML to keep them." in page
    xml = alice_client.get(reverse("interviews:export", args=[interview_set.pk, "moodle"]))
    assert xml.status_code == 200 and b"Which modality uses HU?" in xml.content
