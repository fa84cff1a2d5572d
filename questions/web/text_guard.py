"""Refuse text that no database column can hold, before a view sends it to a query.

PostgreSQL rejects NUL (U+0000) in any string it is given, so a search for `q=%00`, or an
invite token or exercise seed taken from the path, would be a 500 at the first filter. The
path and every query-string key and value are checked here, for every request; posted
answers are checked where they are read (quizzes.services.normalize_response), and forms by
Django's own validators.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .errors import wants_json

MESSAGE = (
    "The address holds a character that no page or search can use (a NUL byte, %00): "
    "remove it and try again."
)


class RefuseUnstorableQuery:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value for key, value in request.GET.items()
        ):
            if wants_json(request):
                return JsonResponse({"detail": MESSAGE}, status=400)
            html = render_to_string("errors/400.html", {"message": MESSAGE}, request=request)
            return HttpResponse(html, status=400)
        return self.get_response(request)
