"""The throw-away test CA: files, permissions, passwords, and what its certificates say."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from inspector_app.reports.certs import (
    ORGANIZATION,
    PASSWORD_ALPHABET,
    TestCA,
    describe_test_ca,
    make_test_ca,
    make_user_cert,
)
from inspector_app.reports.signing import SigningError, load_signer

REPO = Path(__file__).resolve().parents[2]
USERS = [("officer", "王芳"), ("supervisor", "李建国")]


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"), USERS)


def test_writes_the_ca_certificate_its_key_and_one_p12_per_user(ca: TestCA) -> None:
    folder = ca.ca_cert_path.parent
    assert sorted(p.name for p in folder.iterdir()) == [
        "ca-key.pem", "ca.pem", "officer.p12", "supervisor.p12"]
    root = x509.load_pem_x509_certificate(ca.ca_cert_path.read_bytes())
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert [u.username for u in ca.users] == ["officer", "supervisor"]


def test_each_p12_opens_with_its_password_and_holds_a_signing_certificate(ca: TestCA) -> None:
    root = x509.load_pem_x509_certificate(ca.ca_cert_path.read_bytes())
    for (username, display_name), issued in zip(USERS, ca.users, strict=True):
        key, cert, extra = pkcs12.load_key_and_certificates(
            issued.p12_path.read_bytes(), issued.password.encode())
        assert key is not None and cert is not None
        assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == display_name
        assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
            ORGANIZATION)
        assert cert.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == username
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature and usage.content_commitment  # nonRepudiation
        assert not usage.key_cert_sign
        cert.verify_directly_issued_by(root)  # raises if the CA did not sign it
        assert extra == [root]  # the chain travels with the key
        assert load_signer(issued.p12_path, issued.password).subject_name == display_name


def test_a_wrong_password_is_refused(ca: TestCA) -> None:
    issued = ca.user("officer")
    with pytest.raises(SigningError, match="证书密码错误 / wrong certificate password"):
        load_signer(issued.p12_path, issued.password + "x")


def test_key_files_are_readable_by_their_owner_only(ca: TestCA) -> None:
    for path in [ca.ca_key_path, *(u.p12_path for u in ca.users)]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_passwords_are_random_twelve_characters(ca: TestCA) -> None:
    passwords = [u.password for u in ca.users]
    assert all(len(p) == 12 and set(p) <= set(PASSWORD_ALPHABET) for p in passwords)
    assert len(set(passwords)) == len(passwords)


def test_the_description_gives_every_path_and_password(ca: TestCA) -> None:
    text = describe_test_ca(ca)
    assert str(ca.ca_cert_path) in text and str(ca.ca_key_path) in text
    for issued in ca.users:
        assert str(issued.p12_path) in text and issued.password in text


def test_an_existing_ca_is_never_replaced(ca: TestCA) -> None:
    before = ca.ca_key_path.read_bytes()
    with pytest.raises(FileExistsError, match="a test CA already exists"):
        make_test_ca(ca.ca_cert_path.parent, USERS)
    assert ca.ca_key_path.read_bytes() == before


def test_an_expired_certificate_is_refused_with_its_date(ca: TestCA, tmp_path: Path) -> None:
    issued = make_user_cert(
        ca, "old", "过期用户", out=tmp_path / "old.p12",
        not_before=datetime(2024, 1, 1, tzinfo=UTC), not_after=datetime(2025, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(SigningError, match="证书已过期 / the certificate expired on 2025-01-01"):
        load_signer(issued.p12_path, issued.password)


def test_a_certificate_not_yet_valid_is_refused(ca: TestCA, tmp_path: Path) -> None:
    start = datetime.now(UTC) + timedelta(days=30)
    issued = make_user_cert(ca, "soon", "新用户", out=tmp_path / "soon.p12",
                            not_before=start, not_after=start + timedelta(days=365))
    with pytest.raises(SigningError, match=f"证书尚未生效 .* {start:%Y-%m-%d}"):
        load_signer(issued.p12_path, issued.password)
    # The same file signs once its time has come.
    assert load_signer(issued.p12_path, issued.password, now=start + timedelta(days=1))


def test_no_key_material_is_in_the_repository() -> None:
    """Keys are made when tests and the demo run; none may be committed."""
    skip = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
            ".hypothesis", "demo-data", "build", "dist"}
    key_files = {".p12", ".pfx", ".key"}
    text_files = {".pem", ".der", ".crt", ".txt", ".py", ".yaml", ".yml", ".json", ".md"}
    found = []
    for folder, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        for name in files:
            path = Path(folder, name)
            suffix = path.suffix.lower()
            if suffix in key_files or (
                    suffix in text_files and path != Path(__file__)
                    and b"PRIVATE KEY-----" in path.read_bytes()):
                found.append(path)
    assert found == []
