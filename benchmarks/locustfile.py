"""One simulated candidate for benchmarks/load_test.py: reads, takes a timed set through the
API, reads the review, then does a live exercise. Run by load_test.py, not by hand."""

from __future__ import annotations

import itertools
import os
import random

from locust import FastHttpUser, between, task

TOKENS = itertools.cycle(os.environ.get("BENCH_TOKENS", "").split(","))
ANSWERS = {
    "truefalse": True,
    "numeric": 1,
    "short": "dice",
    "open": "Class weights rescale the loss by inverse frequency.",
}


class Candidate(FastHttpUser):
    # Reading and typing between requests: 1–3 s, far busier than a person taking a quiz.
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Token {next(TOKENS)}"}

    def _answer(self, item: dict):
        if item["exercise"]:
            return {field["name"]: 0.5 for field in item["exercise"]["fields"]}
        # Choices are answered by the opaque ids the API lists, never by index (an index is
        # refused with 400, which locust counts as a failure).
        if item["type"] == "single":
            return item["choices"][0]["id"]
        if item["type"] == "multiple":
            return [item["choices"][0]["id"]]
        return ANSWERS[item["type"]]

    @task
    def take_a_set_then_an_exercise(self) -> None:
        # self.wait() is the candidate reading or typing before the next request.
        self.client.get(os.environ["BENCH_TERM"], name="GET glossary term page")
        self.wait()
        self.client.get(os.environ["BENCH_QUESTION"], name="GET question page")
        self.wait()
        started = self.client.post(
            "/api/attempts/",
            json={"set": os.environ["BENCH_SET"]},
            headers=self.headers,
            name="POST /api/attempts/ (start)",
        )
        attempt = started.json()
        base = f"/api/attempts/{attempt['id']}/"
        for item in attempt["items"]:
            self.wait()
            self.client.put(
                f"{base}answers/{item['position']}/",
                json={"answer": self._answer(item)},
                headers=self.headers,
                name="PUT /api/attempts/{id}/answers/{n}/",
            )
        self.wait()
        self.client.post(f"{base}finish/", headers=self.headers, name="POST …/finish/")
        self.client.get(base, headers=self.headers, name="GET /api/attempts/{id}/ (review)")
        seed = random.randrange(1_000_000)
        exercise = f"/api/exercises/classification/{seed}/"
        fields = self.client.get(
            f"{exercise}?level=easy", headers=self.headers, name="GET /api/exercises/{kind}/{seed}/"
        ).json()["fields"]
        self.wait()
        self.client.post(
            f"{exercise}check/",
            headers=self.headers,
            name="POST …/check/ (exercise)",
            json={"level": "easy", "answers": {f["name"]: 0.5 for f in fields}},
        )
