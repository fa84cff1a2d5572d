"""The glossary search puts the term a visitor named first, says how many terms match in
words that agree, shows each abbreviation once, and links terms to the exercises that
drill them."""

from pathlib import Path

import pytest

from questions.catalog.sync import content_sync
from questions.content.tree import read_tree


@pytest.fixture
def glossary(db, content_dir: Path) -> Path:
    (content_dir / "glossary/hounsfield-unit.md").write_text(
        "---\nid: hounsfield-unit\nterm: Hounsfield unit (HU)\naliases: [HU, CT number]\n"
        "topic: dicom\ndefinition: The CT attenuation scale.\nexercises: [dicom]\n---\nBody.\n"
    )
    # Sorts before "Hounsfield" and contains "hu", so only ranking puts Hounsfield first.
    (content_dir / "glossary/chest-hu-range.md").write_text(
        "---\nid: chest-hu-range\nterm: Chest HU range\ntopic: dicom\n"
        "definition: The HU values a chest CT spans.\n---\nBody.\n"
    )
    report = content_sync(content_dir)
    assert report.ok, report.problems
    return content_dir


def test_an_exact_abbreviation_ranks_first(glossary, client):
    html = client.get("/glossary/", {"q": "hu"}).content.decode()
    assert html.index("Hounsfield unit (HU)") < html.index("Chest HU range")
    assert "Exact match" in html
    assert "Other terms containing “hu”" in html


def test_an_exact_term_without_its_bracket_ranks_first(glossary, client):
    html = client.get("/glossary/", {"q": "Hounsfield unit"}).content.decode()
    exact = html[html.index('id="exact-match"') : html.index("</section>")]
    assert "Hounsfield unit (HU)" in exact


def test_a_search_naming_no_term_exactly_has_no_exact_section(glossary, client):
    html = client.get("/glossary/", {"q": "range"}).content.decode()
    assert "Exact match" not in html
    assert "Chest HU range" in html


def test_the_count_reads_right_for_one_and_for_many(glossary, client):
    one = client.get("/glossary/", {"q": "chest"}).content.decode()
    assert "1 term matches “chest”." in one
    two = client.get("/glossary/", {"q": "hu"}).content.decode()
    assert "2 terms match “hu”." in two
    none = client.get("/glossary/", {"q": "zebra"}).content.decode()
    assert "0 terms match “zebra”." in none
    assert "No term matches" in none


def test_an_abbreviation_in_the_term_is_not_repeated_among_its_aliases(glossary, client):
    index = client.get("/glossary/").content.decode()
    assert "(CT number)" in index
    assert "(HU, CT number)" not in index
    page = client.get("/glossary/hounsfield-unit/").content.decode()
    assert "Also: CT number" in page


def test_a_term_links_to_the_exercises_that_drill_it(glossary, client):
    html = client.get("/glossary/hounsfield-unit/").content.decode()
    assert "Exercises that drill it" in html
    assert 'href="/exercises/dicom/new/"' in html
    plain = client.get("/glossary/chest-hu-range/").content.decode()
    assert "Exercises that drill it" not in plain


def test_check_content_refuses_an_unknown_exercise(content_dir):
    path = content_dir / "glossary/recall.md"
    path.write_text(path.read_text().replace("see_also:", "exercises: [kappa]\nsee_also:"))
    problems = [str(p) for p in read_tree(content_dir).problems]
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:7: exercises names 'kappa', which is not an exercise: use one of agreement, "
    )


def test_the_bank_links_kappa_to_the_agreement_exercise():
    from django.conf import settings

    terms = {term.id: term for term in read_tree(Path(settings.CONTENT_DIR)).glossary}
    assert terms["cohens-kappa"].exercises == ["agreement"]
    assert terms["hounsfield-unit"].exercises == ["dicom"]
