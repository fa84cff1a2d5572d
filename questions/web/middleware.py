"""Refuse request bodies over the limit before anything reads them.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only when a form or `request.body` is parsed, and
DRF's JSON parser reads the stream directly, so the check lives here, on Content-Length, for
every path. Bodies sent without a length (chunked) are capped by the same setting as Django
reads them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .errors import wants_json


class BodySizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return self._too_large(request, length, limit)
        return self.get_response(request)

    def _too_large(self, request: HttpRequest, length: int, limit: int) -> HttpResponse:
        message = (
            f"The request body is {length // 1024} KB; the limit is {limit // 1024} KB. "
            "Send less (a set file is at most 256 KB)."
        )
        if wants_json(request):
            return JsonResponse({"detail": message}, status=413)
        html = render_to_string("errors/413.html", {"message": message}, request=request)
        return HttpResponse(html, status=413)
