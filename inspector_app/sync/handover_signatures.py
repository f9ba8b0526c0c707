"""The handover record's signatures between a laptop and headquarters (a SyncClient mixin).

Up: a signature made on this laptop is queued (store.handovers: the file, its document, an
outbox row) whether headquarters is reachable or not; the desktop app tries to send it at
once, and every sync sends what is still queued: the file as a blob (resumed where it
stopped), then POST /handovers/{id}/signatures. Headquarters answers the same file posted
again as it did the first time, so a lost answer is simply asked again, and nothing is kept
twice. Only its answer settles the row: kept (the handover as it answered replaces the
pulled one), or refused, when the reason stays on the document for the list and the
handover waits for that signature again. A server error or no network leaves it queued.

Down: what a laptop needs to sign offline is fetched with each sync — for the new officer,
the old officer's certified record; for the supervisor, the record both signed — so it can
be previewed and signed without the network.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.common.clock import utcnow
from inspector_app.common.files import atomic_write
from inspector_app.common.text import Text, UserError
from inspector_app.store import outbox
from inspector_app.store.handovers import (
    SIGNATURE_OUTBOX,
    QueuedSignature,
    queue_signature,
    queued_signature,
    signature_kept,
    signature_refused,
)
from inspector_app.store.models import ReferenceDoc, SyncState
from inspector_app.sync.errors import ServerError, error_code, server_message
from inspector_app.sync.report import Reason, SyncReport, What
from inspector_app.sync.uploads import QueuedFile

if TYPE_CHECKING:
    from inspector_app.store.local import LocalStore

HANDOVER = "handover"  # the pulled document's entity (as sync.handover keeps it)
RECORDS_DIR = "handovers"  # the signed records, under the data dir
CERTIFIED = "{id}-certified.pdf"  # the old officer's record, fetched to countersign
TO_CONFIRM = "{id}-to-confirm.pdf"  # the record both officers signed, fetched to confirm
# Refusals worth another try: the file not (yet) whole at headquarters.
RETRY_CODES = frozenset({"missing_blobs"})
REFUSED = ("总行未接受本机的签署：{zh}；请重新签署 / headquarters refused the signature made on "
           "this laptop: {en}; sign again")


class HandoverSignatureError(UserError, RuntimeError):
    """Headquarters did not keep the signed record; ``.text`` says why."""


def records_dir(data_dir: Path) -> Path:
    folder = Path(data_dir) / RECORDS_DIR
    # Under the data directory, as protected as the database: the record names every loan.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _matches(path: Path, sha256: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


class HandoverSignatures:
    """SyncClient's sending of queued signatures and fetching of records to sign."""

    if TYPE_CHECKING:
        store: LocalStore
        _report: SyncReport
        _current: tuple[str, str] | None

        def _send(self, method: str, url: str, *, authorised: bool = True,
                  **kwargs: Any) -> httpx.Response: ...

        def _check_cancelled(self) -> None: ...

        def _send_blob(self, blob: QueuedFile, path: Path, done: int,
                       total: int) -> tuple[Reason, str] | None: ...

        def _download(self, sha: str, size: int, out: Any) -> str: ...

        def _use_token(self) -> None: ...

        def _handover_issue(self, record: wire.HandoverRecord, reason: Reason,
                            message: str) -> None: ...

    # -- up ------------------------------------------------------------------------------------

    def send_handover_signature(self, handover_id: str, pdf: Path, stage: str,
                                signed_at: datetime | None = None) -> wire.HandoverRecord:
        """Queue a signed record made elsewhere (copied under the data directory) and send it
        now; HandoverSignatureError if headquarters does not keep it."""
        queue_signature_file(self.store, handover_id, stage, pdf, signed_at or utcnow())
        record = self.send_queued_signature(handover_id)
        assert record is not None  # just queued
        return record

    def send_queued_signature(self, handover_id: str) -> wire.HandoverRecord | None:
        """Send this laptop's queued signature of the handover: the handover as headquarters
        kept it, or None if nothing is queued. HandoverSignatureError if headquarters refused
        it (not queued any more) or failed (still queued); Unreachable with no network."""
        self._use_token()
        with self.store.read() as s:
            signature = queued_signature(s, handover_id)
            queued = any(r.ref == handover_id for r in outbox.pending(s, SIGNATURE_OUTBOX))
        if signature is None or not queued:
            return None
        self._current = (SIGNATURE_OUTBOX, handover_id)
        path = records_dir(self.store.data_dir) / signature.file
        if not _matches(path, signature.sha256):  # gone or altered: nothing sendable is left
            return self._refused(handover_id, Text(
                "本机签署的移交清单文件已丢失或被改动", "the signed record on this laptop is "
                "missing or was altered"))
        try:
            problem = self._send_blob(QueuedFile(signature.sha256, What.REPORT, path, path.name),
                                      path, 0, 1)
            if problem is not None:
                return self._refused(handover_id, Text.parse(problem[1] or problem[0].value))
            body = wire.HandoverSignature(stage=signature.stage,  # type: ignore[arg-type]
                                          sha256=signature.sha256,
                                          size_bytes=signature.size_bytes)
            r = self._send("POST", f"{wire.API}/handovers/{handover_id}/signatures",
                           json=body.model_dump(mode="json"))
        except ServerError as exc:
            self._failed(handover_id, server_message(exc.args[0]))
            raise HandoverSignatureError(Text.parse(server_message(exc.args[0]))) from None
        if r.status_code != 200:
            if error_code(r) in RETRY_CODES:
                self._failed(handover_id, server_message(r))
                raise HandoverSignatureError(Text.parse(server_message(r)))
            return self._refused(handover_id, Text.parse(server_message(r)))
        record = wire.HandoverRecord.model_validate_json(r.content)
        with outbox.quiet_write(self.store) as s:
            keep_handover(s, record)
            signature_kept(s, handover_id)
        self._current = None
        return record

    def _refused(self, handover_id: str, why: Text) -> wire.HandoverRecord | None:
        with outbox.quiet_write(self.store) as s:
            signature_refused(s, handover_id, str(why))
        self._current = None
        raise HandoverSignatureError(why)

    def _failed(self, handover_id: str, message: str) -> None:
        with outbox.quiet_write(self.store) as s:
            outbox.record_failure(s, SIGNATURE_OUTBOX, handover_id, message)
        self._current = None

    def _send_handover_signatures(self) -> None:
        """The sync run's step: every queued signature, each settled or left queued."""
        with self.store.read() as s:
            refs = [r.ref for r in outbox.pending(s, SIGNATURE_OUTBOX)]
        for handover_id in refs:
            self._check_cancelled()
            record = self._pulled(handover_id)
            try:
                if self.send_queued_signature(handover_id) is not None:
                    self._report.handover_signatures_sent += 1
            except HandoverSignatureError as exc:
                with self.store.read() as s:
                    still = any(r.ref == handover_id
                                for r in outbox.pending(s, SIGNATURE_OUTBOX))
                if record is None:
                    continue
                if still:
                    self._handover_issue(record, Reason.SERVER_ERROR, str(exc.text))
                else:
                    self._handover_issue(record, Reason.REJECTED, REFUSED.format(
                        zh=exc.text.zh, en=exc.text.en))

    def _pulled(self, handover_id: str) -> wire.HandoverRecord | None:
        with self.store.read() as s:
            doc = s.get(ReferenceDoc, (HANDOVER, handover_id))
            data = None if doc is None else dict(doc.data)
        try:
            return None if data is None else wire.HandoverRecord.model_validate(data)
        except ValidationError:
            return None

    # -- down ----------------------------------------------------------------------------------

    def fetch_handover_record(self, sha256: str, out: Path) -> None:
        """Download a signed record headquarters keeps into ``out``, whole or not at all."""
        self._use_token()
        size = int(self._send("HEAD", f"{wire.API}/blobs/{sha256}").headers.get(
            "Upload-Offset", 0))
        part = out.with_name(out.name + ".part")
        with part.open("wb") as f:
            problem = self._download(sha256, size, f)
        if problem or not _matches(part, sha256):
            part.unlink(missing_ok=True)
            raise HandoverSignatureError(Text.parse(problem or "文件与其校验值不符 / the file "
                                                    "does not match its hash"))
        atomic_write(out, part.read_bytes())
        part.unlink(missing_ok=True)

    def _fetch_records_to_sign(self) -> None:
        """The sync run's step: the record this laptop's user signs next, kept here so it
        can be signed without the network; a failure is said and tried again next sync."""
        with self.store.read() as s:
            me = s.get_one(SyncState, 1).user_id
            docs = list(s.scalars(select(ReferenceDoc).where(
                ReferenceDoc.entity == HANDOVER, ReferenceDoc.deleted.is_(False))))
        for doc in docs:
            try:
                record = wire.HandoverRecord.model_validate(doc.data)
            except ValidationError:
                continue
            wanted = record_to_sign(record, me)
            if wanted is None:
                continue
            sha, name = wanted
            out = records_dir(self.store.data_dir) / name
            if _matches(out, sha):
                continue
            self._check_cancelled()
            try:
                self.fetch_handover_record(sha, out)
            except (HandoverSignatureError, ServerError) as exc:
                text = exc.text if isinstance(exc, HandoverSignatureError) else \
                    Text.parse(server_message(exc.args[0]))
                self._handover_issue(record, Reason.SERVER_ERROR, str(text))


def queue_signature_file(store: LocalStore, handover_id: str, stage: str, pdf: Path,
                         signed_at: datetime) -> QueuedSignature:
    """Keep a signed record as this laptop's signature of the handover, queued for sending
    (the file moved under the data directory's handovers/ if it is not there)."""
    data = Path(pdf).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    folder = records_dir(store.data_dir)
    name = f"{handover_id}-{stage}.pdf"
    if Path(pdf).resolve() != (folder / name).resolve():
        atomic_write(folder / name, data)
    signature = QueuedSignature(handover_id, stage, name, sha, len(data), signed_at)
    with outbox.quiet_write(store) as s:
        queue_signature(s, signature)
    return signature


def keep_handover(s: Session, record: wire.HandoverRecord) -> None:
    """The handover as headquarters answered it, unless a newer version was pulled."""
    doc = s.get(ReferenceDoc, (HANDOVER, record.id))
    if doc is not None and doc.version >= record.version:
        return
    table = ReferenceDoc.__table__
    values = {"version": record.version, "deleted": False,
              "data": record.model_dump(mode="json"), "received_at": utcnow()}
    s.execute(sqlite_insert(table).values(entity=HANDOVER, id=record.id, **values)
              .on_conflict_do_update(index_elements=[table.c.entity, table.c.id], set_=values))


def record_to_sign(record: wire.HandoverRecord, me: str) -> tuple[str, str] | None:
    """(digest, file name) of the signed record ``me`` signs next, if they sign one: the
    certified record for the new officer, the countersigned one for the supervisor."""
    if record.status != "pending":
        return None
    supervisor = (record.record.get("from_officer") or {}).get("supervisor_id")
    if me == record.to_officer_id and record.signed_sha256 and not record.countersigned_sha256:
        return record.signed_sha256, CERTIFIED.format(id=record.id)
    if me == supervisor and record.countersigned_sha256:
        return record.countersigned_sha256, TO_CONFIRM.format(id=record.id)
    return None
