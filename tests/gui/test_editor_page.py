"""Every page of the visit editor offers the whole Page protocol, so the editor asks none."""

from __future__ import annotations

import pytest

from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.header_page import VisitHeaderPage
from inspector_app.gui.editor.page import EditorPage, Page
from inspector_app.gui.editor.pages import OTHER_PAGES

# What EditorPage cannot do for a page: each page says it itself.
OWN = {"page_key", "page_title", "refresh", "focus_target", "set_read_only"}
# What EditorPage gives every page by default.
DEFAULTS = {"flush", "reveal_requested", "jump_requested"}


def test_the_protocol_is_what_the_pages_own_and_the_defaults() -> None:
    members = {name for name in vars(Page) if not name.startswith("_")}
    members |= set(Page.__annotations__)
    assert members == OWN | DEFAULTS


@pytest.mark.parametrize("page", [VisitHeaderPage, ChecklistPage, *OTHER_PAGES],
                         ids=lambda page: page.__name__)
def test_every_page_is_an_editor_page_with_its_own_parts(page: type[EditorPage]) -> None:
    assert issubclass(page, EditorPage)
    for name in OWN:
        assert getattr(page, name) is not getattr(EditorPage, name), f"{page.__name__}.{name}"
    for name in DEFAULTS:
        assert hasattr(page, name)


def test_a_page_missing_a_part_of_its_own_is_told(qtbot: object) -> None:
    class Unfinished(EditorPage):
        pass

    page = Unfinished()
    page.flush()  # a default: nothing waits
    with pytest.raises(NotImplementedError, match="Unfinished"):
        page.page_key()
