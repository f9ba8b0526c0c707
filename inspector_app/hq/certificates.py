"""Whose certificate signed a report: headquarters holds each user's signing certificates.

Verification (report_check) says a signature is intact, valid and, with trust roots, made
with a certificate of the bank's CA; it does not say whose. The rule here: a signature counts
only if its certificate is one headquarters holds for the user who posts it — the officer's
certification on the report they push, the supervisor's countersignature on the approval
they post. A certificate is known by the SHA-256 of its DER bytes and belongs to one user.

Headquarters learns a user's certificates from an administrator (`inspector-hq admin
set-certificate USER CERT.pem`, the bank's own record of what it issued), or, unless the
server runs with --registered-certificates-only, from the user's first accepted signature
while it holds none for them (trust on first use, audited `certificate.first_use`). Either
way, from then on a signature with any other certificate is refused with the reason, and a
certificate held for one user never signs for another: an officer cannot countersign their
own report with a second certificate, nor a supervisor sign as the officer.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from sqlalchemy import Connection, insert, select, text
from sqlalchemy.exc import IntegrityError

from inspector_app.hq.audit import audit_row
from inspector_app.hq.context import HqSettings
from inspector_app.hq.models import AuditEntry, UserCertificate

# Serialises first-use registration per user (with the user's id as the second key), so two
# posts racing cannot register two certificates as "the first". Taken before the change-log
# lock, as every lock is.
CERTIFICATE_LOCK = 0x4851_4345  # "HQCE"
ADMIN_COMMAND = "inspector-hq admin set-certificate"


@dataclass(frozen=True)
class Signer:
    """One signature's certificate, as a verified report's row keeps it."""

    fingerprint: str  # SHA-256 of the certificate's DER bytes, lowercase hex
    subject: str
    certifying: bool  # the officer's certification (DocMDP), not a later signature
    revision: int  # 1-based revision the signature belongs to

    def data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Signer:
        return cls(str(data["fingerprint"]), str(data["subject"]), bool(data["certifying"]),
                   int(data["revision"]))


@dataclass(frozen=True)
class Whose:
    """Which signature is being matched, for the message (Chinese, English)."""

    zh: str
    en: str


OFFICERS_SIGNATURE = Whose("报告的客户经理签名", "the officer's signature on the report")
COUNTERSIGNATURE = Whose("会签", "the countersignature")

OTHER_USERS = ("{w.zh}所用证书（{subject}）已登记为其他用户的证书 / {w.en} was made with a "
               "certificate ({subject}) that headquarters holds for another user")
NOT_YOURS = ("{w.zh}所用证书（{subject}，SHA-256 {fp}…）不是总行为您登记的签名证书，如已换发新"
             "证书请联系管理员登记 / {w.en} was made with a certificate ({subject}, SHA-256 "
             "{fp}…) that is not one headquarters holds for you; if yours was renewed, ask the "
             f"administrator to register it ({ADMIN_COMMAND})")
NONE_REGISTERED = ("总行尚未为您登记签名证书，请联系管理员登记（{subject}，SHA-256 {fp}…）/ "
                   "headquarters holds no signing certificate for you; ask the administrator to "
                   f"register yours ({{subject}}, SHA-256 {{fp}}…; {ADMIN_COMMAND})")
NOT_SUPERVISORS = ("会签所用证书（{subject}）不是总行为您的部门负责人登记的证书 / the "
                   "countersignature was made with a certificate ({subject}) that headquarters "
                   "does not hold for your supervisor")


def signers_of(data: bytes) -> list[Signer]:
    """Every signature's certificate in a PDF (one that passed verification)."""
    reader = PdfFileReader(BytesIO(data))
    return [Signer(fingerprint=hashlib.sha256(emb.signer_cert.dump()).hexdigest(),
                   subject=emb.signer_cert.subject.human_friendly,
                   certifying=_is_certification(emb), revision=emb.signed_revision + 1)
            for emb in reader.embedded_regular_signatures]


def _is_certification(emb: EmbeddedPdfSignature) -> bool:
    references = emb.sig_object.get("/Reference", ())
    return any(ref.get_object().get("/TransformMethod") == "/DocMDP" for ref in references)


def certifier(signers: list[Signer]) -> Signer | None:
    return next((s for s in signers if s.certifying), None)


def countersigner(signers: list[Signer]) -> Signer | None:
    """The last signature, when it is not the certification."""
    later = [s for s in signers if not s.certifying]
    return max(later, key=lambda s: s.revision) if later else None


def _message(template: str, signer: Signer, whose: Whose) -> str:
    return template.format(w=whose, subject=signer.subject, fp=signer.fingerprint[:16])


_LOCK_USER = text("SELECT pg_advisory_xact_lock(CAST(:k AS integer), hashtext(:user_id))")


def _owner(conn: Connection, signer: Signer) -> str | None:
    return conn.scalar(select(UserCertificate.user_id)
                       .where(UserCertificate.sha256 == signer.fingerprint))


def signer_problem(conn: Connection, settings: HqSettings, user_id: str, signer: Signer,
                   whose: Whose) -> str | None:
    """None if the signer's certificate is one held for ``user_id``, or may become theirs on
    first use; else why not, for the user."""
    owner = _owner(conn, signer)
    if owner == user_id:
        return None
    if owner is not None:
        return _message(OTHER_USERS, signer, whose)
    holds_any = conn.scalar(select(UserCertificate.sha256)
                            .where(UserCertificate.user_id == user_id).limit(1))
    if holds_any is not None:
        return _message(NOT_YOURS, signer, whose)
    if not settings.certificate_first_use:
        return _message(NONE_REGISTERED, signer, whose)
    return None


def held_for(conn: Connection, user_id: str | None, signer: Signer) -> bool:
    """Whether headquarters holds the signer's certificate for ``user_id`` (no first use)."""
    return user_id is not None and _owner(conn, signer) == user_id


def claim(conn: Connection, settings: HqSettings, user_id: str, signer: Signer, whose: Whose,
          *, actor: str, device_id: str | None, **detail: Any) -> str | None:
    """signer_problem again inside the write transaction that accepts the signature; a first
    use registers the certificate for the user there (audited), so it stands or falls with
    what it signed. Returns the problem, if any: the caller refuses and rolls back."""
    if held_for(conn, user_id, signer):
        return None  # the usual case: no lock, one indexed read
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_USER, {"k": CERTIFICATE_LOCK, "user_id": user_id})
    problem = signer_problem(conn, settings, user_id, signer, whose)
    if problem is not None or held_for(conn, user_id, signer):
        return problem
    try:
        with conn.begin_nested():
            conn.execute(insert(UserCertificate).values(
                sha256=signer.fingerprint, user_id=user_id, subject=signer.subject[:500],
                not_after=None, source="first_use", added_at=datetime.now(UTC)))
    except IntegrityError:  # another user's first use of it committed meanwhile
        return _message(OTHER_USERS, signer, whose)
    conn.execute(insert(AuditEntry), audit_row(
        actor, "certificate.first_use", "user", user_id, user_id=user_id, device_id=device_id,
        sha256=signer.fingerprint, subject=signer.subject, **detail))
    return None


# --- certificate files (the admin command) ------------------------------------------------


@dataclass(frozen=True)
class CertificateFile:
    fingerprint: str
    subject: str
    not_after: datetime


def read_certificate(path: Path) -> CertificateFile:
    """A certificate file, PEM or DER; ValueError with the reason if it is not one."""
    data = Path(path).read_bytes()
    try:
        cert = (x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data
                else x509.load_der_x509_certificate(data))
    except ValueError as e:
        raise ValueError(f"{Path(path).name}: 不是证书文件（PEM 或 DER）/ not a certificate "
                         f"file (PEM or DER): {e}") from None
    der = cert.public_bytes(Encoding.DER)
    return CertificateFile(hashlib.sha256(der).hexdigest(), cert.subject.rfc4514_string(),
                           cert.not_valid_after_utc)
