"""What every part of LocalStore stands on: the engine, read and write transactions, the audit
log and the inspection policy in force.

LocalStore is this plus one class per area (visit editing, findings, photos, the work list,
...), each a subclass of StoreBase, so every part is typed against what really exists rather
than against the finished LocalStore.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.paths import database_path, photos_dir
from inspector_app.common.text import Text, UserError
from inspector_app.domain.policy import Policy, PolicyError, load_policy
from inspector_app.store import outbox
from inspector_app.store.db import make_engine, make_sessionmaker
from inspector_app.store.migrate import MigrationResult
from inspector_app.store.models import AuditEntry, ReferenceDoc
from inspector_app.store.photos import PhotoStore


class VisitLockedError(UserError, RuntimeError):
    """A change to a signed visit was refused (by the database's guard triggers).

    Still a RuntimeError, as it was before it carried a Text, for callers that catch that."""

    def __init__(self) -> None:
        super().__init__(Text(
            "检查已签署，不能再修改；如需更正请创建新版本",
            "the visit is signed and cannot change; start a new revision to correct it",
        ))

    def __reduce__(self) -> tuple[type[VisitLockedError], tuple[()]]:
        return (type(self), ())


class StoreBase:
    """Owns the engine for one data directory; every read and write goes through here."""

    def __init__(self, data_dir: Path, migration: MigrationResult) -> None:
        self.data_dir = data_dir
        self.migration = migration
        self.engine = make_engine(database_path(data_dir))
        self._reader = make_sessionmaker(self.engine)
        self._writer = make_sessionmaker(self.engine, write=True)
        outbox.install(self._writer)  # every visit edit queues itself for sync, same transaction
        self._photos = PhotoStore(photos_dir(data_dir))
        self._pulled_policy: tuple[int, Policy] | None = None

    @property
    def policy(self) -> Policy:
        """The inspection policy in force: headquarters' latest published one once a sync has
        brought it, else the file shipped with the app."""
        with self.read() as s:
            doc = s.get(ReferenceDoc, ("policy", "policy"))
            pulled = None if doc is None or doc.deleted else (doc.version, doc.data)
        if pulled is None:
            return self._shipped_policy
        version, data = pulled
        if self._pulled_policy is None or self._pulled_policy[0] != version:
            try:
                self._pulled_policy = (version, Policy.from_dict(data, source="headquarters"))
            except PolicyError:
                # The pull refused to apply it too (sync/pull.py); keep the rules in force.
                return self._pulled_policy[1] if self._pulled_policy else self._shipped_policy
        return self._pulled_policy[1]

    @cached_property
    def _shipped_policy(self) -> Policy:
        return load_policy()

    @property
    def photos(self) -> PhotoStore:
        return self._photos

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back whole on any error."""
        try:
            with self._writer.begin() as session:
                yield session
        except DBAPIError as exc:
            if "visit is signed and locked" in str(exc.orig):
                raise VisitLockedError() from exc
            raise

    @staticmethod
    def audit(
        session: Session,
        user_id: str | None,
        action: str,
        entity: str,
        entity_id: str,
        **detail: Any,
    ) -> AuditEntry:
        """Append an audit entry inside the caller's transaction."""
        seq = (session.scalar(select(func.max(AuditEntry.seq))) or 0) + 1
        entry = AuditEntry(
            seq=seq, at=utcnow(), user_id=user_id, action=action, entity=entity,
            entity_id=entity_id, detail=detail,
        )
        session.add(entry)
        return entry
