"""The OpenAPI schema at /api/schema/ and interactive docs at /api/docs/, served from the site
(drf-spectacular's sidecar files, no CDN) under the site's Content-Security-Policy: the split
view loads its start-up script from a URL instead of inlining it, and our template drops the
inline <style>.

drf-spectacular's views import its schema generator (~80 ms); they are built on first use so
that start-up (`manage.py check`, each gunicorn boot) does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse


@cache
def _views() -> dict[str, Callable[..., HttpResponse]]:
    from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

    class SwaggerDocs(SpectacularSwaggerSplitView):
        template_name = "api/swagger_ui.html"
        title = "ImagingPrep API"

    return {
        "schema": SpectacularAPIView.as_view(),
        "docs": SwaggerDocs.as_view(url_name="schema"),
    }


def schema(request: HttpRequest) -> HttpResponse:
    return _views()["schema"](request)


def docs(request: HttpRequest) -> HttpResponse:
    return _views()["docs"](request)
