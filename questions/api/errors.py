"""Every API error has the same body: {"detail": "<one sentence>"}, plus "errors" (field →
messages) when input failed validation, so clients can always show `detail`."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _messages(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def error_response(exc: Exception, context: dict) -> Response | None:
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, ValidationError):
        return response
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"detail": " ".join(_messages(data["detail"]))}
        return response
    errors = data if isinstance(data, dict) else {"non_field_errors": data}
    fields = [name for name in errors if name != "non_field_errors"]
    if fields:
        detail = f"Some fields are invalid: {', '.join(fields)}."
    else:
        detail = " ".join(_messages(errors))
    response.data = {"detail": detail, "errors": errors}
    return response
