"""PUT /api/attempts/{id}/answers/{n}/ without DRF's request machinery, for the usual request.

Saving an answer is the API's busiest write: a candidate's page saves each choice as it is
made. Through DRF it cost about 5 ms of CPU (the bare /healthz view: under 0.5 ms), much of
it building DRF's Request, negotiating, parsing, validating a one-field serializer and
rendering, none of which this route needs for its ordinary request: a JSON body
`{"answer": …}` with a token or a session, asking for JSON.

So this view serves exactly that request, and hands every other one, unchanged, to the DRF
view (`views.attempt_answer`), which stays the route's contract and its OpenAPI operation:
another content type, an Accept header or `?format=` that could choose another renderer,
a body that does not parse or validate, an Authorization header that is not a well-formed
token, a token that is unknown or whose user is inactive, a session write whose CSRF check
fails. DRF answers those (401, 403, 400, 406, 415) as before, and none of them has been
counted by the throttle yet: the hand-over happens before this view throttles. What this
view does answer, it answers as DRF would: the same authentication rules (a token needs no
CSRF token; a session, logged in or not, does), the same throttle classes and counts, the
same statuses, bodies and headers (tests/api/test_answer_parity.py sends the same requests
to both).
"""

from __future__ import annotations

import json
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from rest_framework.authentication import CSRFCheck
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.json import strict_constant

from ..models import Attempt
from ..models.rows import Columns, per_connection
from ..owners import request_owner
from ..quizzes import services as service
from ..quizzes.grading import InvalidAnswer
from . import views
from .parsers import MAX_JSON_DEPTH, json_depth_exceeds

drf_view = views.attempt_answer
# As DRF's view sends them on every answer (finalize_response; @api_view keeps its methods
# in a set, so their order is the DRF view's own, whatever it is in this process).
_HEADERS = {"Allow": ", ".join(drf_view.cls().allowed_methods), "Vary": "Accept"}
# Accept headers for which DRF's content negotiation picks its JSON renderer.
_JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})
_renderer = JSONRenderer()
_MISSING = object()


def _respond(data: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        _renderer.render(data), status=status, content_type=_renderer.media_type
    )
    for name, value in {**_HEADERS, **headers}.items():
        response[name] = value
    return response


def _answer_in(request: HttpRequest) -> Any:
    """The answer of a plain JSON request that DRF would parse and validate the same way;
    _MISSING for any other request."""
    meta = request.META
    if (
        request.method != "PUT"
        or meta.get("QUERY_STRING")
        or meta.get("HTTP_ACCEPT", "").strip() not in _JSON_ACCEPTS
        or request.content_type != "application/json"
        or (request.content_params or {}).get("charset", "utf-8").lower() not in ("utf-8", "utf8")
    ):
        return _MISSING
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _MISSING
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if length <= 0 or (limit is not None and length > limit):
        return _MISSING
    body = request.body  # kept by Django: the DRF view can read it again after us
    if json_depth_exceeds(body, MAX_JSON_DEPTH):
        return _MISSING
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=strict_constant)
    except (ValueError, RecursionError):  # DRF's parser has its own words for these
        return _MISSING
    # AnswerSerializer: one required, non-null JSON field; anything else is DRF's 400.
    if not isinstance(data, dict) or data.get("answer") is None:
        return _MISSING
    return data["answer"]


@per_connection
def _token_user(connection: BaseDatabaseWrapper) -> tuple[str, Columns[User]]:
    """The token's user's id and is_active, in SQL written once: compiling it was a tenth of
    an answer, and a RawQuerySet's own machinery half of what was left."""
    q = connection.ops.quote_name
    user = Columns.of(User, ("is_active",), "u", connection)
    return (
        f"SELECT {user.sql} FROM {q(User._meta.db_table)} u"
        f" INNER JOIN {q(Token._meta.db_table)} t"
        f" ON t.{q(Token._meta.get_field('user').column)} = u.{q(User._meta.pk.column)}"
        f" WHERE t.{q(Token._meta.pk.column)} = %s",
        user,
    )


def _authenticated(request: HttpRequest) -> bool:
    """Set request.user as DRF's two authentication classes would; False where DRF would
    refuse the request (or might: anything unusual is left to it)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        # Split and decoded as DRF does (get_authorization_header): bytes, so that only ASCII
        # whitespace separates the scheme from the key.
        raw = header.encode("iso-8859-1", "replace")
        parts = raw.split()
        if len(parts) != 2 or parts[0].lower() != b"token":
            return False
        # The site's SessionAuthentication, which runs first in DRF, steps aside only for a
        # header whose scheme ends at a plain space ("Token\t…" keeps the session and its
        # CSRF rule there): anything else is DRF's to decide.
        if raw.split(b" ", 1)[0].lower() != b"token":
            return False
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            return False
        # The token's user in one query, with only the columns used here (the owner check
        # needs the id; DRF refuses inactive users).
        connection = connections[router.db_for_read(User)]
        sql, columns = _token_user(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            return False
        found = columns.instance(row, connection)
        if not found.is_active:
            return False
        request.user = found  # no session is read for a token request
        return True
    user = request.user
    if user.is_active or settings.SESSION_COOKIE_NAME in request.COOKIES:
        # questions.api.authentication.SessionAuthentication: a session's writes, logged in
        # or not, carry the CSRF token.
        check = CSRFCheck(lambda request: HttpResponse())
        check.process_request(request)
        if check.process_view(request, None, (), {}) is not None:  # type: ignore[arg-type]
            return False
    if not user.is_active:
        request.user = AnonymousUser()
    return True


def _throttled(request: HttpRequest) -> HttpResponse | None:
    """DRF's check_throttles, with the DRF view's own throttle classes."""
    waits = [
        throttle.wait()
        for throttle in (cls() for cls in drf_view.cls.throttle_classes)
        if not throttle.allow_request(request, None)  # type: ignore[arg-type]
    ]
    if not waits:
        return None
    refused = Throttled(max((w for w in waits if w is not None), default=None))
    wait = refused.wait  # type: ignore[attr-defined]  # set by Throttled.__init__
    headers = {"Retry-After": str(wait)} if wait else {}
    return _respond({"detail": refused.detail}, refused.status_code, **headers)


@wraps(drf_view)  # carries its csrf_exempt, and its DRF class for the schema generator
def attempt_answer(request: HttpRequest, attempt_id: UUID, position: int) -> HttpResponse:
    answer = _answer_in(request)
    if answer is _MISSING or not _authenticated(request):
        return drf_view(request, attempt_id=attempt_id, position=position)
    refused = _throttled(request)
    if refused is not None:
        return refused
    try:
        item = service.owned_attempt_answer(
            owner=request_owner(request, create=False),
            attempt_id=attempt_id,
            position=position,
            response=answer,
        )
    except Attempt.DoesNotExist:
        return _respond({"detail": "No such quiz attempt."}, 404)
    except service.AttemptClosed as error:
        return _respond({"detail": str(error), "finished": True}, 409)
    except service.NotStarted as error:
        return _respond({"detail": str(error)}, 409)
    except (service.QuizError, InvalidAnswer) as error:
        return _respond({"detail": str(error)}, 400)
    return _respond({"position": item.position, "answer": item.answer_for_client, "saved": True})
