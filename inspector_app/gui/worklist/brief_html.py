"""The pre-visit brief as rich text for the brief dialog: a heading per section, a table per
list, abnormal things in red. Texts are translated here (context BriefHtml); domain labels come
from the enums in the GUI's language."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QObject

from inspector_app.domain.classification import shortfall_percent
from inspector_app.domain.money import format_fen
from inspector_app.store.facade import VisitBrief

ABNORMAL = "#b3261e"
QUIET = "#5f6368"
HEAD_FILL = "#e8eef5"


class BriefHtml(QObject):
    """Builds the HTML of one brief in one language ("zh" or "en")."""

    def __init__(self, brief: VisitBrief, lang: str) -> None:
        super().__init__()
        self.b = brief
        self.lang = lang

    def render(self) -> str:
        parts = [self.borrower(), self.due(), self.loans(), self.collateral(),
                 self.guarantors(), self.related(), self.last_visit(), self.signals()]
        return "<html><body style='margin:4px'>" + "".join(parts) + "</body></html>"

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def h(text: str) -> str:
        return f"<h3 style='color:#1f4e79; margin-top:14px; margin-bottom:4px'>{escape(text)}</h3>"

    def money(self, fen: int | None) -> str:
        return "—" if fen is None else escape(format_fen(fen, self.lang))

    def none(self, text: str) -> str:
        return f"<p style='color:{QUIET}'>{escape(text)}</p>"

    @staticmethod
    def table(head: Sequence[str], rows: Sequence[Sequence[str]],
              red_rows: Sequence[int] = ()) -> str:
        """head and cells are escaped HTML already, except head, which is plain text."""
        cells = "".join(f"<th align='left' style='background:{HEAD_FILL}'>{escape(h)}</th>"
                        for h in head)
        body = []
        for n, row in enumerate(rows):
            style = f" style='color:{ABNORMAL}'" if n in red_rows else ""
            body.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
        return ("<table border='1' cellspacing='0' cellpadding='4' width='100%' "
                "style='border-color:#c9d1d9; border-collapse:collapse'>"
                f"<tr>{cells}</tr>{''.join(body)}</table>")

    # -- sections ------------------------------------------------------------------------------

    def borrower(self) -> str:
        b, lang = self.b.borrower, self.lang
        due = self.tr("Not scheduled")
        if self.b.next_due_on is not None:
            kind = self.b.next_due_kind.label(lang) if self.b.next_due_kind else ""
            due = f"{self.b.next_due_on.isoformat()} {kind}".strip()
        facts = [
            (self.tr("Customer no."), b.code), (self.tr("Type"), b.kind.label(lang)),
            (self.tr("Industry"), b.industry.label(lang)),
            (self.tr("ID / credit code"), b.id_number),
            (self.tr("Legal representative"), b.legal_representative),
            (self.tr("Phone"), b.phone), (self.tr("Address"), b.address),
            (self.tr("Risk classification"), b.classification.label(lang)),
            (self.tr("Loans in all"), format_fen(self.b.amount_fen, lang)),
            (self.tr("Outstanding balance"), format_fen(self.b.outstanding_fen, lang) or "—"),
            (self.tr("Credit officer"), b.officer_name), (self.tr("Branch"), b.branch_name),
            (self.tr("Next inspection"), due),
        ]
        rows = "".join(
            f"<tr><td style='color:{QUIET}' width='22%'>{escape(k)}</td><td>{escape(v)}</td></tr>"
            for k, v in facts
        )
        prepared = self.tr("Pre-visit brief, prepared on {date}").format(
            date=self.b.prepared_on.isoformat())
        return (f"<h2 style='margin-bottom:2px'>{escape(b.name)}</h2>"
                f"<p style='color:{QUIET}; margin-top:0'>{escape(prepared)}</p>"
                f"{self.returned()}{self.related_warnings()}"
                f"<table cellpadding='2'>{rows}</table>")

    def returned(self) -> str:
        """A visit the supervisor returned, waiting for its revision: said first."""
        if self.b.returned_visit_id is None:
            return ""
        line = self.tr("Returned: %n comment(s)", "", self.b.returned_comments)
        return (f"<p id='returned' style='color:{ABNORMAL}; font-weight:bold'>"
                f"{escape(line)}</p>")

    def related_warnings(self) -> str:
        """A related party in trouble, said at the top: the officer visiting B must know A
        has a red signal before anything else."""
        lines = [escape(n.text.in_(self.lang)) for n in self.b.related if n.warns]
        if not lines:
            return ""
        return (f"<p id='related' style='color:{ABNORMAL}; font-weight:bold'>"
                + "<br>".join(f"■ {line}" for line in lines) + "</p>")

    def related(self) -> str:
        """Every related party headquarters linked the borrower to, with its open signals."""
        out = self.h(self.tr("Related parties"))
        if not self.b.related:
            return out + self.none(self.tr("No related parties."))
        lang, rows, red = self.lang, [], []
        for n, notice in enumerate(self.b.related):
            if notice.severity is None:
                state = self.tr("No open red or orange signal")
            elif notice.named_by:
                state = self.tr("Named by {n} borrowers").format(n=notice.named_by)
            else:
                state = notice.severity.label(lang)
            if notice.warns:
                red.append(n)
            name = notice.party_name + (f" ({notice.party_code})" if notice.party_code else "")
            rows.append([escape(name), escape(notice.kind.label(lang)), escape(state),
                         escape(notice.note)])
        return out + self.table([self.tr("Party"), self.tr("Relation"), self.tr("Signals"),
                                 self.tr("Note")], rows, red)

    def due(self) -> str:
        """Every inspection due, earliest first: a first inspection per new loan, the routine
        one, signals' pull-ins, a special one proposed by an event signal (in red), with the
        rule behind each."""
        if not self.b.due:
            return ""
        lang = self.lang
        rows = [[d.due_on.isoformat(), escape(d.kind.label(lang)), escape(d.reason.in_(lang))]
                for d in self.b.due]
        special = [n for n, d in enumerate(self.b.due) if d.proposed]
        return self.h(self.tr("Inspections due")) + self.table(
            [self.tr("Due by"), self.tr("Kind"), self.tr("Why")], rows, special)

    def loans(self) -> str:
        if not self.b.loans:
            return self.h(self.tr("Loans")) + self.none(self.tr("No loans."))
        # The figures are the core system's as of its extract: the heading says when.
        as_of = self.b.repayment_as_of
        title = (self.tr("Loans (repayment data as of {date})").format(date=as_of.isoformat())
                 if as_of is not None else self.tr("Loans (no repayment data yet)"))
        lang, rows, red = self.lang, [], []
        for n, loan in enumerate(self.b.loans):
            r = loan.repayment
            contract = (f"{escape(loan.contract_no)}<br><span style='color:{QUIET}'>"
                        f"{escape(loan.loan_type.label(lang))}</span>")
            marks = [m.in_(lang) for m in r.marks]
            if r.restructured and r.restructured_on is not None:
                marks[-1] += " " + r.restructured_on.isoformat()
            if marks:
                contract += (f"<br><span style='color:{ABNORMAL}'>"
                             f"{escape(('、' if lang == 'zh' else ', ').join(marks))}</span>")
            if r.overdue:
                red.append(n)
            rows.append([
                contract, self.money(loan.amount_fen),
                self.money(r.outstanding_fen if r.known else None),
                f"{loan.disbursed_on.isoformat()}<br>{loan.matures_on.isoformat()}",
                str(r.days_past_due) if r.known else "—",
                self.money(r.arrears_interest_fen if r.known else None),
                escape(loan.classification.label(lang)), escape(loan.purpose)])
        return self.h(title) + self.table(
            [self.tr("Contract no. / type"), self.tr("Amount"), self.tr("Outstanding"),
             self.tr("Disbursed / matures"), self.tr("Days past due"),
             self.tr("Interest arrears"), self.tr("Classification"), self.tr("Purpose")],
            rows, red)

    def collateral(self) -> str:
        out = self.h(self.tr("Collateral register"))
        if not self.b.collateral:
            return out + self.none(self.tr("No collateral."))
        lang, rows, red = self.lang, [], []
        for n, c in enumerate(self.b.collateral):
            seen = "—"
            if c.last_status is not None:
                seen = escape(c.last_status.label(lang))
                if c.last_shortfall is not None and c.last_shortfall > 0:
                    seen += " · " + escape(self.tr("short {percent}%").format(
                        percent=shortfall_percent(c.last_shortfall)))
                if c.last_estimate_fen is not None:
                    seen += f" · {self.money(c.last_estimate_fen)}"
            if c.last_status_abnormal:
                red.append(n)
            rows.append([escape(f"{c.kind.label(lang)}: {c.description}"), escape(c.location),
                         self.money(c.appraised_value_fen), self.money(c.pledged_value_fen),
                         escape(c.certificate_no), seen])
        return out + self.table([self.tr("Item"), self.tr("Location"), self.tr("Appraised"),
                                 self.tr("Pledged"), self.tr("Certificate"),
                                 self.tr("Last seen")], rows, red)

    def guarantors(self) -> str:
        out = self.h(self.tr("Guarantors"))
        if not self.b.guarantors:
            return out + self.none(self.tr("No guarantors."))
        rows = [[escape(g.name), escape(g.kind.label(self.lang)), escape(g.relation),
                 self.money(g.guaranteed_amount_fen)] for g in self.b.guarantors]
        return out + self.table([self.tr("Guarantor"), self.tr("Type"), self.tr("Relation"),
                                 self.tr("Guaranteed")], rows)

    def last_visit(self) -> str:
        out = self.h(self.tr("Last visit: findings and measures"))
        last, lang = self.b.last_visit, self.lang
        if last is None:
            return out + self.none(self.tr("No completed visit yet."))
        line = self.tr("{date}, {kind}, {status}, by {officer}").format(
            date=last.visit_date.isoformat(), kind=last.kind.label(lang),
            status=last.status.label(lang), officer=last.officer_name)
        if last.classification is not None:
            line += " · " + self.tr("classified {classification}").format(
                classification=last.classification.label(lang))
        out += f"<p>{escape(line)}</p>"
        if last.findings:
            # The question, not the item's code: the code files it, officers do not use it.
            rows = [[escape(f.question.in_(lang)), escape(f.answer.in_(lang)), escape(f.note)]
                    for f in last.findings]
            out += self.table([self.tr("Question"), self.tr("Answer"), self.tr("Note")], rows,
                              range(len(rows)))
        else:
            out += self.none(self.tr("No abnormal answers."))
        if last.general_note.strip():
            title = self.tr("General findings")
            out += f"<p><b>{escape(title)}</b><br>{escape(last.general_note)}</p>"
        measures = last.measures.strip() or "—"
        title = self.tr("Measures to follow up")
        out += f"<p><b>{escape(title)}</b><br>{escape(measures).replace(chr(10), '<br>')}</p>"
        return out

    def signals(self) -> str:
        out = self.h(self.tr("Open risk warning signals"))
        if not self.b.open_signals:
            return out + self.none(self.tr("No open signals."))
        lang, rows = self.lang, []
        for sig in self.b.open_signals:
            body = escape(sig.title_in(lang))
            if sig.last_reason:
                body += f"<br><span style='color:{QUIET}'>{escape(sig.last_reason)}</span>"
            colour = {"red": ABNORMAL, "orange": "#c25e00"}.get(sig.severity.value, "#8a6d00")
            rows.append([f"<span style='color:{colour}'>■</span> "
                         f"{escape(sig.severity.label(lang))}", escape(sig.category.label(lang)),
                         body, escape(sig.status.label(lang)), sig.raised_on.isoformat()])
        return out + self.table([self.tr("Severity"), self.tr("Category"), self.tr("Signal"),
                                 self.tr("Status"), self.tr("Raised")], rows)
