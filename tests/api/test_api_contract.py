"""The API's shared rules: one error shape, throttling, pagination on every list, and docs
served from the site itself."""

import re

import pytest
import yaml
from rest_framework.throttling import SimpleRateThrottle


@pytest.fixture
def schema(db, client) -> dict:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_openapi_3_and_lists_every_api_route(schema):
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/attempts/",
        "/api/me/progress/",
        "/api/me/history/",
        "/api/me/review/",
        "/api/sets/",
        "/api/sets/{set_id}/invites/",
        "/api/sets/{set_id}/results/",
        "/api/exercises/{kind}/{seed}/check/",
    } <= set(schema["paths"])


def test_every_list_is_paginated(schema):
    lists = 0
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        body = get["responses"]["200"]["content"]["application/json"]["schema"]
        if "$ref" in body:
            body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
        assert body.get("type") != "array", f"{path} returns a bare list: paginate it"
        if "results" in body.get("properties", {}):
            lists += 1
            assert {"count", "next", "previous"} <= set(body["properties"]), path
    assert lists >= 7


def test_every_operation_documents_the_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404", "429"):
                assert code in operation["responses"], (method, path, code)


def test_errors_have_one_shape(db, client):
    not_found = client.get("/api/attempts/00000000-0000-0000-0000-000000000000/")
    unknown_route = client.get("/api/no-such-thing/")
    invalid = client.post("/api/attempts/", {"count": "many"}, content_type="application/json")
    forbidden = client.get("/api/sets/")
    for response, status in (
        (not_found, 404),
        (unknown_route, 404),
        (invalid, 400),
        (forbidden, 403),
    ):
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert invalid.json()["errors"]["count"] == ["A valid integer is required."]


def test_clients_over_their_rate_are_throttled_with_a_clear_answer(db, client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    codes = [client.get("/api/exercises/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/exercises/")
    assert re.fullmatch(
        r"Request was throttled\. Expected available in \d+ seconds\.", refused.json()["detail"]
    )
    assert int(refused["Retry-After"]) > 0


def test_the_docs_are_served_from_the_site(db, client):
    page = client.get("/api/docs/").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(src.startswith("/") for src in sources), sources
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and b"/api/schema/" in script.content
    assert "unsafe-inline" not in client.get("/api/docs/")["Content-Security-Policy"]
