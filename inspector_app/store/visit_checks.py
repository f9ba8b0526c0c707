"""What the store needs from the checklist engine: a visit's checklist, answers and gaps."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from inspector_app.domain.checklist import (
    AnswerState,
    Checklist,
    Unmet,
    checklist_from_refs,
    completion_check,
    parse_answer,
)
from inspector_app.store.models import ChecklistAnswer, Photo, Visit
from inspector_app.store.rows import VisitRecord
from inspector_app.store.templates_in_force import (
    last_known,
    shipped_templates,
    templates_in_force,
)


def visit_checklist(visit: Visit | VisitRecord) -> Checklist:
    """The checklist the visit was started with, at the exact template versions it stored
    (shipped or pulled from headquarters: templates_in_force keeps every version resolvable)."""
    session = object_session(visit) if isinstance(visit, Visit) else None
    if session is not None:
        return checklist_from_refs(templates_in_force(session).known, visit.template_refs)
    # A visit read earlier, outside any session (or its row): the shipped templates, or those
    # in force when the store last looked.
    shipped = shipped_templates()
    if {t.ref for t in shipped}.issuperset(visit.template_refs):
        return checklist_from_refs(shipped, visit.template_refs)
    return checklist_from_refs((*shipped, *last_known()), visit.template_refs)


def answer_states(session: Session, visit: Visit, checklist: Checklist) -> dict[str, AnswerState]:
    photos: Counter[str] = Counter(
        code
        for code in session.scalars(
            select(Photo.item_code).where(Photo.visit_id == visit.id, Photo.item_code.is_not(None))
        )
        if code is not None  # never false (the WHERE); it narrows str | None for the checker
    )
    states: dict[str, AnswerState] = {}
    for row in session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.visit_id == visit.id)):
        try:
            item = checklist.item(row.item_code)
        except KeyError:
            continue  # an answer to an item the template no longer has is kept, not counted
        value = None if row.value is None else parse_answer(item, row.value)
        states[row.item_code] = AnswerState(value, row.note, photos[row.item_code])
    for code, count in photos.items():
        if code not in states:
            states[code] = AnswerState(None, "", count)
    return states


def unmet_requirements(session: Session, visit: Visit) -> list[Unmet]:
    """Everything still missing before the visit can be marked completed."""
    checklist = visit_checklist(visit)
    return completion_check(checklist, answer_states(session, visit, checklist))
