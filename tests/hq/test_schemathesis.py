"""Schemathesis over the served OpenAPI: every answer is one the document promises.

The schema is the app's own (``create_app(...).openapi()``; it does not depend on the
database), so pytest gets one test per operation and role at collection. Each test runs the
generated cases (valid and invalid ones: schemathesis' positive and negative modes) in-process
(ASGI) against a fresh headquarters with the standard world, with a real device token, an
officer's and a supervisor's, so the protected handlers are reached and not only their 401.

Checks: no 5xx, and conformance — the status code is one the operation documents, the
content type is the documented one for that status, and the body validates against the
documented schema (an error's is ErrorBody {code, message, detail}, FastAPI's own 422
included). The run is derandomized with a fixed number of examples, so it takes the same
time, and finds the same things, every run.
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hq_helpers import World, register  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient  # noqa: E402

from inspector_app.hq.app import create_app  # noqa: E402

# The OpenAPI document does not look at app.state.hq.
schema = schemathesis.openapi.from_dict(create_app(None).openapi())  # type: ignore[arg-type]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
USERS = {"officer": "off_a", "supervisor": "sup1"}


@pytest.fixture
def api(client: TestClient, world: World, role: str) -> tuple[Any, dict[str, str]]:
    """The app over a fresh headquarters with the standard world, and the headers of a
    device registered by the role's user."""
    return client.app, register(client, USERS[role], device_name=f"schemathesis-{role}")


@pytest.mark.parametrize("role", sorted(USERS))
@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_answer_conforms_to_the_document(case: Any, api: tuple[Any, dict[str, str]],
                                               role: str) -> None:
    app, headers = api
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
