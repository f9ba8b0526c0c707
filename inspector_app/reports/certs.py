"""A throw-away certificate authority for tests and the demo.

It issues each demo user a PKCS#12 file (key, certificate, CA certificate) with a random
password. Nothing made here is ever committed: keys are generated when this runs. A bank's
officers get real certificates from the bank's CA; this only stands in for that.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

ORGANIZATION = "演示银行 Demo Bank"
CA_COMMON_NAME = "演示银行 测试根证书 Demo Bank Test CA"
# RSA with PKCS#1 v1.5 signatures is deterministic (ECDSA and PSS are not), so the same report,
# key and signing time give byte-identical signed PDFs.
KEY_BITS = 2048
# No 0/O, 1/l/I: the password is read off a screen and typed in.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
PASSWORD_LENGTH = 12
# Clock skew between the laptop that made the CA and the one that uses it.
BACKDATE = timedelta(hours=1)


class UserCert(NamedTuple):
    username: str
    p12_path: Path
    password: str


@dataclass
class TestCA:
    """Where a test CA's files are, and each issued user's PKCS#12 file and password."""

    __test__ = False  # a name starting with "Test", but not a pytest test class

    ca_cert_path: Path
    ca_key_path: Path
    users: list[UserCert] = field(default_factory=list)

    def user(self, username: str) -> UserCert:
        for issued in self.users:
            if issued.username == username:
                return issued
        raise KeyError(username)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file that holds key material, readable by its owner only from its first byte."""
    path.unlink(missing_ok=True)  # O_CREAT keeps an existing file's (maybe looser) mode
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def make_test_ca(
    out_dir: Path,
    users: Sequence[tuple[str, str]],
    *,
    now: datetime | None = None,
    validity_days: int = 365,
    password: str | None = None,
) -> TestCA:
    """Create ca.pem, ca-key.pem (0600) and one <username>.p12 (0600) per (username, name),
    each with a random password, or ``password`` for all (the demo's users' own)."""
    out_dir = Path(out_dir)
    ca_cert_path, ca_key_path = out_dir / "ca.pem", out_dir / "ca-key.pem"
    if ca_cert_path.exists() or ca_key_path.exists():
        # Replacing a CA silently would orphan every certificate it issued before.
        raise FileExistsError(
            f"目录中已有测试 CA / a test CA already exists in {out_dir}; "
            "choose an empty directory"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    key = _new_key()
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, CA_COMMON_NAME),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        # The CA outlives the users' certificates so they can be re-issued from it.
        .not_valid_after(now + timedelta(days=validity_days * 2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    ca_cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_private(ca_key_path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),  # a demo CA; the file mode is its only protection
    ))
    ca = TestCA(ca_cert_path, ca_key_path)
    for username, display_name in users:
        ca.users.append(make_user_cert(
            ca, username, display_name,
            not_before=now - BACKDATE, not_after=now + timedelta(days=validity_days),
            out=out_dir / f"{username}.p12", password=password,
        ))
    return ca


def make_user_cert(
    ca: TestCA,
    username: str,
    display_name: str,
    *,
    not_before: datetime,
    not_after: datetime,
    out: Path,
    password: str | None = None,
) -> UserCert:
    """Issue a signing certificate (CN = display name) into a password-protected PKCS#12 file."""
    ca_cert = x509.load_pem_x509_certificate(ca.ca_cert_path.read_bytes())
    ca_key = serialization.load_pem_private_key(ca.ca_key_path.read_bytes(), password=None)
    if not isinstance(ca_key, rsa.RSAPrivateKey):
        raise ValueError(f"not an RSA CA key: {ca.ca_key_path}")
    key = _new_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, display_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.USER_ID, username),
        ]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            # nonRepudiation (content_commitment) is what PDF validators look for by default.
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    password = password or new_password()
    data = pkcs12.serialize_key_and_certificates(
        username.encode("utf-8"), key, cert, [ca_cert],
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_private(out, data)
    return UserCert(username, out, password)


def describe_test_ca(ca: TestCA) -> str:
    """The CA's files and each user's certificate file and password, for the terminal."""
    lines = [
        "测试 CA（仅供演示，切勿用于真实业务）/ test CA (demo only, never for real reports)",
        f"  CA 证书 / CA certificate: {ca.ca_cert_path}",
        f"  CA 私钥 / CA private key: {ca.ca_key_path}",
        "用户证书 / user certificates (PKCS#12):",
    ]
    width = max((len(u.username) for u in ca.users), default=0)
    lines += [f"  {u.username:<{width}}  {u.p12_path}  密码 / password: {u.password}"
              for u in ca.users]
    return "\n".join(lines)
