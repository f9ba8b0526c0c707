"""What the visit editor asks of each of its pages, and the base every page is built on.

The editor (window.py) lists its pages on the left and stacks them on the right: the header,
one page per checklist section, photos, collateral, signals, conclusion and completion. It
treats them all alike through ``Page``; ``EditorPage`` is the QWidget they derive from, which
gives the parts a page may have nothing for (a signal it never emits, a flush with nothing
waiting) a default, so the editor calls them on every page without asking which has them.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QWidget


@runtime_checkable
class Page(Protocol):
    """One page of the visit editor."""

    # A target (a Missing.target such as "item:A01") the editor should show, with the page
    # that owns it: after an undo/redo changed it (reveal), or when the user asked to go to
    # it (jump, from the completion check's list of what is missing).
    reveal_requested: SignalInstance
    jump_requested: SignalInstance

    def page_key(self) -> str:
        """Stable name of the page, remembered as the place to come back to."""
        ...

    def page_title(self) -> str:
        """What the page list calls it, in the language now shown."""
        ...

    def refresh(self) -> None:
        """Read the visit again; called each time the page is shown."""
        ...

    def focus_target(self, target: str) -> bool:
        """Put the keyboard on target if this page owns it; False if it does not."""
        ...

    def flush(self) -> None:
        """Hand over what is typed and still waiting for a pause, as one edit, now."""
        ...

    def set_read_only(self, read_only: bool) -> None:
        """A signed visit: show everything, change nothing."""
        ...


class EditorPage(QWidget):
    """Base of every editor page: the optional parts of Page, done as nothing.

    Subclasses give page_key, page_title, refresh, focus_target and set_read_only; those with
    typing that waits for a pause override flush.
    """

    reveal_requested = Signal(str)
    jump_requested = Signal(str)

    def page_key(self) -> str:
        raise NotImplementedError(type(self).__name__)

    def page_title(self) -> str:
        raise NotImplementedError(type(self).__name__)

    def refresh(self) -> None:
        raise NotImplementedError(type(self).__name__)

    def focus_target(self, target: str) -> bool:
        raise NotImplementedError(type(self).__name__)

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError(type(self).__name__)

    built = True  # its widgets are made; a page making them when first needed says False

    def flush(self) -> None:
        """Nothing on this page waits for a pause."""

    def build(self) -> None:
        """Make what the page has not made yet: the editor calls it before showing the page
        (and when idle). Pages made whole at once have nothing left to make."""

    def listed(self) -> bool:
        """Whether the page list shows the page now (the supervisor's comments: only when
        there are some)."""
        return True
