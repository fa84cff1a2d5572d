"""The API's JSON parser: DRF's, refusing a body nested deeper than any request needs.

Python's json decoder recurses once per array or object: about 1,000 levels raise a
RecursionError, which DRF's parser does not catch (it catches ValueError), so a 100,000-deep
body of 200 KB was a 500. Fewer levels parse, but the data then reaches code that walks it
recursively (serializers, JSON fields, the renderer). So the depth is counted first, by a
flat scan that stops at the limit, and a deeper body is a 400 with one sentence.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

# The deepest body the API takes is an answer list inside a request: three levels.
MAX_JSON_DEPTH = 32
# Strings are skipped whole, so brackets inside them do not count. Bytes, not text: JSON
# over HTTP is UTF-8 (RFC 8259), where no byte of a multi-byte character is a bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """True if arrays and objects nest more than `limit` deep; no recursion, stops early."""
    if body.count(b"[") + body.count(b"{") <= limit:  # most bodies: too few to nest that deep
        return False
    depth = 0
    for token in _TOKENS.finditer(body):
        char = token.group()
        if char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif char in (b"]", b"}"):
            depth -= 1
    return False


class JSONParser(DRFJSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        # The body is at most DJANGO_MAX_BODY_BYTES (1 MB) by now: reading it whole is bounded.
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body, MAX_JSON_DEPTH):
            raise ParseError(
                f"The JSON body nests arrays or objects more than {MAX_JSON_DEPTH} levels deep; "
                "no request to this API needs more than a few: flatten it."
            )
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except ParseError as error:
            # Python's own words for an integer of over 4,300 digits mention its internals.
            if "Exceeds the limit" in str(error.detail):
                raise ParseError(
                    "A number in the JSON body has thousands of digits; send numbers of a "
                    "sensible size."
                ) from None
            raise
