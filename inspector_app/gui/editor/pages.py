"""The editor's pages after the checklist sections, in the order the page list shows them.

Most of them are made only when first needed (LATER_PAGES): until then the editor lists a
PendingPage, which knows the page's key, its title and the targets it owns, and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QStyle, QWidget

from inspector_app.gui.editor import collateral_page, signals_page
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.checklist_row import ABNORMAL_RED
from inspector_app.gui.editor.collateral_page import CollateralPage
from inspector_app.gui.editor.comments_page import CommentsPage
from inspector_app.gui.editor.completion_page import CompletionPage
from inspector_app.gui.editor.conclusion_page import ConclusionPage
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.photos import photos_page
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.gui.editor.signals_page import SignalsPage

OTHER_PAGES: tuple[type[EditorPage], ...] = (
    VisitPhotosPage, CollateralPage, SignalsPage, ConclusionPage, CompletionPage, CommentsPage,
)


@dataclass(frozen=True)
class LaterPage:
    """One of OTHER_PAGES made when first needed: what the editor needs of it before then."""

    kind: type[EditorPage]
    key: str  # kind's page_key()
    title: str  # kind's page_title() in English; translated in kind's context, as its tr()
    targets: tuple[str, ...] = ()  # the targets it owns: these, or starting with one

    def owns(self, target: str) -> bool:
        return target == self.key or target.startswith(self.targets)

    def make(self, ctx: VisitContext) -> EditorPage:
        return self.kind(ctx)  # type: ignore[call-arg]


# The comments page stays among the pages made at once: whether it is listed, and its title,
# follow the comments (listed(), page_title()).
LATER_PAGES: tuple[LaterPage, ...] = (
    LaterPage(VisitPhotosPage, "photos", "Photos",
              ("photo:", photos_page.PHOTO_SHA_PREFIX)),
    LaterPage(CollateralPage, "collateral", "Collateral", (collateral_page.TARGET_PREFIX,)),
    LaterPage(SignalsPage, "signals", "Risk signals", (signals_page.TARGET_PREFIX,)),
    LaterPage(ConclusionPage, "conclusion", "Conclusion", ("conclusion:",)),
    LaterPage(CompletionPage, "completion", "Completion check"),
)


class PendingPage(EditorPage):
    """The place of a page not made yet: listed with its title, never shown (the editor makes
    the page first), owning no target itself (the editor asks spec.owns)."""

    def __init__(self, spec: LaterPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"pending_{spec.key}")

    def page_key(self) -> str:
        return self.spec.key

    def page_title(self) -> str:
        return QCoreApplication.translate(self.spec.kind.__name__, self.spec.title)

    def refresh(self) -> None:
        """Nothing read: the page made in its place reads when shown."""

    def focus_target(self, target: str) -> bool:
        return False

    def set_read_only(self, read_only: bool) -> None:
        """The page made in its place is told."""


def other_pages(ctx: VisitContext) -> list[EditorPage]:
    """The pages after the sections, for the visit of ctx: those of LATER_PAGES pending."""
    later = {spec.kind: spec for spec in LATER_PAGES}
    return [PendingPage(later[page]) if page in later else page(ctx)  # type: ignore[call-arg]
            for page in OTHER_PAGES]


def show_page_titles(page_list: QListWidget, pages: list[EditorPage]) -> None:
    """Each page's title in the editor's page list; a section's with its "answered/total"
    count, a tick once all are answered, red with a warning while evidence lacks."""
    style = page_list.style()
    warning = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    done = style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
    blank = QPixmap(page_list.iconSize())
    blank.fill(Qt.GlobalColor.transparent)  # every title starts at the same place
    for row, page in enumerate(pages):
        item = page_list.item(row)
        item.setHidden(not page.listed())
        if not isinstance(page, ChecklistPage):
            item.setText(page.page_title())
            item.setIcon(QIcon(blank))
            continue
        count = page.counts()
        item.setText(f"{page.page_title()}  {count.answered}/{count.total}")
        complete = count.answered == count.total
        item.setIcon(warning if count.lacking_evidence else done if complete
                     else QIcon(blank))
        item.setForeground(QBrush(QColor(ABNORMAL_RED)) if count.lacking_evidence else QBrush())
        # In the editor's translation context, where it has always been.
        item.setToolTip(QCoreApplication.translate(
            "VisitEditor", "An abnormal answer still needs its note or photo")
            if count.lacking_evidence else "")


def without_mnemonic(text: str) -> str:
    """"撤销(&U)" -> "撤销", "&Undo" -> "Undo": for tooltips."""
    return re.sub(r"\(&\w\)|&", "", text)
