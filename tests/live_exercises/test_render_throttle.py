"""Every new seed's figure or .dcm costs a render and a week in the cache, and seeds are free
to choose: an address may cause only so many renders a minute. What is cached is free."""

import pytest
import time_machine
from django.test import Client

FIGURE = "/exercises/classification/{}/figure/?level=easy"


@pytest.fixture(autouse=True)
def three_renders_a_minute(settings):
    settings.EXERCISE_RENDER_LIMIT = 3
    settings.EXERCISE_RENDER_WINDOW_SECONDS = 60


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


@time_machine.travel("2026-03-01 10:00:10Z", tick=False)
def test_new_figures_from_one_address_are_refused_past_the_limit(db):
    mallory = client_at("203.0.113.9")
    codes = [mallory.get(FIGURE.format(seed)).status_code for seed in range(1, 5)]
    assert codes == [200, 200, 200, 429]
    refused = mallory.get(FIGURE.format(99))
    assert refused["Retry-After"] == "50" and refused["Cache-Control"] == "no-store"
    assert refused.content.decode() == (
        "Too many new exercise figures and files from your address. Try again in 50 seconds."
    )
    # Someone else's address has its own budget.
    assert client_at("198.51.100.7").get(FIGURE.format(99)).status_code == 200


def test_figures_already_drawn_cost_nothing(db):
    reader = client_at("203.0.113.9")
    codes = {reader.get(FIGURE.format(7)).status_code for _ in range(10)}
    assert codes == {200}


def test_the_budget_comes_back_with_the_next_window(db):
    mallory = client_at("203.0.113.9")
    with time_machine.travel("2026-03-01 10:00:00Z", tick=False) as clock:
        for seed in range(1, 4):
            mallory.get(FIGURE.format(seed))
        assert mallory.get(FIGURE.format(4)).status_code == 429
        clock.shift(60)
        assert mallory.get(FIGURE.format(4)).status_code == 200


def test_dicom_files_share_the_budget(db):
    mallory = client_at("203.0.113.9")
    for seed in range(1, 4):
        assert mallory.get(FIGURE.format(seed)).status_code == 200
    response = mallory.get("/exercises/dicom/5/exercise.dcm?level=easy")
    assert response.status_code == 429 and "Try again in" in response.content.decode()


def test_a_checked_exercise_over_the_limit_still_shows_its_marks(db):
    mallory = client_at("203.0.113.9")
    for seed in range(1, 4):
        mallory.get(FIGURE.format(seed))
    # The figure comes with the solution, here asked for with the check.
    response = mallory.post("/exercises/classification/8/?level=easy", {"tp": "1", "reveal": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "The figure is not drawn: Too many new" in html
