"""Signing the handover record: the officer handing over certifies it (PAdES, DocMDP form
filling only, their handwriting drawn in), the officer taking over countersigns it in the
field the certification left for them — the same scheme as the visit report (reports.signing),
with the handover's own seal titles and reasons — and the supervisor confirms it with a third
signature in the last field the certification made (监交人), each an incremental update that
leaves the earlier signatures valid."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from inspector_app.reports.handover_pdf import render_handover
from inspector_app.reports.signing import (
    SignedInfo,
    certify_report,
    countersign_report,
    load_signer,
)
from inspector_app.wire import HandoverRecord

GIVER_TITLE = "移交人签章"
TAKER_TITLE = "接收人签章"
CONFIRM_TITLE = "监交人确认"
GIVER_REASON = "贷后管理责任移交 移交人签署"
TAKER_REASON = "贷后管理责任移交 接收人签署"
CONFIRM_REASON = "贷后管理责任移交 监交人确认"
# The supervisor's field, made empty by the certification (a later one would break it).
CONFIRM_FIELD = "HandoverConfirmation"


def sign_handover(record: HandoverRecord, names: Mapping[str, str], p12_path: Path,
                  password: str, out: Path, *, signed_at: datetime, lang: str = "zh",
                  handwritten_png: bytes | None = None) -> SignedInfo:
    """Render the record and certify it as the officer handing over. SigningError if the
    certificate cannot sign (nothing is written then)."""
    signer = load_signer(p12_path, password, now=signed_at)  # a wrong password: nothing done
    pdf, layout = render_handover(record, names, lang, giver_handwriting=handwritten_png)
    return certify_report(pdf, out, signer, page=layout.page_index,
                          officer_box=layout.giver_box, supervisor_box=layout.taker_box,
                          signed_at=signed_at, reason=GIVER_REASON, seal_title=GIVER_TITLE,
                          later_signatures={CONFIRM_FIELD: layout.confirm_box})


def countersign_handover(pdf_in: Path | bytes, p12_path: Path, password: str, out: Path, *,
                         signed_at: datetime, handwritten_png: bytes | None = None
                         ) -> SignedInfo:
    """Countersign the certified record as the officer taking over (refused if the
    certification does not verify, or the signer is the one who certified)."""
    signer = load_signer(p12_path, password, now=signed_at)
    return countersign_report(pdf_in, out, signer, signed_at=signed_at, reason=TAKER_REASON,
                              handwritten_png=handwritten_png, seal_title=TAKER_TITLE)


def confirm_handover(pdf_in: Path | bytes, p12_path: Path, password: str, out: Path, *,
                     signed_at: datetime, handwritten_png: bytes | None = None) -> SignedInfo:
    """The supervisor's confirmation on the countersigned record (refused if an earlier
    signature does not verify, the signer already signed it, or the record has no place for
    it: certified before the confirmation field existed)."""
    signer = load_signer(p12_path, password, now=signed_at)
    return countersign_report(pdf_in, out, signer, signed_at=signed_at, reason=CONFIRM_REASON,
                              handwritten_png=handwritten_png, seal_title=CONFIRM_TITLE,
                              field_name=CONFIRM_FIELD)
