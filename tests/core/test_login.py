"""Local login against Argon2 hashes, offline."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from inspector_app.common.passwords import LOGIN_FAILED, LoginError
from inspector_app.store.local import LocalStore
from inspector_app.store.models import AuditEntry, User


def test_right_password_logs_in_and_is_audited(store: LocalStore, portfolio) -> None:
    user = store.authenticate("li", "off-pass-1")
    assert user.id == portfolio.officer.id
    with store.read() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.user_id == user.id)).all()
    assert "user.login" in actions


def test_password_is_stored_as_argon2_hash(store: LocalStore, portfolio) -> None:
    with store.read() as s:
        stored = s.scalars(select(User.password_hash).where(User.username == "li")).one()
    assert stored.startswith("$argon2id$")
    assert "off-pass-1" not in stored


@pytest.mark.parametrize(
    ("username", "password"),
    [("li", "wrong"), ("nobody", "off-pass-1"), ("li", ""), ("", "")],
)
def test_failures_do_not_say_which_part_was_wrong(
    store: LocalStore, portfolio, username: str, password: str
) -> None:
    with pytest.raises(LoginError) as info:
        store.authenticate(username, password)
    assert str(info.value) == LOGIN_FAILED


def test_deactivated_user_cannot_log_in(store: LocalStore, portfolio) -> None:
    with store.write() as s:
        s.scalars(select(User).where(User.username == "li")).one().active = False
    with pytest.raises(LoginError):
        store.authenticate("li", "off-pass-1")
