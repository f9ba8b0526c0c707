"""The user's signing certificate (PKCS#12) and the bank's trusted root, kept on this laptop.

An officer or supervisor imports their .p12/.pfx once; the app keeps a private copy at
``<data_dir>/certs/<username>.p12`` (mode 0600) and asks for its password each time it signs.
The password given here only proves the file opens with it and is never stored. The public
certificate is kept beside it (``<username>.cert.pem``) so its owner and dates can be shown
without the password. An optional ``trusted-ca.pem`` is the root that signatures are checked
against. No Qt: the settings dialog (gui/certificate_settings.py) runs these on a worker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.common.files import atomic_write, write_temp
from inspector_app.common.text import Text, UserError

if TYPE_CHECKING:
    from cryptography import x509

CERTS_DIR = "certs"
TRUSTED_CA_FILE = "trusted-ca.pem"
# A certificate running out within this many days is shown in orange, so it is renewed in time.
EXPIRY_WARNING = timedelta(days=30)
# File names are built from user names: letters, digits (any script) and ._@- only, so a
# name can never reach outside the certificate folder.
_SAFE_NAME = re.compile(r"\w[\w.@-]*")


class CertificateFileError(UserError):
    """The file is not a certificate that can be used; ``.text`` says why."""


@dataclass(frozen=True)
class CertificateInfo:
    """What the user is shown about a certificate."""

    subject: str  # common name, then organisation
    issuer: str
    not_before: datetime  # aware, UTC
    not_after: datetime

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) > self.not_after

    def expires_soon(self, now: datetime | None = None) -> bool:
        moment = now or datetime.now(UTC)
        return not self.expired(moment) and self.not_after - moment < EXPIRY_WARNING


def certs_dir(data_dir: Path) -> Path:
    return Path(data_dir) / CERTS_DIR


def _checked_name(username: str) -> str:
    if not _SAFE_NAME.fullmatch(username):
        raise ValueError(f"user name {username!r} cannot name a certificate file")
    return username


def certificate_path(data_dir: Path, username: str) -> Path:
    """Where username's PKCS#12 file is (or would be) kept."""
    return certs_dir(data_dir) / f"{_checked_name(username)}.p12"


def imported_certificate(data_dir: Path, username: str) -> Path | None:
    """The PKCS#12 file username imported on this laptop, or None."""
    path = certificate_path(data_dir, username)
    return path if path.is_file() else None


def _public_certificate_path(data_dir: Path, username: str) -> Path:
    return certs_dir(data_dir) / f"{_checked_name(username)}.cert.pem"


def trusted_ca_path(data_dir: Path) -> Path | None:
    """The trusted root certificate imported on this laptop, or None."""
    path = certs_dir(data_dir) / TRUSTED_CA_FILE
    return path if path.is_file() else None


def trust_roots(data_dir: Path) -> list[Path]:
    """What signatures are verified against: the imported root, if any."""
    path = trusted_ca_path(data_dir)
    return [path] if path is not None else []


def certificate_info(data_dir: Path, username: str) -> CertificateInfo | None:
    """Owner and dates of username's imported certificate, or None if there is none."""
    if imported_certificate(data_dir, username) is None:
        return None
    return _info_of_file(_public_certificate_path(data_dir, username))


def trusted_ca_info(data_dir: Path) -> CertificateInfo | None:
    path = trusted_ca_path(data_dir)
    return _info_of_file(path) if path is not None else None


def _info_of_file(path: Path) -> CertificateInfo | None:
    from cryptography import x509

    try:
        return describe(x509.load_pem_x509_certificates(path.read_bytes())[0])
    except (OSError, ValueError, IndexError):
        return None  # missing or damaged: shown as "details unavailable", import again


def describe(cert: x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        subject=_name_text(cert.subject),
        issuer=_name_text(cert.issuer),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def _name_text(name: x509.Name) -> str:
    from cryptography.x509.oid import NameOID

    parts = [
        str(attribute.value)
        for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME)
        for attribute in name.get_attributes_for_oid(oid)
    ]
    return ", ".join(parts) if parts else name.rfc4514_string()


class NotTheUsersCertificate(UserError):
    """A certificate that is not the signing user's; ``.text`` says whose it is."""


def check_certificate_owner(
    cert_der: bytes, username: str, display_name: str, data_dir: Path, *, whose: Text,
) -> None:
    """Refuse (NotTheUsersCertificate) a certificate that is not username's.

    Headquarters accepts a signature only with a certificate it holds for the user who signs
    (hq/certificates.py), and it finds out after the visit is locked on this laptop; what the
    laptop can tell is checked before anything is signed: a certificate naming a user ID
    (UID, as the bank's CA and the test CA write it) must name this user, one without must
    name them as its common name, and one imported here by another user is theirs.
    """
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    cert = x509.load_der_x509_certificate(cert_der)
    subject = _name_text(cert.subject)
    uids = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.USER_ID)]
    names = [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    mine = username in uids if uids else display_name in names
    other = _imported_by_another(data_dir, username, cert)
    if mine and other is None:
        return
    if other is not None:
        zh = f"该证书（{subject}）是本机用户 {other} 导入的签名证书，"
        en = f"this certificate ({subject}) is the one user {other} imported on this laptop, "
    else:
        zh, en = f"该证书（{subject}）", f"this certificate ({subject}) is "
    raise NotTheUsersCertificate(Text(
        f"{zh}不是{whose.zh}{display_name}（{username}）的签名证书。用它签署的报告总行会拒收，"
        "而那时本机上的检查已被锁定。请使用本人的证书。",
        f"{en}not {whose.en} {display_name}'s ({username}) signing certificate. Headquarters "
        "would refuse a report signed with it, after the visit is already locked here. Use "
        "your own certificate.",
    ))


def _imported_by_another(data_dir: Path, username: str, cert: x509.Certificate) -> str | None:
    """The user who imported this very certificate on this laptop, if not username."""
    from cryptography import x509

    folder = certs_dir(data_dir)
    if not folder.is_dir():
        return None
    for path in folder.glob("*.cert.pem"):
        owner = path.name.removesuffix(".cert.pem")
        if owner == username:
            continue
        try:
            if x509.load_pem_x509_certificate(path.read_bytes()) == cert:
                return owner
        except (OSError, ValueError):
            continue  # damaged: says nothing about whose this one is
    return None


def import_certificate(
    data_dir: Path, username: str, source: Path, password: str, *, now: datetime | None = None
) -> CertificateInfo:
    """Check that source opens with password and can sign now, then keep a private copy.

    Raises SigningError (bilingual) and imports nothing when it cannot be used.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    from inspector_app.reports.signing import SigningError, load_signer

    source = Path(source)
    target = certificate_path(data_dir, username)
    data = _read(source, SigningError)
    folder = _private_folder(data_dir)
    # The very bytes that were checked are the ones kept: check the temporary copy. It is
    # owner-only from its first byte, so key material is never readable by others, not even
    # for a moment; in the same folder, so the final os.replace is atomic.
    temp = write_temp(folder, data, prefix=".import-", suffix=".p12")
    try:
        try:
            signer = load_signer(temp, password, now=now)
        except SigningError as exc:  # it names the temporary copy: name the user's file
            said = exc.text
            raise SigningError(Text(said.zh.replace(str(temp), str(source)),
                                    said.en.replace(str(temp), str(source)))) from None
        if signer.signing_cert is None:  # pragma: no cover - load_signer refuses this
            raise SigningError(Text("证书文件中没有证书", f"the file has no certificate: {source}"))
        cert = x509.load_der_x509_certificate(signer.signing_cert.dump())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    atomic_write(_public_certificate_path(data_dir, username), cert.public_bytes(Encoding.PEM))
    return describe(cert)


def import_trusted_ca(data_dir: Path, source: Path) -> CertificateInfo:
    """Keep source (PEM or DER, one certificate or a bundle) as the trusted root, as PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    source = Path(source)
    data = _read(source, CertificateFileError)
    try:
        certs: Sequence[x509.Certificate] = (
            x509.load_pem_x509_certificates(data)
            if b"-----BEGIN" in data
            else [x509.load_der_x509_certificate(data)]
        )
    except ValueError:
        raise CertificateFileError(
            Text("不是证书文件", f"not a certificate file: {source}")) from None
    _private_folder(data_dir)
    pem = b"".join(cert.public_bytes(Encoding.PEM) for cert in certs)
    atomic_write(certs_dir(data_dir) / TRUSTED_CA_FILE, pem)
    return describe(certs[0])


def _read(source: Path, error: type[UserError]) -> bytes:
    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise error(Text("文件不存在", f"file not found: {source}")) from None
    except OSError as exc:
        raise error(Text("无法读取文件", f"cannot read {source}: {exc.strerror}")) from None


def _private_folder(data_dir: Path) -> Path:
    folder = certs_dir(data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
