"""A hostile or buggy laptop's visit documents, against a real `inspector-hq serve` process
(SQLite and PostgreSQL, see conftest.py): each is an honest laptop's document with one thing
made wrong, and headquarters refuses it (413/422, an ErrorBody with a bilingual message
naming the field) and stores nothing; the honest document itself is stored.

Every attack here was stored with 200 before headquarters checked documents (issue #12)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from e2e_support import HqServer, Laptop
from server_fixtures import database_for, running_server

from inspector_app import wire
from inspector_app.common.text import Text
from inspector_app.sync.mapping import visit_record

pytestmark = pytest.mark.e2e

MB = 1024 * 1024
Doc = dict[str, Any]


# One server per database for the whole module (building one took 10 s a test on PostgreSQL):
# each test pushes visits of its own, under new ids, and checks those alone.
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hq_db(request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield from database_for(request.param)


@pytest.fixture(scope="module")
def hq_server(tmp_path_factory: pytest.TempPathFactory, hq_db: str | None
              ) -> Iterator[HqServer]:
    yield from running_server(tmp_path_factory.mktemp("documents") / "hq", hq_db)


@pytest.fixture
def honest(laptop: Laptop) -> Doc:
    """A draft as the officer's laptop makes it: every checklist item answered, the
    borrower's collateral item observed."""
    visit_id = laptop.add_visit(0)
    officer = laptop.officer()
    (row,) = laptop.store.collateral_of(visit_id)
    from inspector_app.domain.enums import CollateralStatus
    laptop.store.observe_collateral(visit_id, officer, row.item_id,
                                    status=CollateralStatus.PRESENT,
                                    estimated_value_fen=7_500_000_00, note="在位，维护良好")
    with laptop.store.read() as s:
        record = visit_record(s, visit_id)
    assert record is not None
    return record.model_dump(mode="json")


@pytest.fixture
def http(hq_server: HqServer) -> Iterator[httpx.Client]:
    token = hq_server.token("off_a")
    with httpx.Client(base_url=hq_server.url, timeout=120,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def put(http: httpx.Client, doc: Doc) -> httpx.Response:
    return http.put(f"{wire.API}/visits/{doc['id']}", json={"base_version": 0, "visit": doc})


def refused(http: httpx.Client, doc: Doc, status: int, code: str, field: str) -> wire.ErrorBody:
    """Pushed as a new visit: refused with this status, code and field; nothing stored."""
    doc = {**doc, "id": str(uuid.uuid4())}
    r = put(http, doc)
    assert r.status_code == status, r.text
    body = wire.ErrorBody.model_validate(r.json())
    assert body.code == code, body
    assert body.detail.get("field") == field, body
    text = Text.parse(body.message)
    assert text.zh != text.en and text.en.startswith("the visit was not accepted"), body.message
    assert http.get(f"{wire.API}/visits/{doc['id']}").status_code == 404
    return body


def changed(doc: Doc, change: Callable[[Doc], None]) -> Doc:
    out = copy.deepcopy(doc)
    change(out)
    return out


def test_the_honest_document_is_stored(http: httpx.Client, honest: Doc) -> None:
    r = put(http, honest)
    assert r.status_code == 200 and r.json()["status"] == "stored", r.text


def test_a_100_mb_general_note_is_refused_before_it_is_read(
        http: httpx.Client, honest: Doc, hq_server: HqServer) -> None:
    huge = changed(honest, lambda d: d.update(general_note="x" * (100 * MB)))
    r = put(http, huge)
    assert r.status_code == 413, r.text[:300]
    body = wire.ErrorBody.model_validate(r.json())
    assert body.code == "too_large" and "4 MB" in body.message
    # Sent without a length (chunked): read only up to the limit, refused as well.
    raw = wire.VisitPush(base_version=0, visit=wire.VisitRecord.model_validate(huge)
                         ).model_dump_json().encode()

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(raw), MB):
            yield raw[start:start + MB]

    r = http.put(f"{wire.API}/visits/{honest['id']}", content=pieces(),
                 headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "too_large", r.text[:300]
    assert http.get(f"{wire.API}/visits/{honest['id']}").status_code == 404
    assert hq_server.unexpected_errors() == []
    # The honest document still goes in on the same server.
    assert put(http, honest).status_code == 200


def test_a_field_over_its_limit_is_refused(http: httpx.Client, honest: Doc) -> None:
    body = refused(http, changed(honest, lambda d: d.update(general_note="说" * 20_001)),
                   413, "too_long", "general_note")
    assert "20001" in body.message and "20000" in body.message
    refused(http, changed(honest, lambda d: d["answers"][0].update(note="x" * 5000)),
            413, "too_long", "answers[0].note")


def test_an_unknown_template_is_refused(http: httpx.Client, honest: Doc) -> None:
    refused(http, changed(honest, lambda d: d.update(template_refs=["nonsense@1"])),
            422, "unknown_template", "template_refs")
    refused(http, changed(honest, lambda d: d.update(template_refs=["routine@99"])),
            422, "unknown_template", "template_refs")


def test_an_answer_to_an_item_the_templates_lack_is_refused(http: httpx.Client,
                                                            honest: Doc) -> None:
    extra = {"id": str(uuid.uuid4()), "item_code": "X-NOPE-01", "value": "yes", "note": ""}
    n = len(honest["answers"])
    body = refused(http, changed(honest, lambda d: d["answers"].append(extra)),
                   422, "unknown_item", f"answers[{n}].item_code")
    # The code is for IT, in the detail; the officer reads no code (tests/sync/
    # test_refusal_words.py has the words).
    assert body.detail["item_code"] == "X-NOPE-01" and "X-NOPE-01" not in body.message


def test_an_answer_outside_its_items_type_or_choices_is_refused(http: httpx.Client,
                                                                honest: Doc) -> None:
    yes_no = next(i for i, a in enumerate(honest["answers"]) if a["value"] in ("yes", "no"))
    refused(http, changed(honest, lambda d: d["answers"][yes_no].update(value="maybe")),
            422, "invalid_answer", f"answers[{yes_no}].value")
    twice = changed(honest, lambda d: d["answers"].append(
        {**d["answers"][0], "id": str(uuid.uuid4())}))
    refused(http, twice, 422, "invalid_value", f"answers[{len(honest['answers'])}].item_code")


def test_an_observation_of_collateral_that_does_not_exist_is_refused(
        http: httpx.Client, honest: Doc) -> None:
    def ghost(d: Doc) -> None:
        d["observations"][0].update(collateral_item_id=str(uuid.uuid4()))
    refused(http, changed(honest, ghost), 422, "unknown_collateral",
            "observations[0].collateral_item_id")
    # Marked as found on site, an item not in the register is what the officer found.
    found = changed(honest, ghost)
    found["observations"][0]["found_item"] = {
        "kind": "equipment", "description": "新增数控机床", "appraised_value_fen": 30_000_00}
    assert put(http, found).status_code == 200


def test_an_exploded_status_and_a_negative_estimate_are_refused(http: httpx.Client,
                                                                honest: Doc) -> None:
    refused(http, changed(honest, lambda d: d["observations"][0].update(status="exploded")),
            422, "invalid_value", "observations[0].status")
    refused(http, changed(honest,
                          lambda d: d["observations"][0].update(estimated_value_fen=-100)),
            422, "invalid_value", "observations[0].estimated_value_fen")


def test_an_unknown_classification_is_refused(http: httpx.Client, honest: Doc) -> None:
    body = refused(http, changed(honest, lambda d: d.update(final_classification="super-duper")),
                   422, "invalid_value", "final_classification")
    assert "super-duper" in body.message


def test_a_revision_out_of_range_is_refused(http: httpx.Client, honest: Doc) -> None:
    refused(http, changed(honest, lambda d: d.update(revision=-7)), 422, "invalid_value",
            "revision")
    refused(http, changed(honest, lambda d: d.update(visit_date="1970-01-01")), 422,
            "invalid_value", "visit_date")
