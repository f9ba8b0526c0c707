"""Argon2 password hashes: the laptop checks them offline at login, headquarters when a device
registers, with the same message for every failure."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from inspector_app.common.text import Text, UserError

_hasher = PasswordHasher()

# One message for every failure, so a wrong guess does not tell which part was wrong.
LOGIN_FAILED_TEXT = Text("用户名或密码错误", "wrong username or password")
# As one string, as headquarters sends it over the wire and the sign-in dialog shows it.
LOGIN_FAILED = str(LOGIN_FAILED_TEXT)


class LoginError(UserError):
    """The username/password pair was not accepted."""

    def __init__(self) -> None:
        super().__init__(LOGIN_FAILED_TEXT)

    def __reduce__(self) -> tuple[type[LoginError], tuple[()]]:
        return (type(self), ())


def hash_password(password: str) -> str:
    if not password:
        raise ValueError("a password cannot be empty")
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """Checked against when the username is unknown, so an unknown user takes as long to
    reject as a wrong password (no timing hint that the user exists). Made on first use:
    hashing costs a few hundred milliseconds that a CLI run should not pay at import."""
    return _hasher.hash("not-a-real-password")
