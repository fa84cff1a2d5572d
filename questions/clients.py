"""Who is asking: the client's address, behind as many trusted proxies as the deployment has.

Every throttle that counts per address takes it from client_address(request), never from
REMOTE_ADDR or X-Forwarded-For directly. Behind the README's load balancer REMOTE_ADDR is the
balancer's own address, so counting it would make one client's failures everyone's; and the
left-hand entries of X-Forwarded-For are whatever the client wrote, so counting those would let
one client pose as a thousand.

TRUSTED_PROXY_HOPS (setting and environment variable, default 0) is the number of proxies in
front of the app servers that append the address they saw to X-Forwarded-For. With 0 the
header is ignored; with N the client is the N-th entry from the right, the one the outermost
trusted proxy wrote. DRF's throttles use the same rule (NUM_PROXIES is set from this setting),
so the API and the pages count the same client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the outermost trusted proxy saw it ("" if unknown)."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if hops <= 0 or not forwarded:
        return remote
    entries = str(forwarded).split(",")
    # Fewer entries than hops: the request skipped a proxy; take the oldest, as DRF does.
    return entries[-min(hops, len(entries))].strip()
