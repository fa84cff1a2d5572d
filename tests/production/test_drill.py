"""The failure drill's verdict (benchmarks/drill.py): the pass/fail rules, without servers."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "drill.py"
spec = importlib.util.spec_from_file_location("drill", SCRIPT)
drill = importlib.util.module_from_spec(spec)
sys.modules["drill"] = drill  # dataclasses look their module up while the class is built
spec.loader.exec_module(drill)

KILL = drill.Step("kill", "host A killed", at=100.0, until=110.0, may_fail_once=True)
RELOAD = drill.Step("reload", "host B reloaded", at=110.0, until=120.0, may_fail_once=False)


def ok(at, tries=1, name="answer"):
    return drill.Outcome(name, started=at - 0.1, ended=at, tries=tries, status=200, ok=True)


def failed(at, tries=4, status=502):
    return drill.Outcome("answer", started=at - 1, ended=at, tries=tries, status=status, ok=False)


def test_a_step_passes_when_every_request_landed_and_every_answer_is_stored():
    verdict = drill.judge(KILL, [ok(101), ok(102), ok(105)], acknowledged=3, stored=3)

    assert verdict.passed
    assert (verdict.requests, verdict.first_try_failures, verdict.recovery_seconds) == (3, 0, 0)


def test_an_acknowledged_answer_missing_from_the_database_fails_the_step():
    verdict = drill.judge(KILL, [ok(101)], acknowledged=5, stored=4)

    assert not verdict.passed
    assert verdict.reasons == ["1 acknowledged answers are not in the database"]


def test_in_flight_requests_may_fail_once_where_the_step_allows_it():
    verdict = drill.judge(KILL, [ok(101, tries=2), ok(103)], acknowledged=2, stored=2)

    assert verdict.passed
    assert verdict.first_try_failures == 1
    assert verdict.recovery_seconds == 1.0
    assert verdict.failures == ["answer: 2 tries, last status 200"]


def test_a_request_that_needed_a_third_try_fails_even_where_one_failure_is_allowed():
    verdict = drill.judge(KILL, [ok(101, tries=3)], acknowledged=1, stored=1)

    assert not verdict.passed
    assert verdict.reasons == ["a request needed 3 tries (at most 2 allowed)"]


def test_a_request_that_never_landed_fails_the_step():
    verdict = drill.judge(KILL, [failed(104, status=0)], acknowledged=0, stored=0)

    assert not verdict.passed
    assert "1 requests failed even after their retries" in verdict.reasons
    assert verdict.failures == ["answer: 4 tries, last status no answer"]


def test_a_graceful_reload_allows_no_failure_at_all():
    verdict = drill.judge(RELOAD, [ok(111), ok(112, tries=2)], acknowledged=2, stored=2)

    assert not verdict.passed
    assert verdict.reasons == ["1 requests failed (none allowed)"]


def test_a_request_counts_in_the_step_in_which_it_ended():
    # Started before host A died, failed by its death, retried on B: the kill step's.
    in_flight = drill.Outcome("finish", started=99.0, ended=100.5, tries=2, status=200, ok=True)

    kill = drill.judge(KILL, [in_flight], acknowledged=0, stored=0)
    before = drill.judge(
        drill.Step("warm", "warm-up", 90.0, 100.0, False), [in_flight], acknowledged=0, stored=0
    )

    assert kill.first_try_failures == 1 and kill.passed
    assert before.requests == 0


def test_a_step_in_which_no_request_was_made_proves_nothing():
    verdict = drill.judge(RELOAD, [ok(101)], acknowledged=0, stored=0)

    assert not verdict.passed
    assert verdict.reasons == ["no request was made in the step's window"]


@pytest.mark.parametrize("passed", [True, False])
def test_the_markdown_table_says_pass_or_why_not(passed):
    outcomes = [ok(101)] if passed else [failed(101, tries=2)]
    verdict = drill.judge(KILL, outcomes, acknowledged=1, stored=1)

    row = drill.markdown([verdict]).splitlines()[-1]

    assert row.startswith("| host A killed | 1 | ")
    assert row.endswith("| pass |" if passed else "even after their retries |")
