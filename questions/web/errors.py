"""What a visitor sees when a request fails: a page in the site's style, or, under /api/,
a JSON body shaped like every other API error ({"detail": ...})."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

MESSAGES = {
    400: "The request could not be understood (it may be too large or malformed).",
    403: "You do not have permission to do that.",
    404: "Not found.",
    500: "Something went wrong on our side. It has been logged; please try again.",
}


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(status: int) -> JsonResponse:
    return JsonResponse({"detail": MESSAGES[status]}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return _json(400)
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return _json(403)
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return _json(404)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        return _json(500)
    # No context processors: the failure may have come from one of them.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if wants_json(request):
        return JsonResponse(
            {"detail": f"CSRF check failed: {reason}. Send the csrftoken from the form."},
            status=403,
        )
    return render(request, "errors/403_csrf.html", status=403)
