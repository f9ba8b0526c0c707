"""Schemathesis over the served OpenAPI: every answer is one the document promises.

The schema is the app's own (``create_app(...).openapi()``; it does not depend on the
database), so pytest gets one test per operation and role at collection. Each test runs the
generated cases (valid and invalid ones: schemathesis' positive and negative modes) in-process
(ASGI) against a fresh headquarters with the standard world, with a real device token, an
officer's and a supervisor's, so the protected handlers are reached and not only their 401.
A generated push is made to name the path's visit, off_a and off_a's borrower (a draft, no
blobs), so its generated content reaches storage instead of stopping at the first check.

Checks: no 5xx, and conformance — the status code is one the operation documents, the
content type is the documented one for that status, and the body validates against the
documented schema (an error's is ErrorBody {code, message, detail}, FastAPI's own 422
included), and the headers an answer is documented with (Upload-Offset, Upload-Length,
Retry-After, WWW-Authenticate) are there, of their documented type. The run is
derandomized with a fixed number of examples, so it takes the same time, and finds the same
things, every run.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hq_helpers import World, register  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient  # noqa: E402

from inspector_app.hq.app import create_app  # noqa: E402
from inspector_app.hq.blob_api import OFFSET_CONTENT_TYPE  # noqa: E402
from inspector_app.wire import API  # noqa: E402

# The OpenAPI document does not look at app.state.hq.
schema = schemathesis.openapi.from_dict(create_app(None).openapi())  # type: ignore[arg-type]

# A chunk (PATCH /blobs/{sha256}) is raw bytes, sent as the document says.
schemathesis.serializer.alias(OFFSET_CONTENT_TYPE, "application/octet-stream")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
USERS = {"officer": "off_a", "supervisor": "sup1"}
# The audit trail and the whole-bank dashboard answer administrators (an officer gets 403, a
# supervisor their team's figures, covered above): their filters and paging are reached with
# the administrator's device.
ADMIN_ONLY = schema.include(path_regex=f"^{API}/(audit|dashboard)")


@pytest.fixture
def api(client: TestClient, world: World, role: str) -> tuple[Any, dict[str, str], World]:
    """The app over a fresh headquarters with the standard world, the headers of a device
    registered by the role's user, and the world."""
    username = {**USERS, "admin": "admin"}[role]
    return (client.app, register(client, username, device_name=f"schemathesis-{role}"),
            world)


def _reaching_storage(case: Any, world: World) -> None:
    """A generated push made one that gets past the first checks, so its content reaches
    storage: the body's visit is the path's, a draft of a routine visit by off_a of one of
    off_a's borrowers, with no photos or reports (their blobs would have to be uploaded)."""
    visit = case.body.get("visit") if isinstance(case.body, dict) else None
    visit_id = case.path_parameters.get("visit_id") if case.path_parameters else None
    if isinstance(visit, dict) and isinstance(visit_id, str):
        visit.update(id=visit_id, officer_id=world.users["off_a"],
                     borrower_id=world.borrowers["C001"], kind="routine", status="draft",
                     photos=[], reports=[])


@pytest.mark.parametrize("role", sorted(USERS))
@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_answer_conforms_to_the_document(
        case: Any, api: tuple[Any, dict[str, str], World], role: str) -> None:
    app, headers, world = api
    if case.operation.label == f"PUT {API}/visits/{{visit_id}}":
        _reaching_storage(case, world)
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)


@pytest.mark.parametrize("role", ["admin"])
@ADMIN_ONLY.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_administrators_reads_conform(
        case: Any, api: tuple[Any, dict[str, str], World], role: str) -> None:
    app, headers, _world = api
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)


def test_the_document_names_the_real_error_bodies() -> None:
    """Every operation documents FastAPI's own answers as the server gives them: 422 as an
    ErrorBody (InvalidRequestBody), never FastAPI's default HTTPValidationError; 400 and 413
    on every operation with a JSON body; 401 and 403 on every one that takes a token."""
    document = create_app(None).openapi()  # type: ignore[arg-type]
    assert not {"HTTPValidationError", "ValidationError"} & set(document["components"]["schemas"])
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            responses = operation["responses"]
            refs = json.dumps(responses["422"])
            assert "#/components/schemas/InvalidRequestBody" in refs, label
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body:
                assert {"400", "413"} <= set(responses), label
            if not path.endswith("/devices/register"):
                assert {"401", "403"} <= set(responses), label
            for status, response in responses.items():
                if status.startswith(("4", "5")) and method != "head":
                    assert "#/components/schemas/ErrorBody" in json.dumps(response), (label,
                                                                                    status)


def test_the_document_names_the_headers_the_answers_carry() -> None:
    """The resumable upload's offset, the sign-in limit's Retry-After and the token scheme
    are documented on the answers that carry them (they were not, issue #12)."""
    paths = create_app(None).openapi()["paths"]  # type: ignore[arg-type]
    blob = paths[f"{API}/blobs/{{sha256}}"]
    for method, status in (("head", "200"), ("head", "206"), ("head", "404"),
                           ("patch", "204"), ("patch", "409")):
        headers = blob[method]["responses"][status]["headers"]
        assert headers["Upload-Offset"]["schema"] == {"type": "integer"}, (method, status)
    assert "Upload-Length" in blob["head"]["responses"]["200"]["headers"]
    register_429 = paths[f"{API}/devices/register"]["post"]["responses"]["429"]
    assert register_429["headers"]["Retry-After"]["required"] is True
    assert "WWW-Authenticate" in paths[f"{API}/pull"]["get"]["responses"]["401"]["headers"]
