"""Devices and their bearer tokens.

A user registers a laptop once, online, with their password (Argon2, as on the laptop). The
server answers with a random 32-byte token shown once and keeps only its SHA-256: a stolen
copy of the database does not let anyone sync. Revoking a device refuses its token from then
on with 403 "device_revoked" on every endpoint, pull included (PullResponse.revoked is never
sent as true: a revoked device gets no PullResponse at all). Repeated failed registrations
are refused for a while (429, login_limit.py).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import Connection, Row, Select, bindparam, select

from inspector_app.common.clock import utcnow
from inspector_app.common.passwords import dummy_hash, verify_password
from inspector_app.hq import login_limit
from inspector_app.hq.audit import audit
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import (
    DEVICE_REVOKED,
    UNAUTHORIZED,
    USER_INACTIVE,
    ApiError,
    login_failed,
)
from inspector_app.hq.models import Device, User
from inspector_app.hq.scope import Principal
from inspector_app.wire import RegisterRequest, RegisterResponse, UserRecord

TOKEN_BYTES = 32
# last_seen is for the admin's device list, not an audit: writing it on every request would
# make every read a write (and on SQLite, take the write lock).
LAST_SEEN_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def user_record(u: User) -> UserRecord:
    return UserRecord(id=u.id, username=u.username, display_name=u.display_name,
                      role=u.role.value, branch_id=u.branch_id, supervisor_id=u.supervisor_id,
                      active=u.active)


def register_device(hq: Hq, req: RegisterRequest, address: str = "") -> RegisterResponse:
    """``address``: the client's, for the sign-in limit (login_limit), which is checked
    first: a username or address over its limit is refused (429) without a password check."""
    attempt = login_limit.begin(hq, req.username, address, req.device_name)
    with hq.db.read() as session:
        user = session.scalars(select(User).where(User.username == req.username)).first()
    # Verified outside any transaction: Argon2 is slow on purpose, and no lock should wait on
    # it. An unknown user is checked against a dummy hash so it takes as long as a wrong
    # password, and every failure gets the same answer.
    ok = verify_password(user.password_hash if user else dummy_hash(), req.password)
    if user is None or not ok or not user.active:
        # The attempt stays counted as a failure.
        with hq.db.write() as session:
            audit(session, req.username[:100], "device.register_refused", "user",
                  user.id if user else "", user_id=user.id if user else None,
                  device_name=req.device_name, address=attempt.address)
        raise login_failed()
    token = new_token()
    with hq.db.write() as session:
        login_limit.succeeded(session, attempt)
        # Seen now: its first sync, right after, need not write last_seen_at again.
        device = Device(user_id=user.id, name=req.device_name, token_hash=token_hash(token),
                        last_seen_at=utcnow())
        session.add(device)
        session.flush()
        audit(session, user.username, "device.register", "device", device.id,
              user_id=user.id, device_id=device.id, device_name=req.device_name,
              address=attempt.address)
    return RegisterResponse(device_id=device.id, token=token, user=user_record(user))


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})


def authenticate(hq: Hq, token: str | None) -> Principal:
    """The principal behind a bearer token; ApiError 401/403 if it is unknown or revoked."""
    if not token:
        raise _unauthorized()
    # One indexed query through a plain connection: every request pays for this.
    with hq.db.read_core() as conn:
        return principal_of(hq, conn, conn.execute(_BY_TOKEN, {"digest": token_hash(token)})
                            .first())


# --- the token checked in a handler's own first statement ----------------------------------

_TOKEN_COLUMNS = (Device.id.label("device_id"), Device.revoked_at, Device.last_seen_at,
                  User.id.label("user_id"), User.username, User.display_name, User.role,
                  User.supervisor_id, User.active)


def token_statement(*columns: Any) -> Select[Any]:
    """The token's device and user (what principal_of() reads) with a handler's own columns,
    so the handler checks the token in the statement that starts its work: one round trip
    instead of two. Binds `digest` (token_hash of the token); join more onto it as needed."""
    return (select(*_TOKEN_COLUMNS, *columns)
            .join(User, Device.user_id == User.id)
            .where(Device.token_hash == bindparam("digest")))


def principal_of(hq: Hq, conn: Connection, found: Row[Any] | None) -> Principal:
    """authenticate()'s verdict on the row token_statement() read through conn, a read_core()
    connection (None: no such token): ApiError 401/403, or the principal."""
    if found is None:
        raise _unauthorized()
    if found.revoked_at is not None:
        raise ApiError(403, "device_revoked", DEVICE_REVOKED)
    if not found.active:
        raise ApiError(403, "user_inactive", USER_INACTIVE)
    now = utcnow()
    if found.last_seen_at is None or now - found.last_seen_at > LAST_SEEN_EVERY:
        with hq.db.write_next_to(conn) as writer:
            writer.execute(Device.__table__.update()
                           .where(Device.id == found.device_id).values(last_seen_at=now))
    return Principal(user_id=found.user_id, username=found.username,
                     display_name=found.display_name, role=found.role,
                     supervisor_id=found.supervisor_id, device_id=found.device_id)


_BY_TOKEN = token_statement()


async def device_token(request: Request) -> str:
    """FastAPI dependency of every endpoint but registration: the bearer token, 401 if none.

    It runs on the event loop and touches no database: the handler checks the token with
    authenticate() first thing, in its own worker thread. (A sync dependency would take a
    thread-pool hop of its own, a good part of a small request's CPU.) So a request with a
    token that is sent but unknown or revoked, and with invalid parameters too, is answered
    422 rather than 401/403."""
    token = _bearer(request)
    if token is None:
        raise _unauthorized()
    return token
