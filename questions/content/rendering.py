"""Stored HTML of content items: each field of a term or question through the one renderer.

Pure Python: no Django. The renderer itself is questions.markup.
"""

from __future__ import annotations

from typing import Any

from ..markup import plain_text, render_markdown
from .schema import GlossaryItem, QuestionItem


def render_sources(sources: list[str]) -> list[str]:
    return [render_markdown(source, inline=True) for source in sources]


def render_term(item: GlossaryItem) -> dict[str, Any]:
    """The stored HTML of a glossary term (a schema.GlossaryItem)."""
    return {"body_html": render_markdown(item.body), "sources_html": render_sources(item.sources)}


def render_question(item: QuestionItem) -> dict[str, Any]:
    """The stored HTML of a question (a schema.QuestionItem)."""
    prompt_html = render_markdown(item.prompt)
    return {
        "prompt_html": prompt_html,
        "sources_html": render_sources(item.sources),
        "choices": [
            {
                "text_html": render_markdown(choice.text, inline=True),
                "correct": choice.correct,
                "feedback_html": render_markdown(choice.feedback, inline=True),
            }
            for choice in item.choices
        ],
        "explanation_html": render_markdown(item.explanation),
        "model_answer_html": render_markdown(item.model_answer),
        "rubric": [render_markdown(point, inline=True) for point in item.rubric],
        "interviewer_notes_html": render_markdown(item.interviewer_notes),
        "search_text": " ".join([item.title, plain_text(prompt_html), *item.tags]).lower(),
    }
