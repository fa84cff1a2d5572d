"""Taking a quiz through the site as a candidate does: the start page, then Start."""

from django.test import Client

from questions.models import Attempt


def press_start(client: Client, attempt: Attempt | str | None = None, layout: str = "all") -> str:
    """Press Start on the start page of `attempt` (an attempt, its URL, or the client's latest
    ready one); the clock starts here. Returns the attempt's URL."""
    if attempt is None:
        attempt = Attempt.objects.filter(deadline__isnull=True).latest("started_at")
    url = attempt if isinstance(attempt, str) else attempt.get_absolute_url()
    response = client.post(f"{url}start/", {"layout": layout})
    assert response.status_code == 302, response.content
    return url


def start_quiz(client: Client, data: dict, layout: str = "all") -> str:
    """Start a quiz from /quizzes/ and press Start; returns the attempt's URL."""
    response = client.post("/quizzes/start/", data)
    assert response.status_code == 302, response.content
    return press_start(client, response["Location"], layout)
