"""Whether a visit's signed report can be relied on: a verdict, the problems, one row a signature.

The widget shows a ReportVerdict, a plain copy of what reports.verify.verify_pdf found, made by
from_verification_report(). The copy reads the report's attributes by name, so the widget
depends only on the names listed in _ALIASES, not on the verifier's classes, and keeps pyHanko
out of the GUI's start-up (the verifier is imported when the first check runs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.i18n import in_language
from inspector_app.gui.palette import BAD, GOOD, QUIET
from inspector_app.gui.tables import make_roomy
from inspector_app.gui.workers import TaskRunner

# The report's signature fields (reports/signing.py's OFFICER_FIELD and SUPERVISOR_FIELD,
# named here rather than imported: pyHanko stays out of the GUI's start-up), and whose each is.
SIGNATURE_FIELDS = {"OfficerSignature": "officer", "SupervisorSignature": "supervisor"}

log = logging.getLogger(__name__)

MAX_VISIBLE_ROWS = 6

# pyHanko's ModificationLevel names, worst last.
MODIFICATION_LEVELS = ("NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER")

# Attribute names tried, in order, on the verifier's objects. The first of each is what
# reports/verify.py (VerificationReport, SignatureCheck) calls it.
_ALIASES: dict[str, tuple[str, ...]] = {
    "signatures": ("signatures", "results", "signature_results"),
    "problems": ("problems", "errors"),
    "verdict": ("verdict", "ok", "all_valid"),
    "trust_checked": ("trust_checked",),
    "field_name": ("field_name", "field"),
    "signer": ("signer", "signer_name", "signer_subject"),
    "signing_time": ("signed_at", "signing_time", "signer_reported_dt"),
    "intact": ("intact",),
    "valid": ("valid",),
    "trusted": ("trusted",),
    "covers_entire_file": ("covers_entire_file", "covers_whole_document"),
    "revision": ("revision",),
    "revisions": ("revisions",),
    "modification_level": ("modification_level", "modifications"),
    "changes_allowed": ("docmdp_ok", "changes_allowed"),
    "info_changes": ("info_changes",),
    "details": ("details",),
}
_MISSING = object()


@dataclass(frozen=True)
class SignatureRow:
    """One signature as the widget shows it."""

    field_name: str
    signer: str
    signing_time: datetime | None
    intact: bool
    valid: bool
    trusted: bool | None  # None: no trust root was given, so the chain was not checked
    covers_entire_file: bool
    revision: int | None  # 1-based revision the signature belongs to
    revisions: int | None  # revisions in the whole file
    # A ModificationLevel name from MODIFICATION_LEVELS, or the verifier's own text.
    modification_level: str | None
    changes_allowed: bool  # the changes after it are ones its certification permits
    verdict: bool
    # Document information entries (/Title, ...) changed after it: shown as the change.
    info_changes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # bilingual, "中文 / English"
    details: tuple[str, ...] = ()  # technical account for support staff (shown as a tooltip)


@dataclass(frozen=True)
class ReportVerdict:
    """The outcome of verifying one report file."""

    verdict: bool  # every signature intact, valid, trusted (or unchecked) and no problems
    signatures: tuple[SignatureRow, ...] = ()
    problems: tuple[str, ...] = ()  # about the document, not one signature (bilingual)
    trust_checked: bool = True
    error: str | None = None  # verification itself failed (unreadable file, bad trust root)

    @classmethod
    def failed(cls, error: str) -> ReportVerdict:
        return cls(verdict=False, error=error)


def _get(obj: object, key: str, default: Any = None) -> Any:
    for name in _ALIASES[key]:
        value = getattr(obj, name, _MISSING)
        if value is not _MISSING:
            return value
    return default


def _level_name(level: object) -> str | None:
    if level is None:
        return None
    name = getattr(level, "name", None)
    if isinstance(name, str) and name in MODIFICATION_LEVELS:
        return name
    return str(level)


def _signature_row(check: object) -> SignatureRow:
    intact = bool(_get(check, "intact", False))
    valid = bool(_get(check, "valid", False))
    trusted = _get(check, "trusted")
    changes_allowed = bool(_get(check, "changes_allowed", True))
    problems = tuple(str(p) for p in _get(check, "problems", ()) or ())
    verdict = _get(check, "verdict")
    if not isinstance(verdict, bool):
        verdict = intact and valid and trusted is not False and changes_allowed and not problems
    signing_time = _get(check, "signing_time")
    return SignatureRow(
        field_name=str(_get(check, "field_name", "") or ""),
        signer=str(_get(check, "signer", "") or ""),
        signing_time=signing_time if isinstance(signing_time, datetime) else None,
        intact=intact,
        valid=valid,
        trusted=None if trusted is None else bool(trusted),
        covers_entire_file=bool(_get(check, "covers_entire_file", False)),
        revision=_get(check, "revision"),
        revisions=_get(check, "revisions"),
        modification_level=_level_name(_get(check, "modification_level")),
        info_changes=tuple(str(k) for k in _get(check, "info_changes", ()) or ()),
        changes_allowed=changes_allowed,
        verdict=verdict,
        problems=problems,
        details=tuple(str(d) for d in _get(check, "details", ()) or ()),
    )


def from_verification_report(report: object) -> ReportVerdict:
    """A ReportVerdict from verify_pdf's VerificationReport (or anything with its names)."""
    rows = tuple(_signature_row(s) for s in _get(report, "signatures", ()) or ())
    problems = tuple(str(p) for p in _get(report, "problems", ()) or ())
    verdict = _get(report, "verdict")
    if callable(verdict):
        verdict = verdict()
    # Never greener than the rows: a report claiming success with a failed row is not trusted.
    ok = bool(verdict) and bool(rows) and not problems and all(r.verdict for r in rows)
    trust_checked = _get(report, "trust_checked")
    if trust_checked is None:
        trust_checked = all(r.trusted is not None for r in rows)
    return ReportVerdict(ok, rows, problems, bool(trust_checked))


Verify = Callable[[Path, Sequence[Path]], object]


def _verify_pdf(path: Path, trust_roots: Sequence[Path]) -> object:
    # Imported here: pyHanko takes a while to load and most sessions never verify a report.
    from inspector_app.reports.verify import verify_pdf

    return verify_pdf(path, trust_roots)


def verify_in_background(
    runner: TaskRunner,
    path: str | Path,
    trust_roots: Sequence[str | Path],
    on_done: Callable[[ReportVerdict], None],
    *,
    verify: Verify | None = None,
) -> int:
    """Verify the report at path on a worker; on_done(ReportVerdict) follows on the UI thread.

    A failure to verify at all arrives as a ReportVerdict with .error set. Returns the ticket.
    """
    check = verify or _verify_pdf
    report_path, roots = Path(path), [Path(r) for r in trust_roots]

    def failed(error: Exception) -> None:
        from inspector_app.reports.verify import VerificationError

        # The verifier's own errors are bilingual sentences for the user; anything else is a bug.
        if not isinstance(error, VerificationError):
            log.error("verifying %s failed", report_path, exc_info=error)
        on_done(ReportVerdict.failed(str(error)))

    return runner.submit(
        lambda: from_verification_report(check(report_path, roots)), on_done, failed
    )


class ReportVerdictWidget(QWidget):
    """A ✓ or ✗ headline, the problems found, and a table with a row for each signature."""

    class Column:
        SIGNER, SIGNED_AT, INTACT, TRUSTED, COVERS, CHANGES = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict: ReportVerdict | None = None
        self._busy = False
        self._runner = TaskRunner(self)
        self._generation = 0  # bumped per check, so an answer overtaken by a newer one is dropped

        self._icon = QLabel(self)
        self._icon.setObjectName("verdictIcon")
        icon_font = QFont(self._icon.font())
        icon_font.setPointSizeF(icon_font.pointSizeF() * 2.2)
        icon_font.setBold(True)
        self._icon.setFont(icon_font)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._headline = QLabel(self)
        self._headline.setObjectName("verdictHeadline")
        headline_font = QFont(self._headline.font())
        headline_font.setPointSizeF(headline_font.pointSizeF() * 1.35)
        headline_font.setBold(True)
        self._headline.setFont(headline_font)
        self._note = QLabel(self)
        self._note.setObjectName("verdictNote")
        self._note.setWordWrap(True)
        self._problems = QLabel(self)
        self._problems.setObjectName("verdictProblems")
        self._problems.setWordWrap(True)
        self._problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._problems.setStyleSheet(f"color: {BAD.name()};")

        self.table = QTableWidget(0, 6, self)
        make_roomy(self.table)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        top = QHBoxLayout()
        top.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.addWidget(self._headline)
        words.addWidget(self._note)
        top.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._problems)
        layout.addWidget(self.table)
        layout.addStretch(1)
        self._render()

    # -- public --------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def show_busy(self) -> None:
        """Show that a check is running."""
        self._busy = True
        self.verdict = None
        self._render()

    def show_verdict(self, verdict: ReportVerdict) -> None:
        self._busy = False
        self.verdict = verdict
        self._render()

    def verify_file(
        self, path: str | Path, trust_roots: Sequence[str | Path], verify: Verify | None = None
    ) -> None:
        """Check the report at path off the UI thread and show the outcome when it arrives."""
        self._generation += 1
        generation = self._generation
        self.show_busy()

        def done(verdict: ReportVerdict) -> None:
            if generation == self._generation:
                self.show_verdict(verdict)

        verify_in_background(self._runner, path, trust_roots, done, verify=verify)

    def headline(self) -> str:
        """The verdict as shown: the mark and the sentence."""
        return f"{self._icon.text()} {self._headline.text()}".strip()

    def note(self) -> str:
        return self._note.text() if not self._note.isHidden() else ""

    def problems(self) -> list[str]:
        """The problems as listed under the headline, one string each."""
        if self._problems.isHidden():
            return []
        return [line.removeprefix("• ") for line in self._problems.text().split("\n")]

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]

    def sizeHint(self) -> QSize:
        # Wide enough for every column without a scroll bar; high enough for every line.
        margins = self.layout().contentsMargins()
        # (+4: the header rounds section widths, and a scroll bar for one pixel looks broken.)
        table_width = self.table.horizontalHeader().length() + 2 * self.table.frameWidth() + 4
        width = max(super().sizeHint().width(), table_width + margins.left() + margins.right())
        layout = self.layout()
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else 0
        return QSize(width, max(height, super().sizeHint().height()))

    # -- Qt events -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    # -- rendering -----------------------------------------------------------------------------

    def _render(self) -> None:
        lang = i18n.current()
        self.table.setHorizontalHeaderLabels([
            self.tr("Signer"), self.tr("Signed at"), self.tr("Intact"), self.tr("Trusted"),
            self.tr("Covers"), self.tr("Changes after signing"),
        ])
        verdict = self.verdict
        note = ""
        problems: list[str] = []
        if self._busy or verdict is None:
            mark, colour = "", QUIET
            text = self.tr("Checking the signatures…") if self._busy else ""
        elif verdict.error is not None:
            mark, colour = "✗", BAD
            text = self.tr("The report could not be checked")
            problems.append(in_language(verdict.error, lang))
        elif not verdict.signatures:
            mark, colour = "✗", BAD
            text = self.tr("The report is not signed")
        elif verdict.verdict:
            mark, colour = "✓", GOOD
            text = self.tr("All signatures valid")
        else:
            mark, colour = "✗", BAD
            text = self.tr("Signatures not valid")
        if verdict is not None and verdict.error is None:
            # "Not signed" already says what the verifier's "no signatures" problem would.
            if verdict.signatures:
                problems += [in_language(p, lang) for p in verdict.problems]
            for row in verdict.signatures:
                who = row.signer or self._field(row.field_name)
                problems += [f"{who}: {in_language(p, lang)}" for p in row.problems]
            if verdict.signatures and not verdict.trust_checked:
                note = self.tr(
                    "No trusted root certificate was given, so the signers' certificates "
                    "were not checked."
                )
        style = f"color: {colour.name()};"
        self._icon.setText(mark)
        self._icon.setStyleSheet(style)
        self._icon.setHidden(not mark)
        self._headline.setText(text)
        self._headline.setStyleSheet(style)
        self._note.setText(note)
        self._note.setHidden(not note)
        self._problems.setText("\n".join(f"• {p}" for p in problems))
        self._problems.setHidden(not problems)
        self._fill_table(verdict.signatures if verdict is not None else ())

    def _fill_table(self, rows: Sequence[SignatureRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [
                f"{'✓' if row.verdict else '✗'} {row.signer or self._field(row.field_name)}",
                self._time(row.signing_time),
                self._yes_no(row.intact),
                self._trusted(row.trusted),
                self._covers(row),
                self._changes(row),
            ]
            bad = [
                not row.verdict, False, not row.intact, row.trusted is False,
                False, not row.changes_allowed,
            ]
            for c, (text, is_bad) in enumerate(zip(cells, bad, strict=True)):
                item = QTableWidgetItem(text)
                if c == self.Column.SIGNER:
                    item.setForeground(BAD if not row.verdict else GOOD)
                    item.setToolTip("\n".join((self._field(row.field_name), *row.details)))
                elif is_bad:
                    item.setForeground(BAD)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        # Exactly as high as its rows: a report has two or three signatures, and empty table
        # below them would look like signatures missing. Past MAX_VISIBLE_ROWS it scrolls.
        visible_rows = min(max(len(rows), 1), MAX_VISIBLE_ROWS)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + visible_rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.table.setFixedHeight(height)

    def _time(self, when: datetime | None) -> str:
        if when is None:
            return self.tr("Unknown")
        offset = when.strftime("%z")
        # The signer's own clock and offset, as on the seal: never silently converted.
        return f"{when:%Y-%m-%d %H:%M}" + (f" {offset[:3]}:{offset[3:]}" if offset else "")

    def _field(self, name: str) -> str:
        """A signature field in words: the report's two are the officer's and the review's."""
        words = {"officer": self.tr("The officer's signature"),
                 "supervisor": self.tr("The supervisor's countersignature")}
        return words.get(SIGNATURE_FIELDS.get(name, ""), self.tr("A signature"))

    def _yes_no(self, value: bool) -> str:
        return self.tr("Yes") if value else self.tr("No")

    def _trusted(self, value: bool | None) -> str:
        return self.tr("Not checked") if value is None else self._yes_no(value)

    def _covers(self, row: SignatureRow) -> str:
        # Not "version 2 of 3" (the file's revisions): what the officer knows is whether the
        # signature vouches for all he reads, or for the report before later additions.
        if row.covers_entire_file:
            return self.tr("The whole report")
        return self.tr("The report as it was signed")

    def _changes(self, row: SignatureRow) -> str:
        labels = {
            "NONE": self.tr("None"),
            "LTA_UPDATES": self.tr("Signature check data only"),
            # What form filling is in these reports: the review block and its signature.
            "FORM_FILLING": self.tr("The review and later signatures"),
            "ANNOTATIONS": self.tr("Notes added on the pages"),
            "OTHER": self.tr("Other changes"),
        }
        level = row.modification_level
        text = self.tr("Unknown") if level is None else labels.get(level, level)
        if row.info_changes:  # not "validation data", as pyHanko files it
            level = "INFO"
            text = self.tr("Document information ({keys})").format(
                keys=", ".join(row.info_changes))
        if level not in (None, "NONE"):
            allowed = self.tr("allowed") if row.changes_allowed else self.tr("not allowed")
            text = self.tr("{changes} ({allowed})").format(changes=text, allowed=allowed)
        return text
