"""Schemathesis over the served OpenAPI: no generated request may get a 5xx.

The schema is the app's own (``create_app(...).openapi()``; it does not depend on the
database), so pytest gets one test per operation at collection. Each test then runs the
generated cases in-process (ASGI) against a fresh headquarters with the standard world, with
a real device token: an officer's, or for the review and follow-up endpoints a supervisor's, so the
protected handlers are reached and not just their 401. The only check is
``not_a_server_error``: conformance of 4xx bodies is the other tests' business.
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hq_helpers import World, register  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from inspector_app.hq.app import create_app  # noqa: E402

# The OpenAPI document does not look at app.state.hq.
schema = schemathesis.openapi.from_dict(create_app(None).openapi())  # type: ignore[arg-type]

# Operations whose generated cases found a 5xx: label -> the bug, marked xfail(strict=True)
# so the test turns red once the server is fixed and the entry must go.
KNOWN_5XX: dict[str, str] = {}


@pytest.fixture
def api(client: TestClient, world: World) -> tuple[Any, dict[str, dict[str, str]]]:
    """The app (over a fresh world), and the headers of a registered device per role."""
    tokens = {role: register(client, username, device_name=f"schemathesis-{role}")
              for role, username in (("officer", "off_a"), ("supervisor", "sup1"))}
    return client.app, tokens


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(
        case: Any, api: tuple[Any, dict[str, dict[str, str]]], request: pytest.FixtureRequest
) -> None:
    label = case.operation.label
    if label in KNOWN_5XX:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_5XX[label]))
    app, tokens = api
    role = "supervisor" if label.endswith(("/review", "/follow-ups")) else "officer"
    case.call_and_validate(app=app, headers=tokens[role], checks=[not_a_server_error])
