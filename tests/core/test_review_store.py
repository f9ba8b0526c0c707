"""The supervisor's review in the local store: decisions recorded, refused when they must be."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import Portfolio
from sqlalchemy import select

from inspector_app.domain.enums import Classification, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.store.local import LocalStore
from inspector_app.store.models import AuditEntry, ChecklistAnswer, Review, Visit
from inspector_app.store.review import record_review_in
from inspector_app.store.review_rows import ReviewCommentRow, ReviewState

WHEN = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def _submit(store: LocalStore, visit_id: str) -> None:
    """The portfolio's draft visit with one answer, as headquarters confirmed it submitted."""
    with store.write() as s:
        s.add(ChecklistAnswer(visit_id=visit_id, item_code="R-WIL-01", value="yes"))
        s.flush()
        visit = s.get_one(Visit, visit_id)
        visit.recommended_classification = Classification.NORMAL
        visit.status = VisitStatus.SUBMITTED


@pytest.fixture
def submitted(store: LocalStore, portfolio: Portfolio) -> Portfolio:
    _submit(store, portfolio.visit_id)
    return portfolio


def test_submitting_stamps_when_the_wait_began(store: LocalStore, submitted: Portfolio) -> None:
    with store.read() as s:
        visit = s.get_one(Visit, submitted.visit_id)
        assert visit.submitted_at is not None
        assert (datetime.now(UTC) - visit.submitted_at).total_seconds() < 60


def test_a_return_is_recorded_pending_with_its_comments_and_audited(
    store: LocalStore, submitted: Portfolio
) -> None:
    with store.write() as s:
        visit = s.get_one(Visit, submitted.visit_id)
        record_review_in(
            s, visit, submitted.supervisor, decision="returned", comment="  请补充库存照片 ",
            final_classification=None, classification_reason="",
            comments=[ReviewCommentRow("answer", "R-WIL-01", "还款意愿依据不足")], when=WHEN,
        )
    with store.read() as s:
        review = s.scalars(select(Review)).one()
        assert (review.decision, review.state, review.comment) == (
            "returned", ReviewState.PENDING, "请补充库存照片")
        assert (review.reviewer_id, review.reviewer_name) == (submitted.supervisor.id, "张主任")
        assert review.decided_at == WHEN
        assert [(c.target, c.ref, c.text) for c in review.comments] == [
            ("answer", "R-WIL-01", "还款意愿依据不足")]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "visit.review")).one()
        assert entry.detail["decision"] == "returned"
        assert entry.detail["comment"] == "请补充库存照片"
        assert entry.detail["review_id"] == review.id


def test_an_approval_keeps_its_classification_and_reason(
    store: LocalStore, submitted: Portfolio
) -> None:
    with store.write() as s:
        record_review_in(
            s, s.get_one(Visit, submitted.visit_id), submitted.supervisor, decision="approved",
            comment="同意", final_classification=Classification.SPECIAL_MENTION,
            classification_reason="库存下降", comments=(), when=WHEN,
        )
    with store.read() as s:
        review = s.scalars(select(Review)).one()
        assert review.final_classification is Classification.SPECIAL_MENTION
        assert review.classification_reason == "库存下降"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "visit.review")).one()
        assert entry.detail["final_classification"] == "special_mention"


@pytest.mark.parametrize(
    ("who", "kwargs", "says"),
    [
        ("officer", {}, "only a supervisor"),
        ("admin", {}, "only a supervisor"),
        ("supervisor", {"decision": "maybe"}, "unknown review decision"),
        ("supervisor", {"decision": "returned", "comment": "  "}, "needs a comment"),
        ("supervisor", {"final_classification": Classification.DOUBTFUL}, "needs a reason"),
        ("supervisor", {"comments": [ReviewCommentRow("answer", "R-WIL-01", "x")]},
         "only with a returned"),
        ("supervisor", {"decision": "returned", "comment": "c",
                        "comments": [ReviewCommentRow("answer", "NOPE", "x")]},
         "not part of this visit"),
        ("supervisor", {"decision": "returned", "comment": "c",
                        "comments": [ReviewCommentRow("header", "place", "x")]},
         "cannot be on"),
    ],
)
def test_refusals_write_nothing(
    store: LocalStore, submitted: Portfolio, who: str, kwargs: dict[str, object], says: str
) -> None:
    reviewer = {"officer": submitted.officer, "admin": submitted.admin,
                "supervisor": submitted.supervisor}[who]
    args: dict[str, object] = {
        "decision": "approved", "comment": "同意", "final_classification": None,
        "classification_reason": "", "comments": (), "when": WHEN, **kwargs}
    with pytest.raises(TransitionError, match=says), store.write() as s:
        record_review_in(s, s.get_one(Visit, submitted.visit_id), reviewer, **args)  # type: ignore[arg-type]
    with store.read() as s:
        assert s.scalars(select(Review)).all() == []


def test_a_supervisor_cannot_review_their_own_visit(
    store: LocalStore, portfolio: Portfolio
) -> None:
    with store.write() as s:  # a supervisor who inspects a borrower themselves
        s.get_one(Visit, portfolio.visit_id).officer_id = portfolio.supervisor.id
    _submit(store, portfolio.visit_id)
    with pytest.raises(TransitionError, match="your own visit") as info, store.write() as s:
        record_review_in(
            s, s.get_one(Visit, portfolio.visit_id), portfolio.supervisor, decision="approved",
            comment="", final_classification=None, classification_reason="", comments=(),
            when=WHEN)
    assert "不能复核自己的检查" in info.value.text.zh


def test_a_second_decision_is_refused(store: LocalStore, submitted: Portfolio) -> None:
    def decide() -> None:
        with store.write() as s:
            record_review_in(
                s, s.get_one(Visit, submitted.visit_id), submitted.supervisor,
                decision="approved", comment="", final_classification=None,
                classification_reason="", comments=(), when=WHEN)

    decide()
    with pytest.raises(TransitionError, match="already reviewed by 张主任"):
        decide()
