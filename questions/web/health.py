"""/healthz: the cheapest possible Django view. Load balancers poll it to see that a worker
answers, and the load benchmark uses it as the framework's own ceiling on this machine."""

from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")
