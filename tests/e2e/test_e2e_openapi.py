"""The served OpenAPI document against a real `inspector-hq serve` process (SQLite and
PostgreSQL): the errors a hostile or buggy client provokes are answered as documented.

Each request below is sent over HTTP by schemathesis and validated with its conformance checks
against the document the server itself serves: no 5xx, a documented status code and content
type, a body of the documented schema (every error an ErrorBody {code, message, detail}).
tests/hq/test_schemathesis.py generates requests over every operation in-process; these are
the ones found to break it, and the answers FastAPI gives by itself (400, 415, 422).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from e2e_support import HqServer

from inspector_app.hq.blob_api import OFFSET_CONTENT_TYPE
from inspector_app.wire import API

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup  # noqa: E402

# A chunk (PATCH /blobs/{sha256}) is raw bytes, sent as the document says.
schemathesis.serializer.alias(OFFSET_CONTENT_TYPE, "application/octet-stream")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
NUL = "\x00"
SHA = "0" * 64


def _visit(officer_id: str, borrower_id: str, visit_id: str, **changes: Any) -> dict[str, Any]:
    visit = {"id": visit_id, "borrower_id": borrower_id, "officer_id": officer_id,
             "kind": "routine", "status": "completed", "template_refs": ["routine@1"],
             "revision": 1, "visit_date": "2026-11-20", "place": "厂区", "general_note": "正常"}
    return {"base_version": 0, "visit": {**visit, **changes}}


def _follow_up(**changes: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "action": "clear", "reason": "已核实",
            "at": datetime.now(UTC).isoformat(), **changes}


def test_hostile_requests_get_documented_answers(hq_server: HqServer) -> None:
    schema = schemathesis.openapi.from_url(f"{hq_server.url}/openapi.json")
    components = schema.raw_schema["components"]["schemas"]
    assert "HTTPValidationError" not in components and "ValidationError" not in components
    officer = {"Authorization": f"Bearer {hq_server.token('off_a')}"}
    supervisor = {"Authorization": f"Bearer {hq_server.token('sup1')}"}
    with httpx.Client(base_url=hq_server.url, timeout=30) as http:
        me = http.get(f"{API}/pull", headers=officer).json()["changes"]
    officer_id = next(c["id"] for c in me if c["entity"] == "user" and c["data"]["username"]
                      == "off_a")
    borrower_id = next(c["id"] for c in me if c["entity"] == "borrower")
    long_id = "v" * 37
    probes: list[tuple[str, str, dict[str, Any], dict[str, str], int]] = [
        # (method, path template, Case arguments, headers, the status expected)
        ("PUT", "/visits/{visit_id}", {"path_parameters": {"visit_id": NUL},
                                       "body": _visit(officer_id, borrower_id, NUL)},
         officer, 422),
        ("PUT", "/visits/{visit_id}", {"path_parameters": {"visit_id": long_id},
                                       "body": _visit(officer_id, borrower_id, long_id)},
         officer, 422),
        ("PUT", "/visits/{visit_id}", {"path_parameters": {"visit_id": "v1"},
                                       "body": _visit(officer_id, NUL, "v1")}, officer, 422),
        ("PUT", "/visits/{visit_id}", {"path_parameters": {"visit_id": "v2"},
                                       "body": _visit(officer_id, borrower_id, "v2",
                                                      general_note=f"a{NUL}b")},
         officer, 422),
        ("GET", "/visits/{visit_id}", {"path_parameters": {"visit_id": NUL}}, supervisor, 422),
        ("POST", "/visits/{visit_id}/review",
         {"path_parameters": {"visit_id": NUL}, "body": {"decision": "approved",
                                                         "decided_at": _follow_up()["at"]}},
         supervisor, 422),
        ("POST", "/signals/{signal_id}/follow-ups",
         {"path_parameters": {"signal_id": NUL}, "body": _follow_up()}, supervisor, 422),
        ("POST", "/signals/{signal_id}/follow-ups",
         {"path_parameters": {"signal_id": "s1"}, "body": _follow_up(id=NUL)}, supervisor, 422),
        ("POST", "/signals/{signal_id}/follow-ups",
         {"path_parameters": {"signal_id": "s1"}, "body": _follow_up(reason=NUL)},
         supervisor, 422),
        ("POST", "/devices/register",
         {"body": {"username": NUL, "password": "x", "device_name": "d"}}, {}, 422),
        # What FastAPI answers by itself: a body that is not UTF-8 JSON is 400.
        ("POST", "/devices/register", {"body": b"\x80\x81", "media_type": "application/json"},
         {}, 400),
        ("GET", "/pull", {"query": {"cursor": -1}}, officer, 422),
        ("GET", "/visits", {"query": {"limit": 0}}, supervisor, 422),
        ("GET", "/blobs/{sha256}", {"path_parameters": {"sha256": "x"}}, officer, 422),
        ("PATCH", "/blobs/{sha256}", {"path_parameters": {"sha256": SHA}, "body": b"abc",
                                      "media_type": "application/octet-stream",
                                      "headers": {"Upload-Offset": "0", "Upload-Length": "3"}},
         officer, 415),
        ("PATCH", "/blobs/{sha256}", {"path_parameters": {"sha256": SHA}, "body": b"abc",
                                      "media_type": "application/offset+octet-stream",
                                      "headers": {"Upload-Offset": "5", "Upload-Length": "3"}},
         officer, 400),
        ("PATCH", "/blobs/{sha256}", {"path_parameters": {"sha256": SHA}, "body": b"abc",
                                      "media_type": "application/offset+octet-stream",
                                      "headers": {"Upload-Offset": "0",
                                                  "Upload-Length": str(1 << 40)}},
         officer, 413),
        ("GET", "/pull", {}, {"Authorization": "Bearer nobody"}, 401),
    ]
    wrong = []
    for number, (method, path, arguments, headers, expected) in enumerate(probes):
        arguments = dict(arguments)
        headers = {**headers, **arguments.pop("headers", {})}
        case = schema[API + path][method].Case(**arguments)
        try:
            response = case.call_and_validate(base_url=hq_server.url, headers=headers,
                                              checks=CHECKS)
        except FailureGroup as e:  # every probe's failure, not just the first
            wrong.append(f"probe {number}, {method} {path}: {e}")
            continue
        if response.status_code != expected:
            wrong.append(f"probe {number}, {method} {path}: {response.status_code}, "
                         f"expected {expected}: {response.text[:300]}")
    assert not wrong, "\n\n".join(wrong)
    assert hq_server.unexpected_errors() == []
