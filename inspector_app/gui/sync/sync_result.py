"""What the sync dialog says: its status line during and after a run, and the outcome's
coloured lines.

Plain functions over the core's SyncReport; their words are in the SyncDialog translation
context, where they were when they lived in the dialog.
"""

from __future__ import annotations

import html
from enum import Enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from inspector_app.gui import i18n
from inspector_app.gui.palette import BAD, GOOD, QUIET
from inspector_app.sync.report import Reason, SyncIssue, SyncProgress, SyncReport, What

WARN = QColor("#e65100")  # conflicts: nothing is lost, but a person has to decide


class Outcome(Enum):
    """How the last Start ended, for the status line."""

    COMPLETE = "complete"
    INCOMPLETE = "incomplete"  # ran, but something is left for next time
    UNREACHABLE = "unreachable"  # the server could not be reached (registration or sync)
    CANCELLED = "cancelled"
    REVOKED = "revoked"
    REGISTRATION_REFUSED = "registration_refused"
    FAILED = "failed"  # an unexpected error


def outcome_of(report: SyncReport) -> Outcome:
    if report.revoked:
        return Outcome.REVOKED
    if report.cancelled:
        return Outcome.CANCELLED
    if report.unreachable:
        return Outcome.UNREACHABLE
    return Outcome.COMPLETE if report.ok else Outcome.INCOMPLETE


def stage_text(progress: SyncProgress) -> str:
    """The status line while a run is under way."""
    translate = QCoreApplication.translate
    if progress.stage == "upload":
        total = progress.total
        current = min(progress.done + 1, total)  # the file being sent, counted from 1
        return translate("SyncDialog", "Uploading photos {done}/{total}…").format(
            done=current, total=total)
    if progress.stage == "push":
        return translate("SyncDialog", "Sending visits…")
    if progress.stage == "team":
        return translate("SyncDialog", "Receiving the team's visits for review…")
    if progress.stage == "files":
        return translate("SyncDialog", "Downloading their photos and reports {done}/{total}…"
                         ).format(done=min(progress.done + 1, progress.total),
                                  total=progress.total)
    return translate("SyncDialog", "Downloading updates…")


def status_text(outcome: Outcome | None, time: str) -> str:
    """The status line at rest: what the last Start came to, and when."""
    translate = QCoreApplication.translate
    if outcome is None:
        return translate("SyncDialog", "Press Start to sync with headquarters.")
    texts = {
        Outcome.COMPLETE: translate("SyncDialog", "Sync complete at {time}."),
        Outcome.INCOMPLETE: translate(
            "SyncDialog", "The sync at {time} did not get everything through; see below."),
        Outcome.UNREACHABLE: translate(
            "SyncDialog", "The server could not be reached at {time}; see below why."),
        Outcome.CANCELLED: translate("SyncDialog", "Sync cancelled at {time}."),
        Outcome.REVOKED: translate(
            "SyncDialog", "This laptop has been revoked; sync is stopped."),
        Outcome.REGISTRATION_REFUSED: translate(
            "SyncDialog", "Registration did not go through at {time}; see below."),
        Outcome.FAILED: translate("SyncDialog", "Sync failed at {time}; see below."),
    }
    return texts[outcome].format(time=time)


def coloured(text: str, colour: QColor | None, bold: bool = False) -> str:
    body = html.escape(text)
    if bold:
        body = f"<b>{body}</b>"
    return f'<p style="color: {colour.name()};">{body}</p>' if colour else f"<p>{body}</p>"


def report_html(report: SyncReport) -> list[str]:
    """The report's sentences as paragraphs, coloured by what they mean to the officer."""
    conflicts = [i for i in report.issues if i.reason is Reason.CONFLICT]
    # The sentence messages() writes for each conflict, found through the public API.
    conflict_lines = {SyncReport(issues=[i]).messages()[-1] for i in conflicts}
    lines = report.messages()
    summary_at = 1 if report.revoked else 0
    parts = []
    for at, line in enumerate(lines):
        text = i18n.in_current_language(line)
        if report.revoked and at == 0:
            parts.append(coloured(text, BAD, bold=True))
        elif at == summary_at:
            parts.append(coloured(text, GOOD if report.ok else None, bold=True))
        elif report.cancelled and at == len(lines) - 1:
            parts.append(coloured(text, QUIET))
        elif line in conflict_lines:
            parts.append(coloured(text, WARN))
        else:
            parts.append(coloured(text, BAD))
    # A supervisor's decision refused (another decision stands at headquarters) is not a
    # visit to take to the supervisor: it is theirs, and the review queue shows what stands.
    decisions = [i for i in conflicts if i.what is What.APPROVAL]
    visits = [i for i in conflicts if i.what is not What.APPROVAL]
    translate = QCoreApplication.translate
    for issues, heading in (
        (decisions, translate(
            "SyncDialog", "Decisions headquarters did not accept: another decision stands "
                          "there. Open the visit in the review queue to see it:")),
        (visits, translate(
            "SyncDialog", "Visits in conflict with headquarters (ask your supervisor):")),
    ):
        if issues:
            parts += _listed(issues, heading)
    return parts


def _listed(issues: list[SyncIssue], heading: str) -> list[str]:
    items = "".join(f"<li>{html.escape(i.label or i.ref)}</li>" for i in issues)
    return [coloured(heading, WARN, bold=True), f'<ul style="color: {WARN.name()};">{items}</ul>']
