"""What the officer chooses when starting a visit: the checklist templates, or a draft to resume.

A part of LocalStore (``store.checklist_options(...)``, ``store.start_choices(...)``). The
visit itself is created by ``LocalStore.start_visit``, which takes the refs chosen here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspector_app.common.text import Text, UserError
from inspector_app.domain.checklist import (
    Checklist,
    ChecklistSelectionError,
    Template,
    TemplateKind,
    checklist_from_refs,
    select_checklist,
)
from inspector_app.domain.enums import Industry, LoanType, VisitKind, VisitStatus
from inspector_app.store.base import StoreBase
from inspector_app.store.models import Borrower, ChecklistAnswer, Loan, Visit
from inspector_app.store.templates_in_force import shipped_templates, templates_in_force


class TemplateChoiceError(UserError):
    """The templates the officer picked cannot make a checklist; ``.text`` says why."""


class ChecklistOptions(NamedTuple):
    """The automatic choice for a kind of visit, and every template the officer may pick."""

    default_refs: list[str]  # base first, then supplements
    templates: list[Template]  # bases first, then supplements, each by code


@dataclass(frozen=True)
class DraftVisit:
    """A visit of the borrower the officer started and has not completed."""

    id: str
    kind: VisitKind
    visit_date: date
    answered: int


@dataclass(frozen=True)
class StartChoices:
    """What the start-visit dialog needs, read in one go off the UI thread."""

    borrower_name: str
    address: str
    suggested_kind: VisitKind
    options: dict[VisitKind, ChecklistOptions]
    draft: DraftVisit | None


class VisitStarting(StoreBase):
    """LocalStore's start-of-visit queries."""

    def checklist_options(self, borrower_id: str, kind: VisitKind) -> ChecklistOptions:
        """The templates chosen automatically for this borrower and kind, and every template a
        new visit may use (shipped, or a newer version published by headquarters)."""
        with self.read() as s:
            borrower = s.get_one(Borrower, borrower_id)
            loan_types = set(s.scalars(select(Loan.loan_type).where(
                Loan.borrower_id == borrower_id)))
            industry = borrower.industry
            current = templates_in_force(s).current
        return _options(kind, loan_types, industry, current)

    def checklist_templates(self, visit_id: str) -> tuple[Template, ...]:
        """The templates a visit's header shows and may switch to: those a new visit would
        choose from, and the visit's own (possibly older) versions."""
        with self.read() as s:
            in_force = templates_in_force(s)
            refs = s.get_one(Visit, visit_id).template_refs
        current = {t.ref for t in in_force.current}
        own = tuple(t for t in in_force.known if t.ref in refs and t.ref not in current)
        return (*in_force.current, *own)

    def start_choices(self, borrower_id: str, officer_id: str) -> StartChoices:
        """Defaults for a new visit of the borrower, and the officer's draft to resume."""
        with self.read() as s:
            borrower = s.get_one(Borrower, borrower_id)
            loan_types = set(s.scalars(select(Loan.loan_type).where(
                Loan.borrower_id == borrower_id)))
            visited = s.scalar(select(func.count()).select_from(Visit).where(
                Visit.borrower_id == borrower_id, Visit.status != VisitStatus.DRAFT)) or 0
            draft = _draft(s, borrower_id, officer_id)
            name, address, industry = borrower.name, borrower.address, borrower.industry
            due_kind = borrower.next_due_kind
            current = templates_in_force(s).current
        suggested = due_kind or (VisitKind.ROUTINE if visited else VisitKind.FIRST)
        return StartChoices(
            borrower_name=name, address=address, suggested_kind=suggested,
            options={kind: _options(kind, loan_types, industry, current) for kind in VisitKind},
            draft=draft,
        )


def checklist_of_refs(refs: list[str], templates: Iterable[Template] | None = None) -> Checklist:
    """The checklist the officer composed: a base template first, then supplements, among
    ``templates`` (those a new visit may use; default: the shipped ones).

    TemplateChoiceError (bilingual) if the refs are unknown or not a base plus supplements.
    """
    try:
        return checklist_from_refs(shipped_templates() if templates is None else templates,
                                   refs)
    except ChecklistSelectionError as exc:
        raise TemplateChoiceError(Text("所选检查模板不可用",
                                       f"the templates chosen are not available ({exc})")
                                  ) from exc
    except ValueError as exc:  # not a base first, a supplement twice, an item in two templates
        raise TemplateChoiceError(Text("请选择一个基础模板及若干补充模板",
                                       f"choose one base template and any supplements ({exc})")
                                  ) from exc


def _options(kind: VisitKind, loan_types: set[LoanType], industry: Industry,
             templates: tuple[Template, ...]) -> ChecklistOptions:
    try:
        chosen = select_checklist({t.code: t for t in templates}, kind, loan_types, industry)
        default = chosen.template_refs()
    except ChecklistSelectionError:
        default = []  # no base for this kind: the officer must pick one
    ordered = sorted(templates, key=lambda t: (t.kind is not TemplateKind.BASE, t.code))
    return ChecklistOptions(default, ordered)


def _draft(s: Session, borrower_id: str, officer_id: str) -> DraftVisit | None:
    visit = s.scalar(
        select(Visit)
        .where(Visit.borrower_id == borrower_id, Visit.officer_id == officer_id,
               Visit.status == VisitStatus.DRAFT)
        .order_by(Visit.created_at.desc())
        .limit(1)
    )
    if visit is None:
        return None
    answered = s.scalar(select(func.count()).select_from(ChecklistAnswer).where(
        ChecklistAnswer.visit_id == visit.id, ChecklistAnswer.value.is_not(None))) or 0
    return DraftVisit(visit.id, visit.kind, visit.visit_date, answered)
