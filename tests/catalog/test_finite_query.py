"""Which query strings of the question pages are finitely many (so the page cache may keep
them without limit): the ones the site's own links and filter form make."""

import pytest

from questions.catalog.practice import finite_query

OFFERED = {"topics": ["metrics", "dicom"], "tags": ["screening", "class-imbalance"], "pages": 3}


@pytest.mark.parametrize(
    "query",
    [
        "topic=metrics",
        "tag=class-imbalance",
        "topic=dicom&type=single&difficulty=hard&tag=screening",
        "topic=metrics&page=3",
        "page=1",
        "q=&topic=metrics&type=&difficulty=&tag=",  # the form, with its empty fields
    ],
)
def test_the_sites_own_links_and_form_are_finite(query):
    assert finite_query(query, **OFFERED)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=dice",
        "tag=dise",
        "topic=nope",
        "type=essay",
        "difficulty=extreme",
        "page=4",
        "page=0",
        "page=01",
        "page=",
        "topic=metrics&ref=mail",
        "topic=metrics&topic=dicom",
        "type=single&topic=metrics",
        "topic=%6Detrics",
        "topic=metrics&",
        "topic",
    ],
)
def test_searches_typed_values_and_other_spellings_are_not(query):
    assert not finite_query(query, **OFFERED)
