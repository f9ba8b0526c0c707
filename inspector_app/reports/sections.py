"""The report's sections in the domain's order (domain.md "The report"), as reportlab
flowables: title, borrower, visit, checklist, notes, collateral, photos, signals,
classification, measures, and the signature block last.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from inspector_app.domain.classification import shortfall_percent
from inspector_app.domain.quantity import plain_quantity, quantity_shortfall
from inspector_app.reports.data import PhotoLine, ReportData
from inspector_app.reports.fonts import (
    ABNORMAL_FILL,
    FONT,
    SEVERITY_INK,
    Styles,
)
from inspector_app.reports.layout import Blocks, Row, StyleCommand
from inspector_app.reports.loan_table import as_of_note, loan_table
from inspector_app.reports.page import FRAME_WIDTH
from inspector_app.reports.photo_cell import PhotoCell, PhotoImage, clipped, coordinates
from inspector_app.reports.signature_block import SignatureBlock, SignatureRecorder

# -- the story: the report's sections in the domain's order -------------------------------


def build_story(
    data: ReportData, styles: Styles, images: dict[str, PhotoImage], recorder: SignatureRecorder
) -> list[Flowable]:
    """The report's flowables, from the title to the signature block (always last)."""
    w = _Writer(data, styles)
    story: list[Flowable] = [*w.title(), *w.borrower(), *w.visit(), *w.checklist(), *w.notes(),
                             *w.collateral(), *w.photos(images), *w.signals(),
                             *w.classification(), *w.measures()]
    block = SignatureBlock(
        lang=data.lang, officer_name=data.officer_name,
        visit_date=data.visit_date.isoformat(), signature_png=data.officer_signature_png,
        recorder=recorder, copy=data.is_copy,
    )
    # Heading and boxes move to a new page together; nothing follows them, so the block is
    # always on the last page.
    story.append(KeepTogether([Paragraph(escape(w.t("s_signatures")), styles.h1), block]))
    return story


class _Writer(Blocks):
    """Turns ReportData into flowables; one method per section."""

    def __init__(self, data: ReportData, styles: Styles) -> None:
        super().__init__(data.lang, styles)
        self.d = data

    # -- sections ----------------------------------------------------------------------------

    def title(self) -> list[Flowable]:
        d, s = self.d, self.s
        lines: list[Flowable] = [
            Paragraph(escape(self.t("title")), s.title),
            Paragraph(escape(f"{d.borrower.name} · {d.kind} · {d.visit_date.isoformat()}"),
                      s.centered),
            Paragraph(escape(f"{self.t('visit_id')} {d.visit_id} · "
                             f"{self.t('revision', n=d.revision)} · {d.status_label}"),
                      s.centered),
        ]
        if d.supersedes_sha256:
            lines.append(Paragraph(escape(f"{self.t('supersedes')}: {d.supersedes_sha256}"),
                                   s.centered))
        if d.is_copy:
            sha = d.signed_original_sha256
            notice = (self.t("copy_notice", sha=sha) if sha
                      else self.t("copy_notice_no_original"))
            lines.append(Paragraph(escape(notice), s.warning))
        return [*lines, Spacer(1, 6)]

    def borrower(self) -> list[Flowable]:
        d, b = self.d, self.d.borrower
        out: list[Flowable] = [*self.h1("s_borrower"), *self.facts([
            ("borrower", "\n" + b.name), ("borrower_code", b.code),
            ("borrower_kind", b.kind), ("industry", b.industry), ("id_number", b.id_number),
            ("legal_rep", b.legal_representative), ("phone", b.phone),
            ("address", "\n" + b.address), ("current_class", b.classification),
            ("branch", b.branch),
        ])]
        if d.loans:
            # The figures are the core system's as of its extract: the heading says when.
            title = self.t("loans") + self.parens(as_of_note(self.lang, d.loans))
            out += [*self.h2(title), loan_table(self, d.loans)]
        if d.guarantors:
            rows: list[Row] = [[self.t(k) for k in ("guarantor", "borrower_kind", "relation",
                                                     "guaranteed")]]
            rows += [[g.name, g.kind, g.relation, self.money(g.guaranteed_amount_fen)]
                     for g in d.guarantors]
            out += [*self.h2(self.t("guarantors")),
                    self.table(rows, [211, 70, 130, 100])]
        return out

    def visit(self) -> list[Flowable]:
        d = self.d
        start = d.started_at.strftime("%H:%M") if d.started_at else ""
        end = d.ended_at.strftime("%H:%M") if d.ended_at else ""
        span = f"{start}–{end}" if start and end else start
        templates = ("、" if d.lang == "zh" else "; ").join(d.templates)
        pairs = [("visit_kind", d.kind), ("visit_date", d.visit_date.isoformat()),
                 ("visit_time", span), ("officer", d.officer_name),
                 ("place", "\n" + d.place), ("people_met", "\n" + d.people_met),
                 ("templates", templates), ("status", d.status_label)]
        if d.supersedes_sha256:
            pairs.append(("supersedes", "\n" + d.supersedes_sha256))
        return [*self.h1("s_visit"), *self.facts(pairs)]

    def checklist(self) -> list[Flowable]:
        d, s = self.d, self.s
        items = sum(len(section.items) for section in d.checklist)
        out: list[Flowable] = [*self.h1("s_checklist"), Paragraph(escape(self.t(
            "checklist_summary", items=items, abnormal=d.abnormal_count)), s.body)]
        for section in d.checklist:
            title = section.title
            if section.abnormal_count:
                title += self.parens(f"{self.t('abnormal')} {section.abnormal_count}")
            rows: list[Row] = [[self.t(k) for k in ("code", "question", "answer", "note",
                                                     "flag")]]
            extra: list[StyleCommand] = []
            for n, line in enumerate(section.items, start=1):
                answer = line.answer or self.t("unanswered")
                flag: Flowable | str = ""
                if line.abnormal:
                    flag = Paragraph(escape(self.t("abnormal")), s.mark)
                    extra.append(("BACKGROUND", (0, n), (-1, n), ABNORMAL_FILL))
                rows.append([Paragraph(escape(line.code), s.small), line.question,
                             self.p(answer, s.cell_abnormal if line.abnormal else s.cell),
                             line.note, flag])
            out += [*self.h2(title),
                    self.table(rows, [50, 190, 88, 133, 50], extra=extra)]
        return out

    def notes(self) -> list[Flowable]:
        d, s = self.d, self.s
        out: list[Flowable] = [*self.h1("s_notes")]
        if d.general_note.strip():
            out += [*self.h2(self.t("general_note")), self.p(d.general_note, s.body)]
        if d.notes:
            out += self.h2(self.t("item_notes"))
            for note in d.notes:
                head = f"{note.item_code} {note.question}{self.colon}" if note.item_code else ""
                out.append(self.p(head + note.text, s.body))
        if not d.general_note.strip() and not d.notes:
            out.append(Paragraph(escape(self.t("none")), s.body))
        return out

    def collateral(self) -> list[Flowable]:
        d, s = self.d, self.s
        out: list[Flowable] = [*self.h1("s_collateral")]
        if not d.collateral:
            return [*out, Paragraph(escape(self.t("none")), s.body)]
        rows: list[Row] = [[self.t(k) for k in ("collateral_item", "obs_status", "condition",
                             "appraised", "estimate", "change", "insurance", "certificate")]]
        extra: list[StyleCommand] = []
        for n, c in enumerate(d.collateral, start=1):
            item = f"{c.kind}{self.colon}{c.description}"
            details = [x for x in (c.location, c.certificate_no) if x]
            if c.found_on_site:
                details.append(self.t("found_on_site"))
            condition = "\n".join(x for x in (c.condition, self.shortage(c.quantities), c.note)
                                  if x)
            if c.location_checked:
                condition += ("\n" if condition else "") + self.t("location_checked")
            change = Paragraph("—" if c.change_percent is None else f"{c.change_percent:+}%",
                               s.number)
            rows.append([
                [self.p(item), self.p("\n".join(details), s.small)],
                self.p(c.status, s.cell_abnormal if c.status_abnormal else s.cell),
                condition, self.money(c.appraised_fen), self.money(c.estimate_fen), change,
                self.yes_no(c.insurance_valid), self.yes_no(c.certificate_held),
            ])
            short = None if c.quantities is None else quantity_shortfall(*c.quantities[:2])
            if c.status_abnormal or (short is not None and short > 0):  # found short too
                extra.append(("BACKGROUND", (0, n), (-1, n), ABNORMAL_FILL))
        out.append(self.table(rows, [136, 50, 76, 64, 64, 41, 40, 40], extra=extra))
        return out

    def shortage(self, quantities: tuple[int, int, str] | None) -> str:
        """"现场800吨/登记2,459吨，短少67.5%" for an item found short, else ""."""
        if quantities is None:
            return ""
        registered, found, unit = quantities
        short = quantity_shortfall(registered, found)
        percent = "0" if short is None or short <= 0 else shortfall_percent(short)
        return self.t("shortage", found=plain_quantity(found), registered=plain_quantity(
            registered), unit=unit, percent=percent)

    def photos(self, images: dict[str, PhotoImage]) -> list[Flowable]:
        d, s = self.d, self.s
        if not d.photos:
            return [*self.h1("s_photos"), Paragraph(escape(self.t("no_photos")), s.body)]
        gap = 15.0
        width = (FRAME_WIDTH - gap) / 2
        cells: Row = [self.photo_cell(n, line, images[line.sha256], width)
                      for n, line in enumerate(d.photos, start=1)]
        rows: list[Row] = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        if len(rows[-1]) == 1:
            rows[-1].append("")
        grid = Table(rows, colWidths=[width + gap, width], hAlign="LEFT", style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
        ]))
        intro = Paragraph(escape(self.t("photo_count", n=len(d.photos))), s.body)
        return [*self.h1("s_photos", room=300), intro, grid]  # heading, intro and one row

    def photo_cell(self, n: int, line: PhotoLine, image: PhotoImage, width: float) -> PhotoCell:
        s = self.s
        caption = f"{self.t('photo_n', n=n)}  {line.caption}".strip()
        meta = []
        if line.taken_at is not None:
            meta.append(f"{self.t('taken_at')} {line.taken_at.strftime('%Y-%m-%d %H:%M')}")
        if line.gps_lat is not None and line.gps_lon is not None:
            meta.append(f"{self.t('gps')} {coordinates(line.gps_lat, line.gps_lon)}")
        if line.item_code:
            meta.append(f"{self.t('item')} {line.item_code}")
        paragraphs = [clipped(self.p(caption, s.small), width, 3),
                      self.p(" · ".join(meta) or line.original_name, s.tiny)]
        if line.markings:
            paragraphs.append(self.p(self.t("photo_marked", n=len(line.markings)), s.tiny))
        paragraphs.append(self.p(f"SHA-256 {line.sha256}", s.tiny))
        return PhotoCell(image, line.sha256, paragraphs, width=width, image_height=178,
                         lang=self.lang)

    def signals(self) -> list[Flowable]:
        d, s = self.d, self.s
        out: list[Flowable] = [*self.h1("s_signals")]
        if not d.signals:
            return [*out, Paragraph(escape(self.t("no_signals")), s.body)]
        rows: list[Row] = [[self.t(k) for k in ("severity", "category", "source", "signal",
                                                 "status", "raised_on")]]
        for sig in d.signals:
            colour = SEVERITY_INK.get(sig.severity_code, SEVERITY_INK["yellow"])
            title = sig.title + (self.parens(self.t("this_visit")) if sig.this_visit else "")
            body = [self.p(title)] + ([self.p(sig.description, s.small)]
                                      if sig.description else [])
            severity = Paragraph(f'<font color="{colour.hexval()}">■</font> '
                                 f"{escape(sig.severity)}", s.cell)
            rows.append([severity, sig.category, sig.source, body, sig.status,
                         sig.raised_on.isoformat()])
        out.append(self.table(rows, [50, 70, 64, 215, 46, 66]))
        return out

    def classification(self) -> list[Flowable]:
        c, s = self.d.classification, self.s
        pending = self.t("not_concluded")
        out: list[Flowable] = [*self.h1("s_classification"), *self.facts(
            [("current_class", c.current), ("recommended", c.recommended or pending)])]
        if c.rules:
            # Every rule that fired, with its source; the one that decided is marked, so the
            # reader sees on whose authority (regulation, bank policy, case) it stands.
            rows: list[Row] = [["", self.t("rule_fired"), self.t("rule_source")]]
            decided: list[StyleCommand] = []
            for n, line in enumerate(c.rules, start=1):
                rows.append(["★" if line.deciding else "", self.p(line.rule),
                             self.p(line.source, s.small)])
                if line.deciding:
                    decided.append(("BACKGROUND", (0, n), (-1, n), ABNORMAL_FILL))
            out.append(self.table(rows, [16, 250, FRAME_WIDTH - 266], extra=decided))
        pairs = [("conclusion", "\n" + (c.conclusion or pending)),
                 ("final", "\n" + (c.final or pending))]
        if c.overrides:
            pairs.append(("overrides", "\n" + c.overrides))
        if c.overridden or c.override_reason.strip():
            pairs.append(("override_reason", "\n" + c.override_reason))
        return [*out, *self.facts(pairs)]

    def measures(self) -> list[Flowable]:
        d = self.d
        due = d.next_due_on.isoformat() if d.next_due_on else "—"
        basis = f"\n{self.t('next_due_basis')}{self.colon}{d.next_due_basis}"
        return [*self.h1("s_measures"), *self.facts(
            [("measures", "\n" + (d.measures or "—")), ("next_due", "\n" + due + basis)])]
