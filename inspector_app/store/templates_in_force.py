"""The checklist templates in force on this laptop: those shipped with the app and those
headquarters published (pulled into reference_docs, entity "template").

- every valid version stays resolvable by its ref ("code@version"), so a visit keeps the exact
  templates it was started with, whatever was published since (``known``);
- a new visit chooses from the highest version of each code (``current``): a pulled template
  with a higher version than the shipped one supersedes it for new visits only;
- a pulled template is validated with the loader's own rules (one file's rules, then the rules
  between templates against the others in force); one that fails is kept on record where the
  pull put it but not used, and the reason is logged, as the pulled policy is treated.

Computed once per state of the pulled templates: the cache key is the (ref, version, deleted)
of every template document, one indexed read, since a visit's checklist is looked up on every
answer the officer types.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.domain.checklist import Template, TemplateValidationError
from inspector_app.domain.template_loader import (
    cross_check,
    load_shipped_templates,
    load_template_text,
)
from inspector_app.store.models import ReferenceDoc

log = logging.getLogger(__name__)

ENTITY = "template"
_CACHE_SIZE = 4  # several stores in one process (tests, a restore) each keep theirs


@dataclass(frozen=True)
class TemplatesInForce:
    known: tuple[Template, ...]  # every version a visit may refer to
    current: tuple[Template, ...]  # the highest version of each code: for new visits
    ignored: dict[str, str] = field(default_factory=dict)  # pulled ref -> why it is not used

    def by_code(self) -> dict[str, Template]:
        """The current template of each code (what select_checklist takes)."""
        return {t.code: t for t in self.current}


_DOCS = ReferenceDoc.__table__.c
_STATE = (select(_DOCS.id, _DOCS.version, _DOCS.deleted).where(_DOCS.entity == ENTITY)
          .order_by(_DOCS.id))
_lock = threading.Lock()
_cache: OrderedDict[tuple[Any, ...], TemplatesInForce] = OrderedDict()


@cache
def shipped_templates() -> tuple[Template, ...]:
    """The shipped templates (inspector_app.resources) with their earlier shipped versions,
    loaded and validated once per process."""
    return load_shipped_templates()


def templates_in_force(session: Session) -> TemplatesInForce:
    """Shipped ∪ valid pulled templates, as of what this session sees."""
    # Which database, then the state of its pulled templates (a ref's content never changes
    # at headquarters, but two laptops' databases in one process are not the same laptop).
    # Core on the session's connection: this runs on every answer, the ORM layer adds half.
    connection = session.connection()
    key = (str(connection.engine.url), *connection.execute(_STATE).all())
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    pulled: list[tuple[str, dict[str, Any]]] = []
    if len(key) > 1:
        pulled = [(row.id, dict(row.data)) for row in connection.execute(
            select(_DOCS.id, _DOCS.data).where(_DOCS.entity == ENTITY, _DOCS.deleted.is_(False))
            .order_by(_DOCS.id))]
    result = combine(shipped_templates(), pulled)
    with _lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def last_known() -> tuple[Template, ...]:
    """Every template of the most recently used state (for a visit read without a session)."""
    with _lock:
        return next(reversed(_cache.values())).known if _cache else ()


def combine(shipped: Iterable[Template], pulled: Iterable[tuple[str, dict[str, Any]]]
            ) -> TemplatesInForce:
    """The templates in force given the shipped ones and pulled documents (ref, data)."""
    known: dict[str, Template] = {t.ref: t for t in shipped}
    ignored: dict[str, str] = {}
    candidates: list[tuple[str, Template]] = []  # (when published, template)
    for ref, data in pulled:
        template, reason = _parse(ref, data)
        if template is None:
            ignored[ref] = reason
        elif ref in known:
            if template != known[ref]:
                ignored[ref] = ("a shipped template has the same code and version but other "
                                "content; the shipped one stays in use")
        else:
            candidates.append((str(data.get("published_at") or ""), template))
    # Each new version must also keep the rules between templates with the others in force
    # (no template, section or item code used twice). In publication order, as headquarters
    # checks them: of two that collide the later one is refused, and a failing version leaves
    # the previous one of its code current.
    candidates.sort(key=lambda c: (c[0], c[1].code, c[1].version))
    for _published, template in candidates:
        others = [t for t in _current(known.values()) if t.code != template.code]
        problems = cross_check([*others, template])
        mine = [p for p in problems if str(p.file) == str(template.path)]
        if mine:
            ignored[template.ref] = "; ".join(str(p) for p in mine)
        else:
            known[template.ref] = template
    for ref, reason in ignored.items():
        log.warning("pulled checklist template %s is not used: %s", ref, reason)
    return TemplatesInForce(tuple(known.values()), _current(known.values()), ignored)


def _current(templates: Iterable[Template]) -> tuple[Template, ...]:
    newest: dict[str, Template] = {}
    for t in templates:
        if t.code not in newest or t.version > newest[t.code].version:
            newest[t.code] = t
    return tuple(newest.values())


def _parse(ref: str, data: dict[str, Any]) -> tuple[Template | None, str]:
    text = data.get("yaml")
    if not isinstance(text, str) or not text.strip():
        return None, "the document carries no template text"
    try:
        template = load_template_text(text, Path(f"{ref}.yaml"))
    except TemplateValidationError as exc:
        return None, "; ".join(str(e) for e in exc.errors)
    if template.ref != ref:
        return None, f"the text is template {template.ref}, published as {ref}"
    return template, ""
