"""A pushed visit checked against the templates and the borrower's portfolio.

The rules are the domain's (domain.visit_rules, the same the laptop's store keeps); this module
only gathers what they need at headquarters: every template version a visit may refer to
(those shipped with the application and those published here) and the borrower's collateral
register. A document that breaks a rule is refused with 422 (413 for text too long), an
ErrorBody whose message the laptop shows as is, naming things as the officer knows them (an
item by its section and question, a template by its title and version, a collateral item by
its description: domain.document_words), and whose detail names the field and the codes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select

from inspector_app.common.clock import utcnow
from inspector_app.domain.checklist import Template, TemplateValidationError
from inspector_app.domain.template_loader import load_shipped_templates, load_template_text
from inspector_app.domain.visit_rules import Problem, document_problem
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError
from inspector_app.hq.models import CollateralItem
from inspector_app.hq.models import Template as TemplateRow

_TEMPLATES = TemplateRow.__table__.c
_PUBLISHED = select(_TEMPLATES.code, _TEMPLATES.version, _TEMPLATES.yaml_text).where(
    _TEMPLATES.code.in_(bindparam("codes", expanding=True)))
_COLLATERAL = select(CollateralItem.id, CollateralItem.description).where(
    CollateralItem.borrower_id == bindparam("borrower"))

_lock = threading.Lock()
# A published "code@version" never changes (admin.publish_template refuses other content):
# each is parsed once per process.
_parsed: dict[tuple[str, str], Template | None] = {}


@cache
def shipped_templates() -> tuple[Template, ...]:
    return load_shipped_templates()  # with earlier shipped versions: old visits refer to them


def _published(ref: str, text: str) -> Template | None:
    key = (ref, text)
    with _lock:
        if key in _parsed:
            return _parsed[key]
    try:
        template: Template | None = load_template_text(text, Path(f"{ref}.yaml"))
    except TemplateValidationError:
        template = None  # published before a rule it breaks existed: not one a visit may use
    with _lock:
        _parsed[key] = template
    return template


def templates_for(hq: Hq, refs: Iterable[str]) -> list[Template]:
    """The templates a visit naming ``refs`` may use: the shipped ones, and the published
    versions of the codes it names (a shipped ref wins over a published one of the same ref,
    as on the laptop)."""
    shipped = shipped_templates()
    known = {t.ref: t for t in shipped}
    codes = sorted({r.partition("@")[0] for r in refs if r not in known})
    if codes:
        with hq.db.read_core() as conn:
            rows = conn.execute(_PUBLISHED, {"codes": codes}).all()
        for row in rows:
            ref = f"{row.code}@{row.version}"
            if ref not in known and (t := _published(ref, row.yaml_text)) is not None:
                known[ref] = t
    return list(known.values())


def collateral_of(hq: Hq, borrower_id: str) -> dict[str, str]:
    """The borrower's collateral register: id -> description (how a refusal names an item)."""
    with hq.db.read_core() as conn:
        return {row.id: row.description
                for row in conn.execute(_COLLATERAL, {"borrower": borrower_id})}


def check_document(hq: Hq, payload: dict[str, Any], today: date | None = None) -> None:
    """Refuse (ApiError 413/422) a visit document that breaks a rule of domain.visit_rules."""
    refs = payload.get("template_refs") or []
    problem = document_problem(
        payload, templates_for(hq, [str(r) for r in refs]),
        collateral_of(hq, str(payload.get("borrower_id", ""))),
        today or utcnow().date())
    if problem is not None:
        raise refusal(problem)


def refusal(problem: Problem) -> ApiError:
    status = 413 if problem.code == "too_long" else 422
    return ApiError(status, problem.code,
                    f"检查记录未被接受：{problem.text.zh} / the visit was not accepted: "
                    f"{problem.text.en}",
                    {**problem.detail, "field": problem.where})
