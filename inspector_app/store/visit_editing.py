"""What the visit editor reads and writes: header, checklist, conclusion, completion, resume.

One part of LocalStore (it uses the store's transactions, audit, policy and life cycle), kept
apart so local.py stays readable. Collateral and signals are in visit_findings.py. Every edit
returns its Changes, so the editor's pages refresh from what really changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text, UserError
from inspector_app.domain.checklist import (
    AnswerState,
    Checklist,
    ChecklistSelectionError,
    checklist_from_refs,
)
from inspector_app.domain.classification import Recommendation
from inspector_app.domain.enums import Classification, VisitKind, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.domain.schedule import DueItem, next_date_range
from inspector_app.domain.visit_rules import text_problem, visit_date_problem
from inspector_app.store import auto_signals, recommendation
from inspector_app.store.models import (
    AppState,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    RiskSignal,
    Visit,
)
from inspector_app.store.rows import NOTHING, Actor, Changes
from inspector_app.store.schedule_cache import due_after_visit, refresh_schedule
from inspector_app.store.templates_in_force import templates_in_force
from inspector_app.store.visit_checks import (
    answer_states,
    unmet_requirements,
    visit_checklist,
)
from inspector_app.store.visit_lifecycle import VisitLifecycle


class EditError(UserError):
    """An edit the visit cannot take; ``.text`` tells the officer why."""


def check_text(fields: dict[str, str | None]) -> None:
    """EditError if a text is longer than headquarters takes (domain.visit_rules.TEXT_LIMITS,
    keyed as there: "place", "answer.note"...); None is a field left as it is."""
    for field, value in fields.items():
        if value is not None and (problem := text_problem(field, value)) is not None:
            raise EditError(problem)


@dataclass(frozen=True)
class VisitHeader:
    id: str
    borrower_id: str
    borrower_name: str
    kind: VisitKind
    status: VisitStatus
    visit_date: date
    place: str
    people_met: str
    started_at: datetime | None
    general_note: str
    template_refs: list[str]
    editable: bool


@dataclass(frozen=True)
class ConclusionState:
    current: Classification
    recommendation: Recommendation
    final: Classification | None
    override_reason: str
    measures: str
    next_due_on: date | None
    next_due_range: tuple[date, date]
    # What is due once this visit is done, and why: the range's latest date is its date, and
    # the due list shows it after the visit (or the sooner date the officer sets).
    next_due: DueItem

    @property
    def effective(self) -> Classification:
        """What the visit concludes: the officer's choice, else the recommendation."""
        return self.final or self.recommendation.classification


@dataclass(frozen=True)
class Missing:
    """One thing still missing before the visit can be completed, and where to fix it."""

    target: str
    text: Text

    # Each language on its own, as the completion tests read them.
    @property
    def message_zh(self) -> str:
        return self.text.zh

    @property
    def message_en(self) -> str:
        return self.text.en


_PLACE_KEY = "last_place:{user_id}"


class VisitEditing(VisitLifecycle):
    """The visit editor's operations; every write is one audited transaction."""

    # -- header --------------------------------------------------------------------------------

    def visit_header(self, visit_id: str) -> VisitHeader:
        with self.read() as s:
            v = s.get_one(Visit, visit_id)
            return VisitHeader(
                v.id, v.borrower_id, v.borrower.name, v.kind, v.status, v.visit_date, v.place,
                v.people_met, v.started_at, v.general_note, list(v.template_refs),
                not v.status.locked,
            )

    def update_visit(
        self,
        visit_id: str,
        user: Actor,
        *,
        place: str | None = None,
        people_met: str | None = None,
        general_note: str | None = None,
        started_at: datetime | None = None,
        visit_date: date | None = None,
    ) -> Changes:
        """Change the visit's header fields; None leaves a field as it is."""
        fields = {
            "place": place, "people_met": people_met, "general_note": general_note,
            "started_at": started_at, "visit_date": visit_date,
        }
        given = {k: v for k, v in fields.items() if v is not None}
        if not given:
            return NOTHING
        check_text({"place": place, "people_met": people_met, "general_note": general_note})
        if visit_date is not None and (
                problem := visit_date_problem(visit_date, utcnow().date())) is not None:
            raise EditError(problem)
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            for key, value in given.items():
                setattr(visit, key, value)
            self.audit(s, user.id, "visit.edit", "visit", visit_id, fields=sorted(given))
        return Changes.of(visit_id, header=True)

    # -- checklist -----------------------------------------------------------------------------

    def visit_checklist(self, visit_id: str) -> Checklist:
        with self.read() as s:
            return visit_checklist(s.get_one(Visit, visit_id))

    def answers_of(self, visit_id: str) -> dict[str, AnswerState]:
        with self.read() as s:
            visit = s.get_one(Visit, visit_id)
            return answer_states(s, visit, visit_checklist(visit))

    def set_item_note(self, visit_id: str, user: Actor, item_code: str, note: str) -> Changes:
        """The officer's note on one checklist item (kept with the answer, or alone)."""
        check_text({"answer.note": note})
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            visit_checklist(visit).item(item_code)  # KeyError: no such item in this visit
            answer = s.scalar(
                select(ChecklistAnswer).where(
                    ChecklistAnswer.visit_id == visit_id, ChecklistAnswer.item_code == item_code
                )
            )
            if answer is None:
                answer = ChecklistAnswer(visit_id=visit_id, item_code=item_code, value=None)
                s.add(answer)
            answer.note = note
            return Changes.of(visit_id, items=[item_code]) | self.refresh_findings(s, visit, user)

    def set_visit_templates(self, visit_id: str, user: Actor, refs: list[str]) -> Changes:
        """Use other templates for this visit; only before the first answer is recorded."""
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            answered = s.scalar(
                select(ChecklistAnswer.id).where(
                    ChecklistAnswer.visit_id == visit_id, ChecklistAnswer.value.is_not(None)
                ).limit(1)
            )
            if answered is not None:
                raise EditError(
                    Text("已开始回答检查项，不能再更换检查模板",
                         "the checklist cannot be changed once an item has been answered"),
                )
            try:
                checklist = checklist_from_refs(templates_in_force(s).known, refs)
            except (ChecklistSelectionError, ValueError) as exc:
                raise EditError(
                    Text("所选模板不能组成检查清单", f"those templates do not combine: {exc}")
                ) from exc
            visit.template_refs = checklist.template_refs()
            visit.template_code = checklist.base.code
            visit.template_version = checklist.base.version
            self.audit(s, user.id, "visit.templates", "visit", visit_id, templates=refs)
        return Changes.of(visit_id, header=True)

    def refresh_findings(self, session: Session, visit: Visit, user: Actor) -> Changes:
        """Keep automatic signals and the recommendation true after an edit (same transaction);
        what moved."""
        if not auto_signals.reconcile(session, visit, visit_checklist(visit), self.policy,
                                      user.id):
            return NOTHING
        refresh_schedule(session, self.policy, [visit.borrower_id])
        return Changes.of(visit.id, borrower_id=visit.borrower_id, findings=True)

    # -- conclusion ----------------------------------------------------------------------------

    def conclusion_of(self, visit_id: str) -> ConclusionState:
        with self.read() as s:
            visit = s.get_one(Visit, visit_id)
            return self._conclusion(s, visit)

    def _conclusion(self, s: Session, visit: Visit) -> ConclusionState:
        policy = self.policy
        rec = recommendation.recommend(s, visit, policy)
        effective = visit.final_classification or rec.classification
        due = due_after_visit(s, policy, visit, effective)
        return ConclusionState(
            current=visit.borrower.classification, recommendation=rec,
            final=visit.final_classification, override_reason=visit.override_reason,
            measures=visit.measures, next_due_on=visit.next_due_on,
            next_due_range=next_date_range(visit.visit_date, due), next_due=due,
        )

    def set_conclusion(
        self,
        visit_id: str,
        user: Actor,
        *,
        final: Classification | None = None,
        override_reason: str | None = None,
        measures: str | None = None,
        next_due_on: date | None = None,
    ) -> Changes:
        """The officer's classification, reason, measures and next date; EditError if the
        classification differs from the recommendation without a reason, or the date is
        outside what the policy allows."""
        check_text({"override_reason": override_reason, "measures": measures})
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            if override_reason is not None:
                visit.override_reason = override_reason.strip()
            if measures is not None:
                visit.measures = measures
            if final is not None:
                rec = recommendation.recommend(s, visit, self.policy)
                if final is not rec.classification and not visit.override_reason:
                    raise EditError(
                        Text(f"将建议分类{rec.classification.zh}改为{final.zh}，须填写书面理由",
                             f"changing the recommended {rec.classification.en} to {final.en} "
                             "needs a written reason"),
                    )
                visit.final_classification = final
            if next_due_on is not None:
                state = self._conclusion(s, visit)
                low, high = state.next_due_range
                if not low <= next_due_on <= high:
                    raise EditError(
                        Text(f"下次检查日期须在 {low} 至 {high} 之间（检查政策）",
                             f"the next inspection must be between {low} and {high} (policy)"),
                    )
                visit.next_due_on = next_due_on
            self.audit(s, user.id, "visit.conclusion", "visit", visit_id,
                       final=None if final is None else final.value)
            # A finished visit's classification and date are what the due list counts from.
            moved = refresh_schedule(s, self.policy, [visit.borrower_id])
            borrower = visit.borrower_id if moved else None
        return Changes.of(visit_id, borrower_id=borrower, conclusion=True)

    # -- completion ----------------------------------------------------------------------------

    def completion_list(self, visit_id: str) -> list[Missing]:
        """Everything still missing, in the order the officer meets it; empty = can complete."""
        with self.read() as s:
            return self._missing(s, s.get_one(Visit, visit_id))

    def _missing(self, s: Session, visit: Visit) -> list[Missing]:
        missing: list[Missing] = []
        if not visit.place.strip():
            missing.append(Missing("header:place", Text("未填写检查地点",
                                                        "the place is not filled in")))
        if not visit.people_met.strip():
            missing.append(Missing("header:people_met", Text("未填写会见人员",
                                                             "the people met are not filled in")))
        missing += [
            Missing(f"item:{u.item_code}", u.text)
            for u in unmet_requirements(s, visit)
        ]
        observed = set(s.scalars(
            select(CollateralObservation.collateral_item_id).where(
                CollateralObservation.visit_id == visit.id
            )
        ))
        for item in s.scalars(
            select(CollateralItem).where(CollateralItem.borrower_id == visit.borrower_id)
            .order_by(CollateralItem.description)
        ):
            if item.id not in observed:
                missing.append(Missing(f"collateral:{item.id}", Text(
                    f"抵质押物「{item.description}」尚未记录现场情况",
                    f"collateral “{item.description}” has no observation yet",
                )))
        state = self._conclusion(s, visit)
        if state.final is not None and state.final is not state.recommendation.classification \
                and not state.override_reason:
            missing.append(Missing("conclusion:override_reason", Text(
                "调整建议分类须填写理由", "a changed classification needs a written reason")))
        worse = state.effective is not Classification.NORMAL
        if (worse or self._has_visit_signals(s, visit)) and not state.measures.strip():
            missing.append(Missing("conclusion:measures", Text(
                "存在风险预警或分类下调，须填写拟采取措施",
                "signals or a downgrade need the measures proposed",
            )))
        low, high = state.next_due_range
        if state.next_due_on is None:
            missing.append(Missing("conclusion:next_due_on", Text(
                "未确定下次检查日期", "the next inspection date is not set")))
        elif not low <= state.next_due_on <= high:
            missing.append(Missing("conclusion:next_due_on", Text(
                f"下次检查日期须在 {low} 至 {high} 之间",
                f"the next inspection date must be between {low} and {high}",
            )))
        return missing

    @staticmethod
    def _has_visit_signals(s: Session, visit: Visit) -> bool:
        return s.scalar(
            select(RiskSignal.id).where(RiskSignal.visit_id == visit.id).limit(1)
        ) is not None

    def complete_visit(self, visit_id: str, user: Actor) -> Changes:
        """Mark the visit completed once nothing is missing; TransitionError lists the gaps."""
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            missing = self._missing(s, visit)
            if missing:
                first = missing[0].text
                raise TransitionError(Text(
                    f"检查尚有{len(missing)}项未完成，第一项：{first.zh}",
                    f"{len(missing)} thing(s) still missing, first: {first.en}",
                ))
            # The loans' repayment position may have been pulled since the last edit: the
            # visit completes with what the facts imply now (the page showed the same).
            recommended = recommendation.recommend(s, visit, self.policy).classification
            visit.recommended_classification = recommended
            if visit.final_classification is None:
                visit.final_classification = recommended
            visit.ended_at = utcnow()
            self.transition_in(s, visit, user, VisitStatus.COMPLETED)
            return Changes.of(visit_id, borrower_id=visit.borrower_id, status=True)

    # -- where the officer was -----------------------------------------------------------------

    def remember_place(self, user_id: str, visit_id: str, page: str) -> Changes:
        """The visit and page open now, so a restart returns there (nothing a view shows)."""
        with self.write() as s:
            s.merge(AppState(key=_PLACE_KEY.format(user_id=user_id),
                             value=json.dumps({"visit": visit_id, "page": page})))
        return NOTHING

    def last_place(self, user_id: str) -> tuple[str, str] | None:
        """(visit_id, page) last open for this user, if that visit can still be edited."""
        with self.read() as s:
            row = s.get(AppState, _PLACE_KEY.format(user_id=user_id))
            if row is None:
                return None
            try:
                place = json.loads(row.value)
                visit = s.get(Visit, place["visit"])
            except (ValueError, KeyError, TypeError):
                return None  # an unreadable note of where we were is no reason to fail start-up
            if visit is None or visit.status.locked or visit.officer_id != user_id:
                return None
            return visit.id, str(place.get("page", ""))
