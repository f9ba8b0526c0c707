"""Templates published at headquarters are used by new visits once pulled; a visit started
earlier keeps its exact version; an invalid pulled template is ignored with a logged reason."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from test_e2e_hq import PASSWORD, _normal, serve

from inspector_app.domain.checklist import default_template_dir, load_template
from inspector_app.domain.enums import VisitKind
from inspector_app.hq import admin
from inspector_app.hq import models as hq_models
from inspector_app.hq.changes import record_change
from inspector_app.hq.context import Hq
from inspector_app.store import templates_in_force as in_force
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, User
from inspector_app.sync.client import SyncClient

NEW_ITEM = "R-WIL-09"
# The shipped routine template's version; headquarters publishes the next ones.
SHIPPED = load_template(default_template_dir() / "routine.yaml").version
V0, V1, V2 = (f"routine@{SHIPPED + n}" for n in range(3))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Hq]]:
    with serve(tmp_path) as running:
        yield running


def routine_v2() -> str:
    """The shipped routine template as its next version, with one more question."""
    text = (default_template_dir() / "routine.yaml").read_text(encoding="utf-8")
    assert f"\nversion: {SHIPPED}\n" in text and "    items:\n" in text
    text = text.replace(f"\nversion: {SHIPPED}\n", f"\nversion: {SHIPPED + 1}\n", 1)
    return text.replace("    items:\n", f"""    items:
      - code: {NEW_ITEM}
        question:
          zh: 借款人是否主动告知了经营中的重大变化？
          en: Did the borrower tell us about major changes in the business unprompted?
        type: yes_no
        abnormal: [no]
        source: "test: a question headquarters added"
""", 1)


def publish_unchecked(hq: Hq, code: str, version: int, kind: str, text: str) -> None:
    """A template row as an older or faulty headquarters might publish it, unvalidated."""
    with hq.db.write() as s:
        s.add(hq_models.Template(code=code, version=version, kind=kind, yaml_text=text))
        s.flush()
        record_change(s, "template", f"{code}@{version}", version)


def test_new_visits_use_the_published_version_old_ones_keep_theirs(
        store: LocalStore, server: tuple[str, Hq], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    base, hq = server
    with SyncClient(store, base, chunk_bytes=8 * 1024, retries=2, backoff=0.05) as client:
        client.register("off_a", PASSWORD, "现场笔记本")
        assert client.sync().ok
        with store.read() as s:
            officer = s.scalar(select(User).where(User.username == "off_a"))
            borrower_id = s.scalar(select(Borrower.id).where(Borrower.code == "C001"))
        assert officer is not None and borrower_id is not None
        before = store.start_visit(borrower_id, officer, VisitKind.ROUTINE,
                                   visit_date=date(2026, 11, 20))
        assert V0 in before.template_refs

        published = tmp_path / "routine.yaml"
        published.write_text(routine_v2(), encoding="utf-8")
        admin.publish_template(hq.db, published, "test")
        # The version after is broken (an answer type the loader does not know): never used.
        publish_unchecked(hq, "routine", SHIPPED + 2, "base",
                          routine_v2().replace(f"\nversion: {SHIPPED + 1}\n",
                                               f"\nversion: {SHIPPED + 2}\n", 1)
                          .replace("type: yes_no", "type: maybe", 1))
        # A new supplement reusing an item code of the routine template: breaks the rules
        # between templates, so it is not used either.
        publish_unchecked(hq, "industry_extra", 1, "supplement", f"""
code: industry_extra
version: 1
title: {{zh: 附加检查, en: Extra checks}}
kind: supplement
applies_to:
  industries: [manufacturing]
sections:
  - code: extra
    title: {{zh: 附加, en: Extra}}
    items:
      - code: {NEW_ITEM}
        question: {{zh: 重复的检查项, en: A repeated item}}
        type: yes_no
        source: "test"
""")
        with caplog.at_level(logging.WARNING, logger=in_force.__name__):
            assert client.sync().ok

    # Kept on record as pulled, whatever their validity.
    with store.read() as s:
        pulled = in_force.templates_in_force(s)
    assert set(pulled.ignored) == {V2, "industry_extra@1"}
    assert "maybe" in pulled.ignored[V2]
    assert "R-WIL-09" in pulled.ignored["industry_extra@1"]
    logged = [r.getMessage() for r in caplog.records]
    assert any(V2 in m and "maybe" in m for m in logged), logged
    assert any("industry_extra@1" in m for m in logged), logged

    # A new visit: the published version, with its new question, chosen and offered.
    options = store.checklist_options(borrower_id, VisitKind.ROUTINE)
    assert options.default_refs[0] == V1
    offered = [t.ref for t in options.templates]
    assert V1 in offered and V0 not in offered
    assert V2 not in offered and "industry_extra@1" not in offered
    after = store.start_visit(borrower_id, officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 11, 21))
    assert after.template_refs[0] == V1
    assert NEW_ITEM in {i.code for i in store.visit_checklist(after.id).items()}
    store.set_answer(after.id, officer, NEW_ITEM, "yes")

    # The visit started before keeps the shipped version, and can still be answered.
    old = store.visit_checklist(before.id)
    assert old.template_refs() == before.template_refs and old.base.version == SHIPPED
    assert NEW_ITEM not in {i.code for i in old.items()}
    first = next(old.items())
    store.set_answer(before.id, officer, first.code, _normal(first))
    with pytest.raises(KeyError):
        store.set_answer(before.id, officer, NEW_ITEM, "yes")


def test_the_templates_are_read_once_per_state_of_the_pulled_ones(
        store: LocalStore, server: tuple[str, Hq], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    base, hq = server
    published = tmp_path / "routine.yaml"
    published.write_text(routine_v2(), encoding="utf-8")
    admin.publish_template(hq.db, published, "test")
    parsed: list[str] = []
    real = in_force.load_template_text

    def counting(text: str, name: Path):
        parsed.append(name.stem)
        return real(text, name)

    monkeypatch.setattr(in_force, "load_template_text", counting)
    with SyncClient(store, base, chunk_bytes=8 * 1024, retries=2, backoff=0.05) as client:
        client.register("off_a", PASSWORD, "现场笔记本")
        assert client.sync().ok
    with store.read() as s:
        officer = s.scalar(select(User).where(User.username == "off_a"))
        borrower_id = s.scalar(select(Borrower.id).where(Borrower.code == "C001"))
    visit = store.start_visit(borrower_id, officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 11, 21))
    for item in list(store.visit_checklist(visit.id).items())[:10]:
        store.set_answer(visit.id, officer, item.code, _normal(item))
    assert parsed == [V1]
