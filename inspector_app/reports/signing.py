"""Signing the inspection report: the officer certifies it, the supervisor countersigns later.

The officer's signature is a PAdES *certification* signature with DocMDP "form filling only",
made in one incremental update together with an empty signature field for the supervisor and
the empty text fields of the 复核确认 block (reports/review_fields.py). The supervisor's
signature goes into that field as a second incremental update that also fills those text
fields, which form-filling permission allows, so the officer's signature stays valid; any other
later change (new page content, annotations) makes verification fail.

Output is written to a temporary file beside the destination and renamed into place, so a
failure never leaves a partial report. Given the same input, key and ``signed_at`` the output is
byte-identical (see ``_ReproducibleWriter``), so re-signing is idempotent.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import cast

from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontSubsetCollection
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer, SimpleSigner
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.stamp import TextStampStyle

from inspector_app.common.files import atomic_write
from inspector_app.common.text import Text, UserError
from inspector_app.reports import review_fields, seal
from inspector_app.reports.review_block import REVIEW_FIELDS, ReviewBlock
from inspector_app.reports.verify import verify_bytes  # also quiets library logging

OFFICER_FIELD = "OfficerSignature"
SUPERVISOR_FIELD = "SupervisorSignature"
OFFICER_REASON = "贷后检查报告 客户经理签署"
SUPERVISOR_REASON = "复核确认 部门负责人签署"

Box = tuple[float, float, float, float]
"""A rectangle in PDF points, (x1, y1, x2, y2): lower-left and upper-right corners, origin at
the page's lower-left corner (the PDF convention, and what pyHanko's SigFieldSpec takes)."""


class SigningError(UserError):
    """Signing was refused or failed; ``.text`` is fit to show the user."""


@dataclass(frozen=True)
class SignedInfo:
    path: Path
    sha256: str  # of the whole output file, hex
    signer: str  # the certificate's subject common name
    signed_at: datetime
    field_name: str


# --- loading the signer's certificate --------------------------------------------------------


def load_signer(p12_path: Path, password: str, *, now: datetime | None = None) -> Signer:
    """The signer in a PKCS#12 file, refused with a clear message if it cannot sign now."""
    path = Path(p12_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(Text("证书文件不存在", f"certificate file not found: {path}")) from None
    except OSError as e:
        raise SigningError(Text(
            "无法读取证书文件",
            f"cannot read the certificate file {path}: {e.strerror}",
        )) from None
    if not _is_pkcs12(data):
        raise SigningError(Text("不是 PKCS#12 证书文件", f"not a PKCS#12 certificate file: {path}"))
    secret = password.encode("utf-8") if password else None
    try:
        # Parsed here first because pyHanko only says "could not load" (and logs a traceback);
        # the structure was recognised above, so a failure now means the password is wrong.
        key, cert, _ = pkcs12.load_key_and_certificates(data, secret)
    except ValueError:
        raise SigningError(Text("证书密码错误", "wrong certificate password")) from None
    if key is None:
        raise SigningError(Text(
            "证书文件中没有私钥",
            f"the certificate file has no private key: {path}",
        ))
    if cert is None:
        raise SigningError(Text(
            "证书文件中没有证书",
            f"the certificate file has no certificate: {path}",
        ))
    _check_validity(cert.not_valid_before_utc, cert.not_valid_after_utc, now or datetime.now(UTC))
    try:
        signer: Signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=secret)
        return signer
    except ValueError as e:  # e.g. a key type pyHanko cannot sign with
        raise SigningError(Text(
            "无法使用该证书签名",
            f"cannot sign with this certificate: {e}",
        )) from None


def _is_pkcs12(data: bytes) -> bool:
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in {
            "data", "signed_data"}
    except (ValueError, TypeError, KeyError):
        return False


def _check_validity(not_before: datetime, not_after: datetime, when: datetime) -> None:
    if when > not_after:
        raise SigningError(Text(
            "证书已过期",
            f"the certificate expired on {not_after.astimezone(UTC):%Y-%m-%d}",
        ))
    if when < not_before:
        raise SigningError(Text(
            "证书尚未生效",
            f"the certificate is not valid until {not_before.astimezone(UTC):%Y-%m-%d}",
        ))


def _check_signed_at(signer: Signer, signed_at: datetime) -> None:
    if signed_at.tzinfo is None or signed_at.utcoffset() is None:
        raise SigningError(Text("签署时间缺少时区", "signed_at must carry a time zone"))
    cert = signer.signing_cert
    if cert is None:
        raise SigningError(Text("签署人没有证书", "the signer has no certificate"))
    _check_validity(cert.not_valid_before, cert.not_valid_after, signed_at)


# --- reproducible output ----------------------------------------------------------------------


class _FixedTimePdfSigner(PdfSigner):
    """A PdfSigner whose signing time (/M and the seal) is ``signing_time``, not the clock.

    pyHanko takes the session's time from the wall clock; the report's signing time is the
    app's to record, and a fixed time is what makes the output reproducible.
    """

    def __init__(
        self,
        signature_meta: PdfSignatureMetadata,
        signer: Signer,
        *,
        signing_time: datetime,
        stamp_style: TextStampStyle,
        new_field_spec: fields.SigFieldSpec | None = None,
    ) -> None:
        super().__init__(signature_meta, signer, stamp_style=stamp_style,
                         new_field_spec=new_field_spec)
        self._signing_time = signing_time

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False,
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


class _SeededSubsets(FontSubsetCollection):
    """Font subset tags (the 'ABCDEF+' prefix) derived from a seed instead of ``random``."""

    _seed: bytes

    def __init__(self, base_postscript_name: str, seed: bytes) -> None:
        super().__init__(base_postscript_name)
        object.__setattr__(self, "_seed", seed)  # a frozen dataclass

    def add_subset(self) -> str:
        counter = 0
        while True:
            digest = hashlib.sha256(
                self._seed + self.base_postscript_name.encode() + counter.to_bytes(4, "big")
            ).digest()
            prefix = "".join(chr(ord("A") + b % 26) for b in digest[:6])
            if prefix not in self.subsets:
                return prefix
            counter += 1


class _ReproducibleWriter(IncrementalPdfFileWriter):
    """An incremental writer with no randomness and no wall clock in what it writes.

    pyHanko otherwise puts os.urandom in the trailer /ID, the current time in /Info /ModDate
    and random letters in font subset tags. These hooks touch pyHanko internals; if a pyHanko
    upgrade renames them, signing still works and only reproducibility is lost (a test says so).
    """

    def __init__(self, data: bytes, *, modified: datetime, seed: bytes) -> None:
        super().__init__(BytesIO(data))
        self._modified = modified
        self._seed = seed
        # The first /ID element identifies the document and must stay; the second identifies
        # this version of it, for which a hash of (input, signing time, field) serves.
        doc_id = getattr(self, "_document_id", None)
        if doc_id is not None and len(doc_id) == 2:
            self._document_id = generic.ArrayObject(
                [doc_id[0], generic.ByteStringObject(seed[:16])])

    def get_subset_collection(self, base_postscript_name: str) -> FontSubsetCollection:
        resources = getattr(self, "_font_resources", None)
        if not isinstance(resources, dict):
            usual: FontSubsetCollection = super().get_subset_collection(base_postscript_name)
            return usual
        if base_postscript_name not in resources:
            resources[base_postscript_name] = _SeededSubsets(base_postscript_name, self._seed)
        seeded: FontSubsetCollection = resources[base_postscript_name]
        return seeded

    def _update_meta(self) -> None:
        super()._update_meta()
        info = self._info.get_object() if self._info is not None else None
        if isinstance(info, generic.DictionaryObject) and "/ModDate" in info:
            info["/ModDate"] = generic.pdf_date(self._modified)


# --- certify and countersign ------------------------------------------------------------------


def certify_report(
    pdf_in: Path | bytes,
    out: Path,
    signer: Signer,
    *,
    page: int,
    officer_box: Box,
    supervisor_box: Box,
    signed_at: datetime,
    location: str = "",
    reason: str = OFFICER_REASON,
    review_boxes: Mapping[str, Box] | None = None,
    seal_title: str = seal.OFFICER_TITLE,
    later_signatures: Mapping[str, Box] | None = None,
) -> SignedInfo:
    """Certify the report (DocMDP: form filling only) with the officer's visible seal, and add
    the supervisor's empty signature field and the 复核确认 block's empty text fields (field
    name -> box on ``page``, see review_block.REVIEW_FIELDS), in one incremental update.

    ``later_signatures`` (field name -> box on ``page``) are more empty signature fields for
    signatures after the supervisor's: a field made after the certification is a change it
    forbids, so every later signer's place is made now."""
    _check_signed_at(signer, signed_at)
    data = _read_input(pdf_in)
    writer = _open_writer(data, signed_at, OFFICER_FIELD)
    _check_fresh(writer, page, officer_box, supervisor_box)
    boxes = dict(review_boxes or {})
    later = dict(later_signatures or {})
    for name, box in later.items():
        _check_box(name, box)
    for name, box in boxes.items():
        if name not in REVIEW_FIELDS:
            raise SigningError(Text("未知的复核栏", f"unknown review field {name!r}"))
        _check_box(name, box)
    meta = PdfSignatureMetadata(
        field_name=OFFICER_FIELD,
        certify=True,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )

    def add_supervisor_fields() -> None:
        for name, box in {SUPERVISOR_FIELD: supervisor_box, **later}.items():
            fields.append_signature_field(
                writer, fields.SigFieldSpec(name, on_page=page, box=_field_box(box)))
        if boxes:
            review_fields.add_review_fields(writer, page, boxes)

    signed = _sign(
        writer, meta, signer, signed_at, seal_title,
        new_field=fields.SigFieldSpec(OFFICER_FIELD, on_page=page, box=_field_box(officer_box)),
        prepare=add_supervisor_fields,
    )
    return _publish(signed, Path(out), pdf_in, signer, signed_at, OFFICER_FIELD)


def countersign_report(
    pdf_in: Path | bytes,
    out: Path,
    signer: Signer,
    *,
    signed_at: datetime,
    reason: str = SUPERVISOR_REASON,
    location: str = "",
    review: ReviewBlock | None = None,
    handwritten_png: bytes | None = None,
    seal_title: str = seal.SUPERVISOR_TITLE,
    field_name: str = SUPERVISOR_FIELD,
) -> SignedInfo:
    """The supervisor's approval signature in the report's empty supervisor field (or in
    another empty field the certification made: ``field_name``), as an incremental update that
    leaves every earlier signature valid.

    In the same update, ``review`` fills the 复核确认 block's text fields (a report certified
    before they existed has none: it is countersigned all the same, the block left unfilled),
    and ``handwritten_png`` is drawn in the countersignature's seal above its text."""
    _check_signed_at(signer, signed_at)
    data = _read_input(pdf_in)
    writer = _open_writer(data, signed_at, field_name)
    _check_countersignable(data, writer, signer, signed_at, field_name)
    try:
        handwriting = seal.handwriting_image(handwritten_png) if handwritten_png else None
    except seal.HandwritingError as e:
        raise SigningError(e.text) from None
    meta = PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )

    def fill_review_block() -> None:
        if review is not None:
            review_fields.fill_review_fields(writer, review)

    signed = _sign(writer, meta, signer, signed_at, seal_title,
                   prepare=fill_review_block, handwriting=handwriting)
    return _publish(signed, Path(out), pdf_in, signer, signed_at, field_name)


def _sign(
    writer: _ReproducibleWriter,
    meta: PdfSignatureMetadata,
    signer: Signer,
    signed_at: datetime,
    seal_title: str,
    *,
    new_field: fields.SigFieldSpec | None = None,
    prepare: Callable[[], None] | None = None,
    handwriting: seal.Handwriting | None = None,
) -> bytes:
    """The signed file's bytes; pyHanko's failures become SigningError."""
    name = signer.subject_name or ""
    try:
        style = seal.seal_style(seal.seal_text(seal_title, name, signed_at),
                                handwriting=handwriting)
        if prepare is not None:
            prepare()
        pdf_signer = _FixedTimePdfSigner(
            meta, signer, signing_time=signed_at, stamp_style=style, new_field_spec=new_field)
        output = pdf_signer.sign_pdf(
            writer,
            # Into the pre-made field only: never a new, invisible one when the field is missing.
            existing_fields_only=new_field is None,
            appearance_text_params=seal.seal_text_params(seal_title, name, signed_at),
        )
    except ImportError as e:
        raise SigningError(Text(
            "缺少签章字体组件",
            f"the seal needs pyHanko's opentype extra (pip install 'pyHanko[opentype]'): {e}",
        )) from None
    except (PyHankoSigningError, PdfError) as e:
        raise SigningError(Text("签署失败", f"signing failed: {e}")) from None
    signed: bytes = output.getvalue()
    return signed


# --- helpers ------------------------------------------------------------------------------


def _read_input(pdf_in: Path | bytes) -> bytes:
    # Read whole: the output may replace the input, and pyHanko re-reads the input while writing.
    if isinstance(pdf_in, bytes | bytearray):
        return bytes(pdf_in)
    try:
        return Path(pdf_in).read_bytes()
    except FileNotFoundError:
        raise SigningError(Text("报告文件不存在", f"report file not found: {pdf_in}")) from None
    except OSError as e:
        raise SigningError(Text(
            "无法读取报告",
            f"cannot read the report {pdf_in}: {e.strerror}",
        )) from None


def _open_writer(data: bytes, signed_at: datetime, field_name: str) -> _ReproducibleWriter:
    seed = hashlib.sha256(
        hashlib.sha256(data).digest() + signed_at.isoformat().encode() + field_name.encode()
    ).digest()
    try:
        return _ReproducibleWriter(data, modified=signed_at, seed=seed)
    except (PdfError, ValueError, KeyError, TypeError) as e:
        raise SigningError(Text("不是有效的 PDF 文件", f"not a readable PDF: {e}")) from None


def _field_box(box: Box) -> tuple[int, int, int, int]:
    """The box as pyHanko's SigFieldSpec is annotated to take it. Its annotation says ints, but
    a PDF rectangle holds reals and pyHanko writes the numbers as given: no rounding here."""
    return cast(tuple[int, int, int, int], box)


def _check_box(name: str, box: Box) -> None:
    x1, y1, x2, y2 = box
    if not (x2 > x1 and y2 > y1):
        raise SigningError(Text(
            "签名框无效",
            f"invalid {name} box {box}: expected (x1, y1, x2, y2) with x2 > x1, y2 > y1",
        ))


def _check_fresh(writer: _ReproducibleWriter, page: int, officer_box: Box,
                 supervisor_box: Box) -> None:
    pages = int(writer.root["/Pages"]["/Count"])
    if not 0 <= page < pages:
        raise SigningError(Text(
            "页码超出范围",
            f"page {page} is out of range (the report has {pages})",
        ))
    _check_box("officer", officer_box)
    _check_box("supervisor", supervisor_box)
    existing = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
    if existing & {OFFICER_FIELD, SUPERVISOR_FIELD}:
        raise SigningError(Text(
            "报告已签署",
            "the report already has signature fields; a signed report is never signed again",
        ))


def _check_countersignable(data: bytes, writer: _ReproducibleWriter, signer: Signer,
                           signed_at: datetime, field_name: str) -> None:
    found = {name: value for name, value, _ in fields.enumerate_sig_fields(writer.prev)}
    if field_name not in found:
        raise SigningError(Text(
            "报告中没有复核签名栏",
            "the report has no empty supervisor signature field "
            f"({field_name}): it must first be signed by the officer with this app",
        ))
    if found[field_name] is not None:
        raise SigningError(Text(
            "复核签名栏已签署",
            "the supervisor signature field is already signed",
        ))
    # Countersigning a report altered since the officer signed would endorse the alteration.
    report = verify_bytes(data)
    officer = [s for s in report.signatures if s.field_name == OFFICER_FIELD]
    if not officer:
        raise SigningError(Text(
            "报告没有客户经理签名",
            "the report has no officer signature to confirm",
        ))
    broken = [p for s in report.signatures if not s.verdict for p in s.problems]
    if broken:
        raise SigningError(Text(
            "原签名校验未通过，不能复核签署",
            "the existing signature does not verify, refusing to countersign: "
            + "; ".join(broken),
        ))
    # Nobody signs twice: not the officer as the supervisor, nor an earlier countersigner.
    if signer.signing_cert is not None and signer.signing_cert.subject.human_friendly in {
            s.signer_subject for s in report.signatures}:
        raise SigningError(Text(
            "复核人不能是报告签署人本人",
            "the supervisor cannot be the officer who signed the report",
        ))
    latest = max((s.signed_at for s in report.signatures if s.signed_at is not None),
                 default=None)
    if latest is not None and signed_at < latest:
        raise SigningError(Text(
            "复核时间早于报告签署时间",
            f"the countersignature ({signed_at.isoformat()}) cannot "
            f"predate the officer's signature ({latest.isoformat()})",
        ))


def _publish(data: bytes, out: Path, source: Path | bytes, signer: Signer, signed_at: datetime,
             field_name: str) -> SignedInfo:
    """Write to a temporary file in the destination's directory, then rename it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    # The signed report keeps the permissions of the file it replaces or was made from;
    # owner-only (atomic_write's default) when made from bytes: it holds borrower data.
    mode = next((stat.S_IMODE(Path(model).stat().st_mode) for model in (out, source)
                 if isinstance(model, str | os.PathLike) and Path(model).exists()), None)
    atomic_write(out, data, mode=mode)
    return SignedInfo(out, hashlib.sha256(data).hexdigest(), signer.subject_name or "", signed_at,
                      field_name)
