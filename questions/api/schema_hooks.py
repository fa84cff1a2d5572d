"""Schema post-processing: every operation documents the error answers it can give, all in
the one error shape, so clients (and the schemathesis test) know what to expect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.request import Request

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "One sentence saying what went wrong."},
        "errors": {
            "type": "object",
            "description": "For invalid input: field name → message(s).",
            "additionalProperties": {},
        },
    },
    "required": ["detail"],
}
COMMON = {
    "400": "Invalid input: `detail` says what to fix, `errors` which fields.",
    "401": "Not logged in (send a session cookie or `Authorization: Token <key>`).",
    "403": "Logged in, but not allowed (e.g. not an interviewer), or a missing CSRF token.",
    "404": "No such object, or it belongs to someone else.",
    "413": "The request body is larger than the limit (1 MB by default).",
    "429": "Too many requests: wait the seconds given in `Retry-After`.",
}


def document_errors(
    result: dict[str, Any], generator: SchemaGenerator, request: Request | None, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return result
