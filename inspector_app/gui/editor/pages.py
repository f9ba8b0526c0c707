"""The editor's pages after the checklist sections, in the order the page list shows them."""

from __future__ import annotations

import re

from inspector_app.gui.editor.collateral_page import CollateralPage
from inspector_app.gui.editor.comments_page import CommentsPage
from inspector_app.gui.editor.completion_page import CompletionPage
from inspector_app.gui.editor.conclusion_page import ConclusionPage
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.gui.editor.signals_page import SignalsPage

OTHER_PAGES: tuple[type[EditorPage], ...] = (
    VisitPhotosPage, CollateralPage, SignalsPage, ConclusionPage, CompletionPage, CommentsPage,
)


def other_pages(ctx: VisitContext) -> list[EditorPage]:
    """One of each page after the sections, for the visit of ctx."""
    return [page(ctx) for page in OTHER_PAGES]  # type: ignore[call-arg]


def without_mnemonic(text: str) -> str:
    """"撤销(&U)" -> "撤销", "&Undo" -> "Undo": for tooltips."""
    return re.sub(r"\(&\w\)|&", "", text)
