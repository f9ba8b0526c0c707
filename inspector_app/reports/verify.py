"""Verifying a signed report: is every signature intact, valid, trusted, and is every change
made after it one that the officer's certification allows?

A digest check alone (what ``pdfsig`` reports) says a signature is fine even when a later
incremental update paints over the page; pyHanko's difference analysis compares each signed
revision with the final file and classifies what changed (ModificationLevel), which is what
catches that. One thing it lets through, filed under "long-term validation data": a change of
the document information dictionary (title, author, subject...). That is checked here and
reported as the change it is.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from io import BytesIO
from pathlib import Path

from asn1crypto.x509 import Certificate
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, read_certification_data
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from inspector_app.common.text import Text, UserError
from inspector_app.reports.verify_changes import changed_info, describe_changes

MODIFICATION_LABELS = {
    ModificationLevel.NONE: Text("无修改", "no changes"),
    ModificationLevel.LTA_UPDATES: Text("仅长期验证信息", "long-term validation data only"),
    ModificationLevel.FORM_FILLING: Text("仅签名和填写表单", "signing and form filling only"),
    ModificationLevel.ANNOTATIONS: Text("添加或修改注释", "annotations added or changed"),
    ModificationLevel.OTHER: Text("其他修改（如页面内容）", "other changes (e.g. page content)"),
}
PERMISSION_LABELS = {
    MDPPerm.NO_CHANGES: Text("不允许任何修改", "no changes allowed"),
    MDPPerm.FILL_FORMS: Text("仅允许填写表单和签名", "form filling and signing only"),
    MDPPerm.ANNOTATE: Text("允许填写表单、签名和注释", "form filling, signing and annotations"),
}


def quiet_library_logging() -> None:
    """Keep pyHanko's and fontTools' log records off stderr unless the app configured logging.

    They log tracebacks for things reported here in plain words (no path to a trust root, a
    font table fontTools does not subset); with no handler anywhere, Python prints them.
    """
    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


quiet_library_logging()


UNTRUSTED = "签名证书不受信任 / the signer's certificate is not trusted"


class VerificationError(UserError):
    """The file could not be read as a PDF at all (missing, truncated, not a PDF)."""


@dataclass(frozen=True)
class SignatureCheck:
    """What verification found about one signature."""

    field_name: str
    signer: str | None  # subject common name
    signer_subject: str  # the full subject, for telling two certificates' owners apart
    signed_at: datetime | None  # as claimed by the signer (/M): no timestamp authority offline
    certification: MDPPerm | None  # the DocMDP permission if this is the certifying signature
    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # the signature over that digest verifies with the certificate's key
    trusted: bool | None  # chains to a given trust root; None when none was given
    revision: int  # 1-based revision the signature belongs to
    revisions: int  # revisions in the whole file
    covers_entire_file: bool
    modification_level: ModificationLevel | None  # what changed after this signature
    docmdp_ok: bool  # those changes are allowed by this signature and the certification
    # Entries of the document information dictionary changed after this signature (the
    # stamps every save writes, /ModDate and /Producer, aside), e.g. ("/Title",).
    info_changes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # plain words, Chinese / English
    details: tuple[str, ...] = ()  # technical detail for logs (pyHanko's own account)

    @property
    def coverage(self) -> str:
        if self.covers_entire_file:
            return "covers the entire document"
        return f"covers revision {self.revision} of {self.revisions}"

    @property
    def verdict(self) -> bool:
        return (self.intact and self.valid and self.trusted is not False and self.docmdp_ok
                and not self.problems)

    @property
    def sound(self) -> bool:
        """Intact, valid and unchanged since: the verdict, trust of the certificate aside."""
        return (self.intact and self.valid and self.docmdp_ok
                and all(p.startswith(UNTRUSTED) for p in self.problems))

    @property
    def chains_to_trusted_root(self) -> bool:
        """The certificate was checked against a trust root and chains to it."""
        return self.trusted is True


@dataclass(frozen=True)
class VerificationReport:
    path: Path | None
    revisions: int
    certification: MDPPerm | None  # the document's DocMDP permission, if certified
    trust_checked: bool
    signatures: tuple[SignatureCheck, ...]
    problems: tuple[str, ...] = field(default=())  # about the document, not one signature

    @property
    def verdict(self) -> bool:
        return bool(self.signatures) and not self.problems and all(
            s.verdict for s in self.signatures)


def verify_pdf(
    path: Path,
    trust_roots: Sequence[Path] = (),
    *,
    validation_time: datetime | None = None,
) -> VerificationReport:
    """Check every signature in the PDF at ``path``; raises VerificationError if unreadable.

    ``validation_time`` (default: now) is when certificates must be valid; without a trusted
    timestamp, a certificate that has expired since signing makes the signature untrusted.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise VerificationError(Text("文件不存在", f"file not found: {path}")) from None
    except OSError as e:
        raise VerificationError(Text("无法读取文件", f"cannot read {path}: {e.strerror}")) from None
    return replace(verify_bytes(data, trust_roots, validation_time=validation_time), path=path)


def verify_bytes(
    data: bytes,
    trust_roots: Sequence[Path] = (),
    *,
    validation_time: datetime | None = None,
) -> VerificationReport:
    """verify_pdf on a PDF already in memory."""
    roots = _load_roots(trust_roots)
    # Anything may be wrong with a file from outside; whatever the parser trips on, the user
    # gets one plain sentence, not a traceback.
    try:
        reader = PdfFileReader(BytesIO(data))
        revisions = reader.total_revisions
        embedded = list(reader.embedded_regular_signatures)
        certified = read_certification_data(reader)
    except Exception as e:
        raise VerificationError(Text(
            "不是有效的 PDF 文件",
            f"not a readable PDF ({type(e).__name__}: {e})",
        )) from None
    certification = certified.permission if certified is not None else None
    checks = []
    problems: list[str] = []
    for emb in embedded:
        try:
            checks.append(_check_signature(emb, roots, validation_time, certification,
                                           revisions))
        except Exception as e:  # a malformed signature fails verification, with a reason
            problems.append(f"签名 {emb.field_name} 无法解析 / signature {emb.field_name} "
                            f"could not be read ({type(e).__name__}: {e})")
    if not embedded:
        problems.append("文件没有签名 / the document has no signatures")
    return VerificationReport(None, revisions, certification, roots is not None,
                              tuple(checks), tuple(problems))


def _load_roots(paths: Sequence[Path]) -> list[Certificate] | None:
    if not paths:
        return None
    try:
        roots = list(load_certs_from_pemder([str(p) for p in paths]))
    except (OSError, ValueError, TypeError) as e:
        raise VerificationError(Text(
            "无法读取信任根证书",
            f"cannot read the trust roots: {e}",
        )) from None
    if not roots:
        raise VerificationError(Text(
            "信任根文件中没有证书",
            "no certificate in the trust root files",
        ))
    return roots


def _check_signature(
    emb: EmbeddedPdfSignature,
    roots: list[Certificate] | None,
    validation_time: datetime | None,
    certification: MDPPerm | None,
    revisions: int,
) -> SignatureCheck:
    # Without trust roots, an empty trust list (never the operating system's TLS roots):
    # the crypto and the modification analysis still run, and trust is reported as unknown.
    context = ValidationContext(trust_roots=roots or [], moment=validation_time,
                                allow_fetching=False)
    status: PdfSignatureStatus = validate_pdf_signature(
        emb, signer_validation_context=context, diff_policy=DEFAULT_DIFF_POLICY)
    level = status.modification_level
    # pyHanko checks changes against this signature's own DocMDP; the certification's
    # permission binds every later signature too.
    within_cert = level is not None and (
        certification is None or level == ModificationLevel.NONE
        or level.value <= certification.value)
    info_changes = changed_info(emb.reader, emb.signed_revision)
    docmdp_ok = bool(status.docmdp_ok) and within_cert and not info_changes
    trusted = status.trusted if roots is not None else None
    cert = status.signing_cert
    native = cert.subject.native
    check = SignatureCheck(
        field_name=emb.field_name,
        signer=native.get("common_name") or native.get("organization_name"),
        signer_subject=cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        certification=emb.docmdp_level if _is_certification(emb) else None,
        intact=status.intact,
        valid=status.valid,
        trusted=trusted,
        revision=emb.signed_revision + 1,
        revisions=revisions,
        covers_entire_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        modification_level=level,
        docmdp_ok=docmdp_ok,
        info_changes=info_changes,
    )
    return _with_problems(check, status, certification, emb.reader, emb.signed_revision)


def _is_certification(emb: EmbeddedPdfSignature) -> bool:
    references = emb.sig_object.get("/Reference", ())
    return any(ref.get_object().get("/TransformMethod") == "/DocMDP" for ref in references)


def _with_problems(check: SignatureCheck, status: PdfSignatureStatus,
                   certification: MDPPerm | None, reader: PdfFileReader,
                   signed_revision: int) -> SignatureCheck:
    problems = []
    if not check.intact:
        problems.append("签名范围内的内容被改动（摘要不符）/ the signed bytes were altered "
                        "(digest mismatch)")
    elif not check.valid:
        problems.append("签名值无效 / the cryptographic signature does not verify")
    if check.trusted is False:
        indic = status.trust_problem_indic  # one of pyHanko's AdES enums, or None
        why = indic.name if isinstance(indic, Enum) else "unknown"
        problems.append(f"{UNTRUSTED} ({why})")
    if status.coverage is not None and status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append("签名范围异常 / the signature does not cover a whole revision")
    elif check.info_changes and status.docmdp_ok and (
            status.modification_level is None
            or status.modification_level <= ModificationLevel.FORM_FILLING):
        # pyHanko let it pass as validation data; it is a change of what the document says
        # about itself, made after the signature.
        keys = ", ".join(check.info_changes)
        problems.append(f"签名后文档信息被修改（{keys}）/ the document information ({keys}) "
                        "was changed after signing")
    elif not check.docmdp_ok:
        zh, en = describe_changes(reader, signed_revision)
        if certification is not None and status.modification_level != ModificationLevel.OTHER:
            allowed = PERMISSION_LABELS[certification]
            zh += f"（认证{allowed.zh}）"
            en += f" (the certification allows {allowed.en})"
        problems.append(f"签名后文件被修改：{zh} / the document was changed after signing: {en}")
    details = check.details
    if isinstance(status.diff_result, SuspiciousModification):
        details = (*details, f"pyHanko: {status.diff_result}")
    return replace(check, problems=tuple(problems), details=details)


# --- text for the command line -------------------------------------------------------------


def _yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return Text("未检查", "not checked").in_(lang)
    return (Text("是", "yes") if value else Text("否", "no")).in_(lang)


def format_report(report: VerificationReport, lang: str = "zh", *,
                  passed: bool | None = None) -> str:
    """A plain-text account of the report for the terminal, in Chinese ("zh") or English;
    its verdict line says ``passed`` when the caller decides more (the trust it requires)."""
    passed = report.verdict if passed is None else passed

    def say(zh: str, en: str) -> str:
        return Text(zh, en).in_(lang)

    lines = []
    if report.path is not None:
        lines.append(f"{say('文件', 'File')}: {report.path}")
    lines.append(f"{say('修订版本数', 'Revisions')}: {report.revisions}")
    if report.certification is not None:
        certified = PERMISSION_LABELS[report.certification].in_(lang)
        lines.append(f"{say('认证签名', 'Certified')}: {certified}")
    for i, s in enumerate(report.signatures, 1):
        level = (None if s.modification_level is None
                 else MODIFICATION_LABELS.get(s.modification_level))
        if s.info_changes:
            keys = ", ".join(s.info_changes)
            level = Text(f"文档信息被修改（{keys}）", f"the document information changed ({keys})")
        level_text = level.in_(lang) if level else "-"
        when = s.signed_at.isoformat() if s.signed_at else "-"
        coverage = say("覆盖整个文件" if s.covers_entire_file
                       else f"覆盖第 {s.revision} 版（共 {s.revisions} 版）", s.coverage)
        verdict = say("通过", "PASS") if s.verdict else say("未通过", "FAIL")
        permitted = say("允许", "permitted") if s.docmdp_ok else say("不允许", "not permitted")
        lines += [
            "",
            f"{say('签名', 'Signature')} {i}: {s.field_name}  [{verdict}]",
            f"  {say('签署人', 'Signer')}: {s.signer or '-'}",
            f"  {say('签署时间', 'Signed at')}: {when}",
            f"  {say('摘要完整', 'Intact')}: {_yes_no(s.intact, lang)}",
            f"  {say('签名有效', 'Valid')}: {_yes_no(s.valid, lang)}",
            f"  {say('证书可信', 'Trusted')}: {_yes_no(s.trusted, lang)}",
            f"  {say('覆盖范围', 'Coverage')}: {coverage}",
            f"  {say('签名后修改', 'Changes after')}: {level_text} ({permitted})",
        ]
        lines += [f"  ! {p}" for p in s.problems]
    if report.problems:
        lines.append("")
        lines += [f"! {p}" for p in report.problems]
    lines.append("")
    lines.append(say("结论: " + ("全部签名验证通过" if passed else "验证未通过"),
                     "Verdict: " + ("all signatures verified" if passed else "FAILED")))
    if not report.trust_checked:
        lines.append(say("（未指定信任根，未检查证书链）",
                         "(no trust root given: certificate chains were not checked)"))
    return "\n".join(lines)


def untrusted_signers(report: VerificationReport) -> list[SignatureCheck]:
    """The signatures whose certificate was not shown to chain to a trusted root."""
    return [s for s in report.signatures if not s.chains_to_trusted_root]


ALLOW_UNTRUSTED = "--allow-untrusted"


def main_verify(argv: Sequence[str] | None = None) -> int:
    """``verify FILE.pdf [--trust CA.pem ...] [--allow-untrusted] [--lang zh|en]``: 0 if every
    signature passes and its signer's certificate chains to a trusted root (or the caller said
    ``--allow-untrusted``), 1 if not, 2 if the file or a trust root cannot be read."""
    parser = argparse.ArgumentParser(prog="inspector-app verify",
                                     description="验证报告签名 / verify a signed report")
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--trust", type=Path, action="append", default=[],
                        help="trusted CA certificate (PEM or DER); may be repeated")
    parser.add_argument(ALLOW_UNTRUSTED, action="store_true",
                        help="pass signatures whose certificate does not chain to a trusted root")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)
    try:
        report = verify_pdf(args.pdf, args.trust)
    except VerificationError as e:
        print(e, file=sys.stderr)
        return 2
    untrusted = untrusted_signers(report)
    sound = bool(report.signatures) and not report.problems and all(
        s.sound for s in report.signatures)
    passed = sound and (not untrusted or args.allow_untrusted)
    print(format_report(report, args.lang, passed=passed))
    names = ", ".join(s.signer or s.field_name for s in untrusted)
    if sound and untrusted and args.allow_untrusted:
        print(Text(f"（签署人 {names} 的证书未经信任，按 {ALLOW_UNTRUSTED} 仍予接受）",
                   f"(the certificate of {names} is not trusted; accepted as "
                   f"{ALLOW_UNTRUSTED} asks)").in_(args.lang))
    elif sound and untrusted:
        # Intact and unchanged proves only that whoever holds that key signed it; anyone can
        # make a certificate with an officer's name on it.
        print(Text(
            f"签署人（{names}）的证书未链接到受信任的根证书。请用 --trust 指定银行的根证书；"
            f"确需接受未经信任的签名时，请明确加上 {ALLOW_UNTRUSTED}。",
            f"The signer's certificate ({names}) does not chain to a trusted root. Give the "
            f"bank's root with --trust; to accept untrusted signers anyway, say so with "
            f"{ALLOW_UNTRUSTED}.",
        ).in_(args.lang))
    return 0 if passed else 1
