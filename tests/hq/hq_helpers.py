"""Helpers for the headquarters tests: registering, pulling, uploading, a world, visits."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from sqlalchemy import select

from inspector_app.domain.enums import Role
from inspector_app.hq import admin
from inspector_app.hq.context import Hq
from inspector_app.hq.csv_import import import_files
from inspector_app.hq.models import Borrower, User
from inspector_app.reports.certs import UserCert
from inspector_app.wire import API, ENTITIES_HEADER, VisitPush, entities_header

PASSWORD = "pass-1234"
ACTOR = "cli:test"


def register(client: httpx.Client, username: str, password: str = PASSWORD,
             device_name: str = "笔记本") -> dict[str, str]:
    r = client.post(f"{API}/devices/register",
                    json={"username": username, "password": password, "device_name": device_name})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def pull_all(client: httpx.Client, headers: dict[str, str], cursor: int = 0
             ) -> tuple[int, list[dict[str, Any]]]:
    """Pull until `more` is false; (final cursor, every change)."""
    changes: list[dict[str, Any]] = []
    while True:
        # As this version's laptop asks: every kind of record it understands.
        r = client.get(f"{API}/pull", params={"cursor": cursor},
                       headers={ENTITIES_HEADER: entities_header(), **headers})
        assert r.status_code == 200, r.text
        body = r.json()
        changes += body["changes"]
        cursor = body["cursor"]
        if not body["more"]:
            return cursor, changes


def upload(client: httpx.Client, headers: dict[str, str], data: bytes,
           chunk: int = 64 * 1024) -> str:
    """Upload as the laptop does: ask what the server holds, send the rest in chunks."""
    sha = hashlib.sha256(data).hexdigest()
    head = client.head(f"{API}/blobs/{sha}", headers=headers)
    assert head.status_code in (200, 206, 404), head.status_code
    if head.status_code == 200:
        return sha
    offset = int(head.headers["Upload-Offset"])
    while True:
        piece = data[offset:offset + chunk]
        r = client.patch(f"{API}/blobs/{sha}", content=piece, headers={
            **headers, "Upload-Offset": str(offset), "Upload-Length": str(len(data)),
            "Content-Type": "application/offset+octet-stream"})
        assert r.status_code == 204, r.text
        offset = int(r.headers["Upload-Offset"])
        if offset == len(data):
            return sha


# --- a world: two teams, three officers, four borrowers ----------------------------------


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding=encoding)
    return path


BORROWERS = [
    {"code": "C001", "name": "江苏恒达精密机械有限公司", "kind": "company",
     "industry": "manufacturing", "id_number": "91320000MA1X000001", "branch": "B01",
     "officer": "off_a"},
    {"code": "C002", "name": "南京德炎水产有限公司", "kind": "company", "industry": "agriculture",
     "id_number": "91320000MA1X000002", "branch": "B01", "officer": "off_c"},
    {"code": "C003", "name": "苏州巨源油业有限公司", "kind": "company", "industry": "manufacturing",
     "id_number": "91320000MA1X000003", "branch": "B02", "officer": "off_b"},
    {"code": "C004", "name": "无锡大王粮油有限公司", "kind": "company",
     "industry": "wholesale_trade", "id_number": "91320000MA1X000004", "branch": "B02",
     "officer": ""},
]


def loans_rows() -> list[dict[str, str]]:
    return [{"contract_no": f"L-{b['code']}", "borrower_code": b["code"],
             "loan_type": "working_capital", "amount_yuan": "5000000.00",
             "disbursed_on": "2026-03-01", "matures_on": "2027-03-01",
             "classification": "normal"} for b in BORROWERS]


def collateral_rows() -> list[dict[str, str]]:
    return [{"code": f"P-{b['code']}", "borrower_code": b["code"],
             "loan_contract_no": f"L-{b['code']}", "kind": "property",
             "description": "厂房", "appraised_value_yuan": "8000000",
             "pledged_value_yuan": "5000000"} for b in BORROWERS]


def guarantor_rows() -> list[dict[str, str]]:
    return [{"contract_no": f"G-{b['code']}", "borrower_code": b["code"],
             "name": "担保人" + b["code"], "kind": "person",
             "guaranteed_amount_yuan": "1000000"} for b in BORROWERS]


@dataclass
class World:
    users: dict[str, str]  # username -> id
    borrowers: dict[str, str]  # code -> id

    def code_of(self, borrower_id: str) -> str:
        return {v: k for k, v in self.borrowers.items()}[borrower_id]


def build_world(hq: Hq, folder: Path) -> World:
    """Branches B01, B02; team 1 = sup1 with off_a and off_c, team 2 = sup2 with off_b; an
    admin; borrowers C001 (off_a), C002 (off_c), C003 (off_b), C004 (nobody's), each with a
    loan, a collateral item and a guarantor."""
    db = hq.db
    admin.add_branch(db, "B01", "城东支行", ACTOR)
    admin.add_branch(db, "B02", "城西支行", ACTOR)
    admin.add_user(db, "sup1", "张主任", Role.SUPERVISOR, PASSWORD, ACTOR, branch_code="B01")
    admin.add_user(db, "sup2", "赵主任", Role.SUPERVISOR, PASSWORD, ACTOR, branch_code="B02")
    admin.add_user(db, "off_a", "李明", Role.OFFICER, PASSWORD, ACTOR, branch_code="B01",
                   supervisor_username="sup1")
    admin.add_user(db, "off_c", "陈静", Role.OFFICER, PASSWORD, ACTOR, branch_code="B01",
                   supervisor_username="sup1")
    admin.add_user(db, "off_b", "王芳", Role.OFFICER, PASSWORD, ACTOR, branch_code="B02",
                   supervisor_username="sup2")
    admin.add_user(db, "admin", "管理员", Role.ADMIN, PASSWORD, ACTOR)
    folder.mkdir(parents=True, exist_ok=True)
    import_files(db, {
        "borrowers": write_csv(folder / "borrowers.csv", BORROWERS),
        "loans": write_csv(folder / "loans.csv", loans_rows()),
        "collateral": write_csv(folder / "collateral.csv", collateral_rows()),
        "guarantors": write_csv(folder / "guarantors.csv", guarantor_rows()),
    }, ACTOR)
    with db.read() as s:
        users = dict(s.execute(select(User.username, User.id)).all())
        borrowers = dict(s.execute(select(Borrower.code, Borrower.id)).all())
    return World(users, borrowers)


# --- visits -------------------------------------------------------------------------------


def visit_push(officer_id: str, borrower_id: str, *, base_version: int = 0,
               visit_id: str | None = None, status: str = "completed",
               photos: list[tuple[str, int]] = (),  # type: ignore[assignment]
               reports: list[dict[str, Any]] = (),  # type: ignore[assignment]
               note: str = "经营正常，生产线运转") -> dict[str, Any]:
    """A VisitPush body as the laptop would send it."""
    body = {
        "base_version": base_version,
        "visit": {
            "id": visit_id or str(uuid.uuid4()),
            "borrower_id": borrower_id, "officer_id": officer_id, "kind": "routine",
            "status": status, "template_refs": ["routine@1"], "revision": 1,
            "visit_date": date(2026, 11, 20).isoformat(), "place": "厂区",
            "general_note": note,
            "answers": [{"id": str(uuid.uuid4()), "item_code": "R-WIL-01", "value": "yes"}],
            "photos": [{"id": str(uuid.uuid4()), "sha256": sha, "original_name": f"{i}.jpg",
                        "width": 4000, "height": 3000, "size_bytes": size}
                       for i, (sha, size) in enumerate(photos)],
            "reports": list(reports),
        },
    }
    VisitPush.model_validate(body)  # the helper itself must produce a valid body
    return body


# --- certificates -------------------------------------------------------------------------


def certificate_pem(issued: UserCert, out: Path) -> Path:
    """The certificate (no key) of a test user's PKCS#12 file, as an administrator gets it."""
    _key, cert, _chain = pkcs12.load_key_and_certificates(
        issued.p12_path.read_bytes(), issued.password.encode("utf-8"))
    assert cert is not None
    out.write_bytes(cert.public_bytes(Encoding.PEM))
    return out
