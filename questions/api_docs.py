"""Interactive API docs at /api/docs/, served from the site (drf-spectacular's sidecar
files, no CDN) under the site's Content-Security-Policy: the split view loads its start-up
script from a URL instead of inlining it, and our template drops the inline <style>."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "ImagingPrep API"
