"""Every page renders, in a fixed number of queries, and hides keys until the answer."""

import pytest
from django.urls import reverse

from questions.models import Question
from tests.choices import practice_choice


def test_the_home_page_shows_counts_by_topic(loaded, client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(reverse("questions:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Evaluation metrics" in html and "3 questions" in html
    # In topics.yaml order, not alphabetical.
    assert html.index("Evaluation metrics") < html.index("DICOM and data handling")
    assert "Starter set" in html


def test_the_glossary_index_groups_terms_by_letter(loaded, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("questions:glossary_index"))
    html = response.content.decode()
    assert 'id="letter-H"' in html and 'id="letter-P"' in html
    assert html.index("Hounsfield unit") < html.index("Precision") < html.index("Recall")


@pytest.mark.parametrize("query", ["sensitiv", "TPR", "RECALL"])
def test_the_glossary_finds_a_term_by_name_or_alias(loaded, client, query):
    html = client.get(reverse("questions:glossary_index"), {"q": query}).content.decode()
    assert "1 term match" in html
    assert "/glossary/recall/" in html and "/glossary/precision/" not in html


def test_a_term_page_links_see_also_and_questions(loaded, client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(reverse("questions:glossary_term", args=["recall"]))
    html = response.content.decode()
    assert "The share of actual positives" in html
    assert 'href="/glossary/precision/"' in html
    assert 'href="/questions/metrics-single/"' in html
    assert "<math" in html


def test_a_retired_or_unknown_term_is_404(loaded, client):
    from questions.catalog.sync import content_sync

    (loaded / "glossary/hounsfield-unit.md").unlink()
    for name in ("questions/dicom/dicom-truefalse.md", "questions/dicom/dicom-open.md"):
        path = loaded / name
        path.write_text(path.read_text().replace("related: [hounsfield-unit]\n", ""))
    (loaded / "sets/starter.md").write_text(
        (loaded / "sets/starter.md").read_text().replace(", dicom-open", "")
    )
    assert content_sync(loaded).ok
    assert client.get("/glossary/hounsfield-unit/").status_code == 404
    assert client.get("/glossary/nope/").status_code == 404


def test_the_question_list_filters(loaded, client):
    url = reverse("questions:question_list")
    assert "6 questions" in client.get(url).content.decode()
    html = client.get(url, {"topic": "dicom", "difficulty": "easy"}).content.decode()
    assert "1 question," in html or "1 question." in html
    assert "Water in HU" in html and "Precision from counts" not in html
    html = client.get(url, {"type": "numeric"}).content.decode()
    assert "Precision from counts" in html and "Water in HU" not in html
    html = client.get(url, {"tag": "screening"}).content.decode()
    assert "The metric that counts misses" in html and "Water in HU" not in html
    html = client.get(url, {"q": "missed cancer"}).content.decode()
    assert "The metric that counts misses" in html and "Water in HU" not in html


def test_the_question_list_ignores_bad_filters(loaded, client):
    response = client.get(reverse("questions:question_list"), {"type": "bogus", "page": "x"})
    assert response.status_code == 200
    assert "6 questions" in response.content.decode()


def test_the_question_list_query_count_does_not_grow(loaded, client, django_assert_num_queries):
    with django_assert_num_queries(5):
        client.get(reverse("questions:question_list"))


def test_the_question_list_paginates(loaded, client, settings):
    settings.QUESTIONS_PER_PAGE = 4
    html = client.get(reverse("questions:question_list"), {"type": "", "page": 2}).content.decode()
    assert "page 2 of 2" in html and 'rel="prev"' in html


@pytest.mark.parametrize(
    "question_id",
    [
        "metrics-single",
        "metrics-multiple",
        "metrics-numeric",
        "dicom-truefalse",
        "dicom-short",
        "dicom-open",
    ],
)
def test_the_question_page_hides_the_key_before_answering(loaded, client, question_id):
    question = Question.objects.get(ext_id=question_id)
    html = client.get(question.get_absolute_url()).content.decode()
    assert question.prompt_html in html
    secrets = [
        question.explanation_html,
        question.model_answer_html,
        question.interviewer_notes_html,
        *question.rubric,
        *(c["feedback_html"] for c in question.choices),
    ]
    for secret in filter(None, secrets):
        assert secret not in html
    assert "correct" not in html.lower().replace("correct answer", "")
    assert "SECRET-INTERVIEWER-NOTE" not in html
    if question.type == "numeric":
        assert "0.75" not in html
    if question.type == "short":
        assert "Hounsfield unit" not in html


def test_a_right_single_answer_shows_feedback_and_explanation(loaded, client):
    choice = practice_choice(client, "metrics-single", 0)
    response = client.post("/questions/metrics-single/", {"choice": choice})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Right" in html
    assert "Specificity concerns healthy patients." in html
    assert "<mfrac>" in html  # the explanation


def test_a_partly_right_multiple_answer_gets_partial_credit(loaded, client):
    choice = practice_choice(client, "metrics-multiple", 0)
    html = client.post("/questions/metrics-multiple/", {"choice": [choice]}).content.decode()
    assert "Partly right: 50% of the marks" in html


def test_a_numeric_answer_is_checked_with_its_tolerance(loaded, client):
    assert (
        "Right" in client.post("/questions/metrics-numeric/", {"answer": "0.754"}).content.decode()
    )
    assert (
        "Not right"
        in client.post("/questions/metrics-numeric/", {"answer": "0.76"}).content.decode()
    )


def test_bad_input_gets_a_message_and_no_key(loaded, client):
    response = client.post("/questions/metrics-numeric/", {"answer": "three quarters"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a number" in html and "30 / 40" not in html
    for made_up in ("7", "0", "aaaaaaaaaaaa"):
        response = client.post("/questions/metrics-single/", {"choice": made_up})
        assert response.status_code == 400
        assert "Choose among the options shown" in response.content.decode()
    response = client.post("/questions/dicom-short/", {})
    assert response.status_code == 400 and "Type your answer" in response.content.decode()


def test_an_open_question_reveals_the_model_answer_then_records_a_rating(loaded, client):
    html = client.post("/questions/dicom-open/", {"draft": "sort slices"}).content.decode()
    assert "Sort slices by position" in html and "How did your answer compare?" in html
    assert "SECRET-INTERVIEWER-NOTE" not in html and "Sorts slices by Image Position" not in html
    html = client.post("/questions/dicom-open/", {"self_assessment": "partly"}).content.decode()
    assert "You rated your answer: I got part of it" in html


def test_practice_posts_need_a_csrf_token(loaded):
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    choice = practice_choice(visitor, "metrics-single", 0)
    response = visitor.post("/questions/metrics-single/", {"choice": choice})
    assert response.status_code == 403


def test_query_counts_do_not_grow_with_the_bank(loaded, client, django_assert_num_queries):
    """Thirty more questions and terms cost no extra query on any page."""
    from questions.catalog.sync import content_sync

    with (loaded / "tags.yaml").open("a") as vocabulary:
        vocabulary.write("- {tag: extra, description: Extra.}\n")
        vocabulary.writelines(f"- {{tag: t{n}, description: Extra.}}\n" for n in range(30))
    for n in range(30):
        (loaded / f"glossary/extra-{n}.md").write_text(
            f"---\nid: extra-{n}\nterm: Extra {n}\ntopic: metrics\ndefinition: Extra.\n"
            f"see_also: [recall]\n---\nBody.\n"
        )
        (loaded / f"questions/metrics/metrics-extra-{n}.md").write_text(
            f"---\nid: metrics-extra-{n}\ntitle: Extra {n}\ntype: truefalse\ndifficulty: easy\n"
            f"tags: [extra, t{n}]\nrelated: [recall, extra-{n}]\nanswer: true\n---\n"
            "## Question\n\nTrue?\n\n## Explanation\n\nYes.\n"
        )
    assert content_sync(loaded).ok
    pages = [
        ("/", 3),
        ("/glossary/", 1),
        ("/glossary/recall/", 3),
        ("/questions/", 5),
        ("/questions/metrics-extra-3/", 3),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
