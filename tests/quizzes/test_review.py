"""Finishing scores the attempt; the review shows answers, keys, feedback and topics."""

import json

from questions.models import Attempt


def test_finishing_scores_every_type_and_shows_the_review(alice):
    attempt = Attempt.objects.get()
    item = attempt.items.get(position=1)
    right = next(i for i, c in item.ordered_choices if c["correct"])
    alice.post(f"/attempts/{attempt.pk}/answers/1/", {"choice": item.choice_id(right)})
    alice.post(f"/attempts/{attempt.pk}/answers/2/", {"answer": "0.8"})  # outside ± 0.005
    alice.post(f"/attempts/{attempt.pk}/answers/3/", {"answer": "Sort, rescale, window."})
    html = alice.post(f"/attempts/{attempt.pk}/finish/", follow=True).content.decode()
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score, attempt.ended_by) == (1, 3, "submitted")
    assert "1 open question to rate" in html
    assert "Expected <strong>0.75</strong> (± 0.005). Your answer: 0.8." in html
    assert "Sort, rescale, window." in html and "Sort slices by position" in html
    assert "Evaluation metrics" in html and "50%" in html  # per-topic score
    assert 'href="/glossary/recall/"' in html


def test_rating_an_open_answer_changes_the_score_and_marks_it(alice):
    attempt = Attempt.objects.get()
    alice.post(f"/attempts/{attempt.pk}/finish/")
    alice.post(f"/attempts/{attempt.pk}/assess/3/", {"rating": "partly"})
    attempt.refresh_from_db()
    item = attempt.items.get(position=3)
    assert attempt.score == 0.5 and item.self_assessed and item.score == 0.5
    html = alice.get(f"/attempts/{attempt.pk}/").content.decode()
    assert "Self-assessed: 50%" in html


def test_a_second_finish_changes_nothing(alice):
    attempt = Attempt.objects.get()
    alice.post(f"/attempts/{attempt.pk}/finish/")
    finished_at = Attempt.objects.get().finished_at
    alice.post(f"/attempts/{attempt.pk}/finish/")
    assert Attempt.objects.get().finished_at == finished_at


def test_answers_cannot_change_after_the_end(alice):
    attempt = Attempt.objects.get()
    alice.post(f"/attempts/{attempt.pk}/finish/")
    response = alice.put(
        f"/api/attempts/{attempt.pk}/answers/2/",
        json.dumps({"answer": 0.75}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This attempt has ended: answers can no longer change."


def test_the_api_runs_a_whole_quiz(loaded, client):
    created = client.post(
        "/api/attempts/", {"topic": "metrics", "count": 3}, content_type="application/json"
    ).json()
    assert created["status"] == "running" and len(created["items"]) == 3
    assert created["score"] is None
    url = f"/api/attempts/{created['id']}/"
    for item in created["items"]:
        ids = [choice["id"] for choice in item["choices"]]  # opaque ids, in the order shown
        answer = {"single": ids[:1] and ids[0], "multiple": ids[:2], "numeric": 0.75}[item["type"]]
        response = client.put(
            f"{url}answers/{item['position']}/",
            json.dumps({"answer": answer}),
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["saved"]
    finished = client.post(f"{url}finish/").json()
    assert finished["status"] == "finished" and finished["max_score"] == 3
    assert finished["score"] == sum(item["score"] for item in finished["items"])


def test_the_api_explains_bad_input(loaded, client):
    response = client.post("/api/attempts/", {}, content_type="application/json")
    assert response.status_code == 400 and "Give a set id" in response.json()["detail"]
    response = client.post("/api/attempts/", {"set": "nope"}, content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and body["detail"] == "Some fields are invalid: set."
    assert "set" in body["errors"]
    created = client.post("/api/attempts/", {"set": "starter"}, content_type="application/json")
    url = f"/api/attempts/{created.json()['id']}/answers/"
    for position, answer, message in [
        (1, "seven", "Choose one of the options."),
        (2, "three quarters", "is not a number"),
        (9, 1, "This quiz has no question 9."),
    ]:
        response = client.put(
            f"{url}{position}/", json.dumps({"answer": answer}), content_type="application/json"
        )
        assert response.status_code == 400 and message in response.json()["detail"]
    response = client.put(f"{url}1/", "not json", content_type="application/json")
    assert response.status_code == 400


def test_the_attempt_pages_make_a_fixed_number_of_queries(alice, django_assert_num_queries):
    attempt = Attempt.objects.get()
    with django_assert_num_queries(4):  # session, attempt, items, glossary links
        alice.get(f"/attempts/{attempt.pk}/")
    alice.post(f"/attempts/{attempt.pk}/finish/")
    with django_assert_num_queries(4):
        alice.get(f"/attempts/{attempt.pk}/")
