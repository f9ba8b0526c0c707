"""Too many failed sign-ins: a username, or a client address, is refused for a while.

POST /devices/register checks a password with Argon2; without a limit anyone who reaches the
server could keep guessing. After `login_failures_per_user` failures for one username within
`login_window_seconds` (default 5 in 15 minutes), or `login_failures_per_address` from one
client address (default 20: a branch's officers often share one address), further attempts
are answered 429 "too_many_attempts" with Retry-After until the oldest failure that counts
leaves the window. No password is checked meanwhile (no Argon2 spent on a guess) and each
refused attempt is audited (`device.register_locked`).

The failures are rows (login_failures), not counters in a process: every process of
`serve --workers N` counts the same ones. An attempt is counted as a failure before its
password is checked and taken back if it succeeds, so attempts racing each other are counted
while Argon2 runs; per username they are also serialised (an advisory lock on PostgreSQL), so
the username's limit is exact. A successful sign-in clears the username's failures: those from
its own address entirely (an officer who mistyped), those from elsewhere only for the username
(a valid account must not clear an address that is guessing at others).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, insert, select, text, update
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.hq.audit import audit
from inspector_app.hq.context import Hq, HqSettings
from inspector_app.hq.errors import ApiError
from inspector_app.hq.models import LoginFailure

LOGIN_LOCK = 0x4851_4C49  # "HQLI", with hashtext(username) as the second key
TOO_MANY = ("登录失败次数过多，请约 {minutes} 分钟后再试 / too many failed sign-ins; try again "
            "in about {minutes} minute(s)")
_LOCK_USERNAME = text("SELECT pg_advisory_xact_lock(CAST(:k AS integer), hashtext(:username))")


@dataclass(frozen=True)
class Attempt:
    """A sign-in being checked: counted as a failure until succeeded() takes it back."""

    id: int
    username: str
    address: str


def _retry_after(times: list[datetime], limit: int, window: timedelta,
                 now: datetime) -> float:
    """Seconds until fewer than ``limit`` of these failure times are inside the window."""
    if len(times) < limit:
        return 0.0
    # Oldest first: once the (n - limit + 1)th oldest has left, limit - 1 remain.
    return ((times[len(times) - limit] + window) - now).total_seconds()


def _failures(session: Session, which: ColumnElement[bool], since: datetime) -> list[datetime]:
    """When the failures that count for ``which`` happened, oldest first."""
    return list(session.scalars(select(LoginFailure.at)
                                .where(which, LoginFailure.at > since)
                                .order_by(LoginFailure.at)))


def begin(hq: Hq, username: str, address: str, device_name: str) -> Attempt:
    """Count this attempt, or refuse it: ApiError 429 (audited) while the username or the
    address is over its limit."""
    s: HqSettings = hq.settings
    window = timedelta(seconds=s.login_window_seconds)
    username = username[:100]
    address = address[:64]
    now = utcnow()
    since = now - window
    attempt_id: int | None = None
    with hq.db.write() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(_LOCK_USERNAME, {"k": LOGIN_LOCK, "username": username})
        # Failures that no longer count are kept no longer than the window.
        session.execute(delete(LoginFailure).where(LoginFailure.at <= since))
        by_user = _failures(session, (LoginFailure.username == username)
                            & LoginFailure.user_cleared.is_(False), since)
        by_address = _failures(session, LoginFailure.address == address, since)
        refused = max(_retry_after(by_user, s.login_failures_per_user, window, now),
                      _retry_after(by_address, s.login_failures_per_address, window, now))
        if refused > 0:
            seconds = max(1, math.ceil(refused))
            audit(session, username, "device.register_locked", "user", "", address=address,
                  device_name=device_name, retry_after_seconds=seconds,
                  user_failures=len(by_user), address_failures=len(by_address))
        else:
            attempt_id = session.scalar(insert(LoginFailure).values(
                at=now, username=username, address=address, user_cleared=False)
                .returning(LoginFailure.id))
    if refused > 0:
        raise too_many_attempts(max(1, math.ceil(refused)), now)
    assert attempt_id is not None
    return Attempt(attempt_id, username, address)


def too_many_attempts(seconds: int, now: datetime) -> ApiError:
    retry_at = now + timedelta(seconds=seconds)
    return ApiError(429, "too_many_attempts", TOO_MANY.format(minutes=math.ceil(seconds / 60)),
                    {"retry_after_seconds": seconds,
                     "retry_at": retry_at.isoformat(timespec="seconds")},
                    headers={"Retry-After": str(seconds)})


def succeeded(session: Session, attempt: Attempt) -> None:
    """In the sign-in's own transaction: this attempt was no failure, and the username's
    failures no longer count (those from this address at all)."""
    session.execute(delete(LoginFailure).where(
        (LoginFailure.id == attempt.id)
        | ((LoginFailure.username == attempt.username)
           & (LoginFailure.address == attempt.address))))
    session.execute(update(LoginFailure).where(LoginFailure.username == attempt.username)
                    .values(user_cleared=True))
