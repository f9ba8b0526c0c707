"""Property: headquarters stores exactly the valid visit documents.

Against a real `inspector-hq serve` process (SQLite and PostgreSQL, see conftest.py),
hypothesis makes visit documents: valid ones built from the shipped templates' items (values of
each item's type and choices) and the borrower's collateral as pulled, with random texts within
their limits; and, about half the time, one of them spoiled by one corruption known to break a
rule (the oracle is the construction, not the server's own rule code). Every valid document is
stored (200, and read back the same); every spoiled one is refused with 413/422 and nothing is
stored.

The second property adds the life cycle: each document claims a status (draft to returned)
and carries a signed report or not (its own, another visit's, one naming no visit); the
server stores exactly the valid ones the life cycle allows, with the status it derives
("submitted" for one that arrives signed with its own verified report), and refuses the rest
with 409/413/422."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_support import PASSWORD, HqServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app import wire
from inspector_app.domain.checklist import Item, Template
from inspector_app.domain.enums import (
    AnswerType,
    Classification,
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.signing import certify_report, load_signer
from inspector_app.store.templates_in_force import shipped_templates

pytestmark = pytest.mark.e2e

Doc = dict[str, Any]


class Hq:
    """The server, an officer's device on it, and the officer's portfolio as pulled."""

    def __init__(self, server: HqServer) -> None:
        r = httpx.post(f"{server.url}{wire.API}/devices/register", timeout=30, json={
            "username": "off_a", "password": PASSWORD, "device_name": "属性测试"})
        assert r.status_code == 200, r.text
        self.officer_id = r.json()["user"]["id"]
        self.http = httpx.Client(base_url=server.url, timeout=60,
                                 headers={"Authorization": f"Bearer {r.json()['token']}"})
        changes: list[dict[str, Any]] = []
        cursor, more = 0, True
        while more:
            page = self.http.get(f"{wire.API}/pull", params={"cursor": cursor}).json()
            changes += page["changes"]
            cursor, more = page["cursor"], page["more"]
        self.collateral: dict[str, list[str]] = {}
        for c in changes:
            if c["entity"] == "borrower":
                self.collateral.setdefault(c["id"], [])
        for c in changes:
            if c["entity"] == "collateral_item":
                self.collateral[c["data"]["borrower_id"]].append(c["id"])
        assert self.collateral


@pytest.fixture
def hq(hq_server: HqServer) -> Iterator[Hq]:
    world = Hq(hq_server)
    try:
        yield world
    finally:
        world.http.close()


# The newest shipped version of each code, as a new visit is started with.
CURRENT = {t.code: t for t in sorted(shipped_templates(), key=lambda t: t.version)}
ROUTINE = CURRENT["routine"]
SUPPLEMENTS = [t for t in CURRENT.values() if t.kind.value == "supplement"]
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
               max_size=60)
WORDS = TEXT.filter(lambda s: s.strip() != "")
FEN = st.integers(0, 10**13 - 1)


def value_of(item: Item) -> st.SearchStrategy[str]:
    match item.type:
        case AnswerType.YES_NO:
            return st.sampled_from(["yes", "no", "na"])
        case AnswerType.CHOICE:
            return st.sampled_from([c.code for c in item.choices])
        case AnswerType.NUMBER:
            return st.integers(-10**6, 10**6).map(str)
        case AnswerType.MONEY:
            return st.integers(0, 10**12).map(lambda fen: f"{fen / 100:.2f}")
        case AnswerType.DATE:
            return st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(date.isoformat)
    return WORDS


@st.composite
def valid_documents(draw: st.DrawFn, hq: Hq) -> Doc:
    templates: list[Template] = [ROUTINE, *draw(st.lists(st.sampled_from(SUPPLEMENTS),
                                                         unique_by=lambda t: t.code,
                                                         max_size=2))]
    items = [i for t in templates for i in t.items()]
    answered = draw(st.lists(st.sampled_from(items), unique_by=lambda i: i.code, max_size=8))
    borrower = draw(st.sampled_from(sorted(hq.collateral)))
    observed = draw(st.lists(st.sampled_from(hq.collateral[borrower]), unique=True)
                    if hq.collateral[borrower] else st.just([]))
    visit_date = draw(st.dates(date(2020, 1, 1), date(2026, 12, 1)))
    found = [{"id": str(uuid.uuid4()), "collateral_item_id": str(uuid.uuid4()),
              "status": "present", "found_item": {
                  "kind": draw(st.sampled_from([k.value for k in CollateralKind])),
                  "description": draw(WORDS), "appraised_value_fen": draw(FEN)}}
             for _ in range(draw(st.integers(0, 1)))]
    return {
        "id": str(uuid.uuid4()), "borrower_id": borrower, "officer_id": hq.officer_id,
        "kind": "routine", "status": draw(st.sampled_from(["draft", "completed"])),
        "template_refs": [t.ref for t in templates], "revision": 1,  # later ones name a previous
        "visit_date": visit_date.isoformat(), "place": draw(TEXT),
        "general_note": draw(st.one_of(TEXT, st.text(max_size=20_000, min_size=19_990,
                                                     alphabet="说明"))),
        "final_classification": draw(st.none() | st.sampled_from(
            [c.value for c in Classification])),
        "next_due_on": draw(st.none() | st.integers(0, 365).map(
            lambda d: (visit_date + timedelta(days=d)).isoformat())),
        "answers": [{"id": str(uuid.uuid4()), "item_code": i.code,
                     "value": draw(st.none() | value_of(i)), "note": draw(TEXT)}
                    for i in answered],
        "observations": [{
            "id": str(uuid.uuid4()), "collateral_item_id": c,
            "status": draw(st.sampled_from([s.value for s in CollateralStatus])),
            "estimated_value_fen": draw(st.none() | FEN), "note": draw(TEXT)}
            for c in observed] + found,
        "signals": [{
            "id": str(uuid.uuid4()),
            "category": draw(st.sampled_from([c.value for c in SignalCategory])),
            "severity": draw(st.sampled_from([s.value for s in Severity])),
            "source": draw(st.sampled_from([s.value for s in SignalSource])),
            "title": draw(WORDS), "status": draw(st.sampled_from([s.value for s in SignalStatus])),
            "raised_on": visit_date.isoformat()} for _ in range(draw(st.integers(0, 2)))],
    }


def _answer(d: Doc, **fields: Any) -> None:
    d["answers"].append({"id": str(uuid.uuid4()), "note": "", **fields})


def _observe(d: Doc, **fields: Any) -> None:
    d["observations"].append({"id": str(uuid.uuid4()), "status": "present", **fields})


# Each breaks one rule whatever the valid document it is applied to.
CORRUPTIONS: dict[str, Callable[[Doc, Hq], None]] = {
    "unknown template": lambda d, _: d.update(template_refs=["no_such_template@1"]),
    "newer template than published": lambda d, _: d["template_refs"].__setitem__(0, "routine@7"),
    "no template": lambda d, _: d.update(template_refs=[]),
    "item the templates lack": lambda d, _: _answer(d, item_code="ZZ-99", value="yes"),
    "answer outside the type": lambda d, _: _answer(d, item_code="R-WIL-01", value="maybe")
    if all(a["item_code"] != "R-WIL-01" for a in d["answers"])
    else d["answers"].append({**next(a for a in d["answers"] if a["item_code"] == "R-WIL-01"),
                              "id": str(uuid.uuid4())}),
    "collateral that does not exist": lambda d, _: _observe(
        d, collateral_item_id=str(uuid.uuid4())),
    "another borrower's collateral": lambda d, hq: _observe(d, collateral_item_id=next(
        c for b, cs in hq.collateral.items() if b != d["borrower_id"] for c in cs)),
    "status exploded": lambda d, hq: _observe(
        d, collateral_item_id=str(uuid.uuid4()), status="exploded",
        found_item={"kind": "property", "description": "x", "appraised_value_fen": 1}),
    "negative estimate": lambda d, _: _observe(
        d, collateral_item_id=str(uuid.uuid4()), estimated_value_fen=-1,
        found_item={"kind": "property", "description": "x", "appraised_value_fen": 1}),
    "classification super-duper": lambda d, _: d.update(final_classification="super-duper"),
    "revision -7": lambda d, _: d.update(revision=-7),
    "revision 0": lambda d, _: d.update(revision=0),
    "visit date 1970": lambda d, _: d.update(visit_date="1970-01-01", next_due_on=None),
    "next due before the visit": lambda d, _: d.update(next_due_on="2019-12-31"),
    "general note too long": lambda d, _: d.update(general_note="长" * 20_001),
    "signal category": lambda d, _: d["signals"].append({
        "id": "s", "category": "weather", "severity": "red", "source": "officer", "title": "t",
        "status": "raised", "raised_on": d["visit_date"]}),
}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_headquarters_stores_exactly_the_valid_documents(hq: Hq, data: st.DataObject) -> None:
    doc = data.draw(valid_documents(hq))
    corruption = data.draw(st.none() | st.sampled_from(sorted(CORRUPTIONS)))
    if corruption is not None:
        CORRUPTIONS[corruption](doc, hq)
    r = hq.http.put(f"{wire.API}/visits/{doc['id']}", json={"base_version": 0, "visit": doc})
    stored = hq.http.get(f"{wire.API}/visits/{doc['id']}")
    if corruption is None:
        assert r.status_code == 200 and r.json()["status"] == "stored", r.text[:500]
        assert stored.status_code == 200
        sent = wire.VisitRecord.model_validate(doc)
        assert wire.VisitRecord.model_validate(stored.json()["visit"]) == sent
    else:
        assert r.status_code in (413, 422), (corruption, r.status_code, r.text[:500])
        assert r.json()["code"] not in ("invalid_request",), (corruption, r.text[:500])
        assert stored.status_code == 404, corruption


# --- the life cycle -------------------------------------------------------------------------


class Signer:
    """off_a's certificate (a test CA made for the session; headquarters takes it on first
    use) certifying one-page reports that name a visit, as the app's do."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        ca = make_test_ca(folder / "ca", [("off_a", "李明")])
        self.signer = load_signer(ca.user("off_a").p12_path, ca.user("off_a").password)

    def report(self, visit_id: str | None) -> bytes:
        from reportlab.pdfgen import canvas

        source = self.folder / f"{uuid.uuid4()}.pdf"
        page = canvas.Canvas(str(source))
        if visit_id is not None:
            page.setKeywords(visit_id)
        page.drawString(60, 760, "post-loan inspection report")
        page.showPage()
        page.save()
        out = source.with_suffix(".signed.pdf")
        certify_report(source.read_bytes(), out, self.signer, page=0,
                       officer_box=(60.0, 80.0, 270.0, 150.0),
                       supervisor_box=(320.0, 80.0, 530.0, 150.0),
                       signed_at=datetime.now(UTC) - timedelta(minutes=1))
        return out.read_bytes()


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> Signer:
    return Signer(tmp_path_factory.mktemp("signer"))


def _report_record(hq: Hq, data: bytes) -> dict[str, Any]:
    """The report uploaded as a blob, and its record as the laptop sends it."""
    sha = hashlib.sha256(data).hexdigest()
    r = hq.http.patch(f"{wire.API}/blobs/{sha}", content=data, headers={
        "Upload-Offset": "0", "Upload-Length": str(len(data)),
        "Content-Type": "application/offset+octet-stream"})
    assert r.status_code == 204, r.text
    return {"id": str(uuid.uuid4()), "stage": "signed", "sha256": sha, "size_bytes": len(data),
            "lang": "zh", "signer_name": "李明", "signed_at": "2026-11-20T10:00:00+08:00"}


STATUSES = ["draft", "completed", "signed", "submitted", "approved", "returned"]
REPORTS = ["none", "its own", "another visit's", "naming no visit"]


def expected(status: str, report: str) -> tuple[int, str | None]:
    """What the life cycle answers a valid document claiming ``status`` with ``report``: the
    HTTP status and the stored status (None: nothing stored). The oracle is the issue's rule,
    written out case by case."""
    if status in ("draft", "completed"):
        return (200, status) if report == "none" else (422, None)  # a report must verify
    if report == "none":
        return 422, None  # signed or later needs a signed report
    if status in ("approved", "returned"):
        return 409, None  # only a supervisor's review decides
    return (200, "submitted") if report == "its own" else (422, None)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_headquarters_stores_the_status_the_life_cycle_allows(
        hq: Hq, signer: Signer, data: st.DataObject) -> None:
    doc = data.draw(valid_documents(hq))
    status = data.draw(st.sampled_from(STATUSES))
    report = data.draw(st.sampled_from(REPORTS))
    if status in ("draft", "completed") and report == "its own":
        report = "none"  # a draft carrying its own signed report is not a state a laptop makes
    corruption = data.draw(st.none() | st.sampled_from(sorted(CORRUPTIONS)))
    if corruption is not None:
        CORRUPTIONS[corruption](doc, hq)
    doc["status"] = status
    named = {"none": None, "its own": doc["id"], "another visit's": str(uuid.uuid4()),
             "naming no visit": None}[report]
    doc["reports"] = [] if report == "none" else [_report_record(hq, signer.report(named))]
    r = hq.http.put(f"{wire.API}/visits/{doc['id']}", json={"base_version": 0, "visit": doc})
    stored = hq.http.get(f"{wire.API}/visits/{doc['id']}")
    code, kept = expected(status, report)
    if corruption is not None:
        assert r.status_code in (413, 422), (corruption, status, report, r.text[:500])
        assert stored.status_code == 404, corruption
        return
    assert r.status_code == code, (status, report, r.text[:500])
    if kept is None:
        assert stored.status_code == 404, (status, report)
    else:
        assert r.json()["status"] == "stored", r.text[:500]
        assert stored.json()["visit"]["status"] == kept, (status, report)
