"""One visit of the default demo portfolio with all it leaves behind: answers, collateral
observations, warning signals and their steps, the audit trail of its status changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from inspector_app.demo import words as words
from inspector_app.demo.shared import (
    AuditEvent,
    PortfolioBuilder,
    china_time,
)
from inspector_app.demo.signed_reports import DemoSigning, handwriting_png, signs_report
from inspector_app.domain.checklist import (
    AnswerState,
    Item,
    answer_floors,
    format_answer,
)
from inspector_app.domain.classification import (
    LoanFacts,
    SignalFact,
    collateral_drop_signal,
    recommend_classification,
)
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    CollateralStatus,
    LoanType,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.repayment import REPAYMENT_FIELDS, Repayment
from inspector_app.domain.schedule import OpenSignal, OwedFirstInspection, next_due_date
from inspector_app.store.models import (
    ChecklistAnswer,
    CollateralObservation,
    RiskSignal,
    RiskSignalStep,
)

# The path each visit status takes from draft (every step gets an audit entry).
_PATH = {
    VisitStatus.DRAFT: [],
    VisitStatus.COMPLETED: [VisitStatus.COMPLETED],
    VisitStatus.SIGNED: [VisitStatus.COMPLETED, VisitStatus.SIGNED],
    VisitStatus.SUBMITTED: [VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED],
    VisitStatus.APPROVED: [
        VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.APPROVED,
    ],
    VisitStatus.RETURNED: [
        VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.RETURNED,
    ],
}  # fmt: skip


@dataclass
class BorrowerCase:
    """One borrower of the default portfolio and what happened to it."""

    borrower: dict[str, Any]
    officer: str
    loans: list[dict[str, Any]] = field(default_factory=list)
    collateral: list[dict[str, Any]] = field(default_factory=list)
    guarantors: int = 0
    classification: Classification = Classification.NORMAL
    # The first company of each industry offers both its usual kinds of collateral, so every
    # kind appears whatever the seed.
    both_collateral: bool = False

    @property
    def loan_types(self) -> set[LoanType]:
        return {loan["loan_type"] for loan in self.loans}


class VisitWriter(PortfolioBuilder):
    """Writes the default portfolio's visits; DefaultPortfolio decides which and when."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.events: list[AuditEvent] = []
        self.statuses: list[dict[str, Any]] = []
        self.signings: list[DemoSigning] = []  # reports to sign once the rows are written
        self._signal_rows: dict[str, dict[str, Any]] = {}

    # -- one visit --------------------------------------------------------------------------

    def _visit(
        self,
        case: BorrowerCase,
        kind: VisitKind,
        on: date,
        status: VisitStatus,
        severities: list[Severity],
        *,
        target: Classification | None = None,
        value_drop: bool = False,
    ) -> _VisitRecord:
        rng, b = self.rng, case.borrower
        checklist = self.checklist(kind, case.loan_types, b["industry"])
        items = list(checklist.items())
        abnormal = self._pick_abnormal(items, severities)
        draft = status is VisitStatus.DRAFT
        if draft:
            items = items[: len(items) * 2 // 5]  # half-way through the checklist
        finance = f"{words.person_name(rng)}（{rng.choice(words.FINANCE_TITLES)}）"
        role = "法定代表人" if b["kind"] is BorrowerKind.COMPANY else "经营者"
        rep = f"{b['legal_representative']}（{role}）"
        facts: list[SignalFact] = []
        record = _VisitRecord(case=case, date=on, officer=case.officer)
        answers: list[dict[str, Any]] = []
        states: dict[str, AnswerState] = {}
        for item in items:
            is_abnormal = item.code in abnormal
            if is_abnormal:
                value = words.abnormal_answer(rng, item)
            else:
                value = words.normal_answer(
                    rng, item, visit_date=on, loan=case.loans[0],
                    has_guarantors=case.guarantors > 0, rep=rep, finance=finance,
                )  # fmt: skip
            note = (
                words.ABNORMAL_NOTES[item.signal.category.value]
                if (is_abnormal and item.signal)
                else ""
            )
            answers.append({"item_code": item.code, "value": format_answer(item, value),
                            "note": note})  # fmt: skip
            states[item.code] = AnswerState(value, note)
            if is_abnormal and item.signal is not None:
                facts.append(
                    SignalFact(item.signal.category, item.signal.severity, SignalSource.CHECKLIST,
                               item.signal.title.zh, item.signal.title.en, item.signal.event)
                )  # fmt: skip
                record.signals.append((item.code, item.signal.title.zh, note, facts[-1]))
        observations = [] if draft else self._observe(case, value_drop, record)
        if value_drop and record.drop_fact is not None:
            facts.append(record.drop_fact)

        current = case.classification
        recommended = None if draft else recommend_classification(
            facts, current, self.policy, findings=answer_floors(checklist, states),
            loans=[LoanFacts(loan["contract_no"], loan["classification"],
                             Repayment(**{f: loan[f] for f in REPAYMENT_FIELDS}))
                   for loan in case.loans],
            borrower_kind=b["kind"], as_of=on,
        )
        final = None
        override = ""
        if recommended is not None:
            final = recommended.classification
            if target is not None and target.rank > final.rank:
                final = target
                override = (
                    "借款人已连续两期欠息，主要抵押物价值大幅下降，依靠正常经营收入和担保均难以"
                    f"足额偿还，预计将发生一定损失，建议认定为{target.zh}。"
                )
        watch = final is not None and final is not Classification.NORMAL
        visit = self.visit_row(
            b, case.officer, kind, on, checklist, VisitStatus.DRAFT, finished=not draft,
            people_met=f"{rep}、{finance}",
            general_note="" if draft else rng.choice(
                words.WATCH_NOTES if facts else words.GENERAL_NOTES
            ),
            recommended_classification=recommended and recommended.classification,
            final_classification=final, override_reason=override,
            measures="" if draft else rng.choice(
                words.MEASURES_WATCH if watch else words.MEASURES_NORMAL
            ),
            next_due_on=None if final is None else self._next_due(case, on, final, facts),
        )  # fmt: skip
        visit_id = record.visit_id = visit["id"]
        for answer in answers:
            self.rows.add(ChecklistAnswer, visit_id=visit_id, **answer)
        for obs in observations:
            self.rows.add(CollateralObservation, visit_id=visit_id, **obs)
        self._raise_signals(record)
        self._life_cycle(record, visit, status)
        return record

    def _next_due(
        self, case: BorrowerCase, on: date, final: Classification, facts: list[SignalFact]
    ) -> date:
        """The next inspection date the officer proposes: what the schedule rules give (the
        latest date the conclusion offers; the loans' arrears are of today's extract, not of
        the visit's day, so they do not count here)."""
        classification = final.at_least(case.classification)
        owed = [OwedFirstInspection(loan["loan_type"], loan["disbursed_on"])
                for loan in case.loans if loan["disbursed_on"] > on]
        return next_due_date(
            last_visit_on=on, classification=classification, owed_first=owed,
            open_signals=[OpenSignal(f.severity, on, event=f.event) for f in facts],
            policy=self.policy,
        ).due_on  # fmt: skip

    def _pick_abnormal(self, items: list[Item], severities: list[Severity]) -> set[str]:
        """Items to answer abnormally, one per wanted signal severity. Items that demand a
        photo are avoided: the demo has no photo files, and the visit must stay complete."""
        chosen: set[str] = set()
        for severity in severities:
            pool = [
                i.code for i in items
                if i.signal is not None and i.signal.severity is severity
                and not i.when_abnormal.photo and i.code not in chosen
            ]  # fmt: skip
            if pool:
                chosen.add(self.rng.choice(pool))
        return chosen

    def _observe(
        self, case: BorrowerCase, value_drop: bool, record: _VisitRecord
    ) -> list[dict[str, Any]]:
        rng = self.rng
        observations = []
        for n, item in enumerate(case.collateral):
            appraised = item["appraised_value_fen"]
            if value_drop and n == 0:
                estimate = appraised * rng.randint(55, 70) // 100
                fact = collateral_drop_signal(Decimal(appraised), Decimal(estimate), self.policy)
                record.drop_fact = fact
                record.drop_item = item["id"]
                note = "周边同类资产近期成交价明显下跌，估值较评估值下降较多。"
            else:
                estimate = appraised * rng.randint(92, 110) // 100
                note = ""
            insurable = item["kind"] in (CollateralKind.PROPERTY, CollateralKind.EQUIPMENT)
            observations.append({
                "collateral_item_id": item["id"], "status": CollateralStatus.PRESENT,
                "condition": "完好，正常使用" if insurable else "与登记一致",
                "location_checked": True, "estimated_value_fen": estimate // 100 * 100,
                "insurance_valid": True if insurable else None, "certificate_held": True,
                "note": note,
            })  # fmt: skip
        return observations

    # -- signals ------------------------------------------------------------------------------

    def _raise_signals(self, record: _VisitRecord) -> None:
        b = record.case.borrower
        for code, title, note, fact in record.signals:
            record.signal_ids.append(
                self._signal(b["id"], record.visit_id, fact, SignalSource.CHECKLIST, code, title,
                             note, record.date, record.officer)
            )  # fmt: skip
        if record.drop_fact is not None and record.drop_item is not None:
            f = record.drop_fact
            record.signal_ids.append(
                self._signal(b["id"], record.visit_id, f, SignalSource.COLLATERAL,
                             record.drop_item, f.title, "", record.date, record.officer)
            )  # fmt: skip

    def _signal(
        self,
        borrower_id: str,
        visit_id: str | None,
        fact: SignalFact,
        source: SignalSource,
        ref: str,
        title: str,
        description: str,
        on: date,
        officer: str,
    ) -> str:
        row = self.rows.add_row(
            RiskSignal, created=china_time(on, 16), borrower_id=borrower_id, visit_id=visit_id,
            category=fact.category, severity=fact.severity, source=source, source_ref=ref,
            title=title, description=description, status=SignalStatus.RAISED, raised_on=on,
            event=fact.event,
        )  # fmt: skip
        signal_id: str = row["id"]
        self._signal_rows[signal_id] = row
        self._step(signal_id, SignalStatus.RAISED, officer, china_time(on, 16))
        return signal_id

    def _step(self, signal_id: str, step: SignalStatus, username: str, at: datetime) -> None:
        self.rows.add(
            RiskSignalStep, created=at, signal_id=signal_id, step=step,
            user_id=self.users.ids[username], at=at, reason=words.SIGNAL_STEP_REASONS[step.value],
        )  # fmt: skip
        row = self._signal_rows[signal_id]
        if step is not SignalStatus.RAISED:
            row["version"] += 1
        row["status"], row["updated_at"] = step, at

    def _follow_signals(self, record: _VisitRecord, next_visit: date) -> None:
        """Handled a few days after being raised; monitored from the follow-up visit on."""
        handled = record.date + timedelta(days=self.rng.randint(1, 3))
        for signal_id in record.signal_ids:
            self._step(signal_id, SignalStatus.HANDLED, record.officer, china_time(handled, 11))
            if self.rng.random() < 0.7:
                self._step(
                    signal_id, SignalStatus.MONITORED, record.officer, china_time(next_visit, 17)
                )

    def _close_signals(self, record: _VisitRecord, next_visit: date) -> None:
        """The whole life cycle: raised → handled → monitored → cleared by the supervisor."""
        self._follow_signals(record, next_visit)
        boss = self.users.supervisor_of[record.officer]
        for signal_id in record.signal_ids:
            if self._signal_rows[signal_id]["status"] is not SignalStatus.MONITORED:
                self._step(
                    signal_id, SignalStatus.MONITORED, record.officer, china_time(next_visit, 17)
                )
            self._step(
                signal_id, SignalStatus.CLEARED, boss, china_time(next_visit + timedelta(1), 10)
            )

    def _officer_signal(self, case: BorrowerCase, which: int, *, days_ago: int) -> None:
        category, severity, title, description = words.OFFICER_SIGNALS[which]
        on = self.today - timedelta(days=days_ago)
        fact = SignalFact(SignalCategory(category), Severity(severity), SignalSource.OFFICER, title)
        signal_id = self._signal(case.borrower["id"], None, fact, SignalSource.OFFICER, "",
                                 title, description, on, case.officer)  # fmt: skip
        if days_ago > 7:
            self._step(
                signal_id, SignalStatus.HANDLED, case.officer, china_time(on + timedelta(2), 11)
            )

    # -- status and audit ---------------------------------------------------------------------

    def _life_cycle(self, record: _VisitRecord, visit: dict[str, Any], status: VisitStatus) -> None:
        """Audit entries for each status the visit reached, at plausible times, and the final
        status to set once the visit's answers are written."""
        rng, officer = self.rng, record.officer
        officer_id = self.users.ids[officer]
        boss_id = self.users.ids[self.users.supervisor_of[officer]]
        on, visit_id = record.date, record.visit_id
        self.events.append(AuditEvent(visit["started_at"], officer_id, "visit.start", "visit",
                                  visit_id, {"templates": visit["template_refs"]}))  # fmt: skip
        if status is VisitStatus.DRAFT:
            return
        # Completed and signed on site; submitted when back at the branch (next day at the
        # latest); reviewed by the supervisor a few days later — never after today.
        signed = visit["ended_at"] + timedelta(minutes=rng.randint(2, 30))
        submitted = max(signed, china_time(min(on + timedelta(days=1), self.today), 18))
        reviewed = max(
            submitted + timedelta(hours=1),
            china_time(min(on + timedelta(days=rng.randint(2, 6)), self.today), 17),
        )
        when = {
            VisitStatus.COMPLETED: visit["ended_at"], VisitStatus.SIGNED: signed,
            VisitStatus.SUBMITTED: submitted, VisitStatus.APPROVED: reviewed,
            VisitStatus.RETURNED: reviewed,
        }  # fmt: skip
        if signs_report(status, on, self.today):
            # Drawn on the signature pad when it was signed; the visit is locked after.
            visit["officer_signature_png"] = handwriting_png(officer)
            self.signings.append(DemoSigning(
                visit_id, officer, signed, self.users.supervisor_of[officer],
                reviewed if status is VisitStatus.APPROVED else None))
        source = VisitStatus.DRAFT
        for target in _PATH[status]:
            by = boss_id if target in (VisitStatus.APPROVED, VisitStatus.RETURNED) else officer_id
            reason = rng.choice(words.RETURN_REASONS) if target is VisitStatus.RETURNED else ""
            detail = {"source": source, "target": target, "reason": reason}
            self.events.append(
                AuditEvent(when[target], by, "visit.transition", "visit", visit_id, detail)
            )
            source = target
        self.statuses.append(
            {"b_id": visit_id, "b_status": status, "b_version": 1 + len(_PATH[status]),
             "b_updated": when[status]}
        )  # fmt: skip


@dataclass
class _VisitRecord:
    case: BorrowerCase
    date: date
    officer: str
    visit_id: str = ""
    # (item code, title, note, fact) of each checklist signal the visit raised
    signals: list[tuple[str, str, str, SignalFact]] = field(default_factory=list)
    drop_fact: SignalFact | None = None
    drop_item: str | None = None
    signal_ids: list[str] = field(default_factory=list)
