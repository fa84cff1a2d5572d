"""Draw the content of a quiz: which items, in which order, and glossary items. Pure Python.

Everything random takes a `random.Random`, so tests can seed it; the attempt stores what was
drawn, so a reload shows the same quiz.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

DISTRACTORS = 3


@dataclass(frozen=True)
class TermInfo:
    id: str
    term: str
    definition: str
    topic: str
    topic_title: str
    see_also: tuple[str, ...] = field(default=())


def shuffled(rng: random.Random, count: int) -> list[int]:
    order = list(range(count))
    rng.shuffle(order)
    return order


def pick_distractors(rng: random.Random, target: TermInfo, terms: list[TermInfo]) -> list[TermInfo]:
    """Plausible wrong answers: the target's see-also terms first, then its topic, then any."""
    by_id = {term.id: term for term in terms}
    related = [by_id[ref] for ref in target.see_also if ref in by_id and ref != target.id]
    same_topic = [t for t in terms if t.topic == target.topic and t.id != target.id]
    others = [t for t in terms if t.topic != target.topic]
    chosen: list[TermInfo] = []
    for pool in (related, same_topic, others):
        pool = [t for t in pool if t not in chosen]
        rng.shuffle(pool)
        chosen += pool[: DISTRACTORS - len(chosen)]
        if len(chosen) == DISTRACTORS:
            break
    return chosen


def glossary_item(rng: random.Random, target: TermInfo, terms: list[TermInfo]) -> dict:
    """A single-choice item: which term does this definition describe?"""
    options = [target, *pick_distractors(rng, target, terms)]
    choices = [
        {
            "text_html": html.escape(option.term),
            "correct": option is target,
            "feedback_html": (
                "This is the term defined."
                if option is target
                else f"{html.escape(option.term)} is different: {html.escape(option.definition)}"
            ),
        }
        for option in options
    ]
    return {
        "type": "single",
        "title": "Which term is defined?",
        "prompt_html": (
            "<p>Which term does this definition describe?</p>"
            f"<blockquote><p>{html.escape(target.definition)}</p></blockquote>"
        ),
        "choices": choices,
        "explanation_html": (
            f"<p><strong>{html.escape(target.term)}</strong>: {html.escape(target.definition)}</p>"
        ),
        "topic_title": target.topic_title,
        "term_id": target.id,
    }
