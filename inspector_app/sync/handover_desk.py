"""The signers' side of the handover record, as the desktop app runs it (off the UI thread):
a preview of the record, the old officer's certification, the new officer's countersignature
and the supervisor's confirmation (which completes the handover at headquarters).

The signing itself is reports.handover_signing. A signature is made and kept on the laptop
whether headquarters can be reached or not (sync.handover_signatures queues it), then sent at
once: kept there, or refused with the reason, or — out of reach — left for the next sync,
which the list then says ("signed, waiting for sync"). A wrong password stops it before
anything is written. The new officer and the supervisor sign the file the signer before them
made, fetched with each sync (or now, if it was not): offline, they sign what the last sync
brought.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspector_app import wire
from inspector_app.common.text import Text, UserError
from inspector_app.reports.handover_pdf import render_handover
from inspector_app.reports.handover_signing import (
    confirm_handover,
    countersign_handover,
    sign_handover,
)
from inspector_app.reports.report_actions import previews_dir
from inspector_app.reports.signing import load_signer
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import UNREACHABLE, SyncClient
from inspector_app.sync.errors import Unreachable
from inspector_app.sync.handover import pulled_handover
from inspector_app.sync.handover_signatures import (
    CERTIFIED,
    TO_CONFIRM,
    HandoverSignatureError,
    queue_signature_file,
    records_dir,
)

NO_ADDRESS = Text("尚未设置总行服务器地址：请先同步一次", "no headquarters address yet: sync once "
                  "first")
NOT_REGISTERED = Text("本机尚未在总行登记：请先同步一次", "this laptop is not registered with "
                      "headquarters yet: sync once first")
NOT_PULLED = Text("本机没有该移交的记录，请先同步", "this laptop has no record of that handover: "
                  "sync first")
NOT_YET = Text("尚未轮到此签署（请先同步）", "it is not this signature's turn yet (sync first)")


class HandoverUnreachable(UserError):
    """Headquarters could not be reached; nothing was recorded there."""


@dataclass(frozen=True)
class SignatureOutcome:
    """A signature made: the handover as headquarters kept it, or None while it waits on
    this laptop for the next sync (``waiting`` says why it did not go now)."""

    record: wire.HandoverRecord | None
    waiting: Text | None = None


def _record(store: LocalStore, handover_id: str) -> wire.HandoverRecord:
    record = pulled_handover(store, handover_id)
    if record is None:
        raise UserError(NOT_PULLED)
    return record


def _online(store: LocalStore, address: str, work: Callable[[SyncClient], Any],
            **client_options: Any) -> Any:
    """work(client) against headquarters (the one this laptop is registered with: its token
    is valid there only); HandoverUnreachable if it cannot be reached."""
    registration = store.laptop_registration()
    if not registration.registered:
        raise UserError(NOT_REGISTERED)
    address = registration.server_url or address
    if not address.strip():
        raise UserError(NO_ADDRESS)
    try:
        with SyncClient(store, address, **client_options) as client:
            return work(client)
    except Unreachable as exc:
        raise HandoverUnreachable(Text(UNREACHABLE.zh + exc.why.zh,
                                       UNREACHABLE.en + exc.why.en)) from None


def render_preview(store: LocalStore, handover_id: str, lang: str) -> Path:
    """The record as the old officer will sign it, as a new file under previews/ (the caller
    removes it once shown)."""
    pdf, _layout = render_handover(_record(store, handover_id), {}, lang)
    folder = previews_dir(store.data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix="handover-", suffix=".pdf")
    with os.fdopen(fd, "wb") as f:
        f.write(pdf)
    return Path(name)


def record_to_sign(store: LocalStore, address: str, handover_id: str, stage: str,
                   **client_options: Any) -> Path:
    """The signed record the next signer signs: for "countersigned" the old officer's
    certified one, for "confirmed" the one both officers signed — as the last sync fetched
    it, else fetched now (kept by its digest: a re-signed record is fetched anew)."""
    record = _record(store, handover_id)
    sha, name = ((record.signed_sha256, CERTIFIED) if stage == "countersigned"
                 else (record.countersigned_sha256, TO_CONFIRM))
    if sha is None:
        raise UserError(NOT_YET)
    path = records_dir(store.data_dir) / name.format(id=handover_id)
    if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha:
        return path
    try:
        _online(store, address, lambda c: c.fetch_handover_record(sha, path), **client_options)
    except HandoverUnreachable as exc:
        raise HandoverUnreachable(Text(
            "本机还没有要签署的移交清单，请联网同步一次后再签署（之后可离线签署）：" + exc.text.zh,
            "the record to sign is not on this laptop yet: sync once with headquarters, then "
            "sign (offline too): " + exc.text.en)) from None
    return path


def record_to_countersign(store: LocalStore, address: str, handover_id: str,
                          **client_options: Any) -> Path:
    """The old officer's certified record (record_to_sign for the countersignature)."""
    return record_to_sign(store, address, handover_id, "countersigned", **client_options)


def _send_now(store: LocalStore, address: str, handover_id: str,
              **client_options: Any) -> SignatureOutcome:
    """Send the queued signature now if headquarters answers; refused: HandoverSignatureError
    (the reason also kept for the list); else it waits for the next sync."""
    try:
        record = _online(store, address, lambda c: c.send_queued_signature(handover_id),
                         **client_options)
    except HandoverUnreachable as exc:
        return SignatureOutcome(None, exc.text)
    except HandoverSignatureError as exc:
        if store.handover_signature_waiting(handover_id):  # a server error: still queued
            return SignatureOutcome(None, exc.text)
        raise
    except UserError as exc:  # not registered, no address: it goes with the first sync
        return SignatureOutcome(None, exc.text)
    return SignatureOutcome(record)


def sign_and_send(store: LocalStore, address: str, handover_id: str, p12: Path,
                  password: str, handwritten_png: bytes, lang: str,
                  **client_options: Any) -> SignatureOutcome:
    """The old officer certifies the record, kept here and sent now or at the next sync.
    SigningError (a wrong password: nothing done) or HandoverSignatureError (refused)."""
    record = _record(store, handover_id)
    out = records_dir(store.data_dir) / f"{handover_id}-signed.pdf"
    now = datetime.now(UTC)
    sign_handover(record, {}, p12, password, out, signed_at=now, lang=lang,
                  handwritten_png=handwritten_png)
    queue_signature_file(store, handover_id, "signed", out, now)
    return _send_now(store, address, handover_id, **client_options)


def countersign_and_send(store: LocalStore, address: str, handover_id: str, p12: Path,
                         password: str, handwritten_png: bytes,
                         **client_options: Any) -> SignatureOutcome:
    """The new officer countersigns the certified record; kept here and sent as above."""
    return _sign_after(store, address, handover_id, "countersigned", countersign_handover, p12,
                       password, handwritten_png, **client_options)


def confirm_and_send(store: LocalStore, address: str, handover_id: str, p12: Path,
                     password: str, handwritten_png: bytes,
                     **client_options: Any) -> SignatureOutcome:
    """The supervisor confirms the record both officers signed; kept here and sent as above:
    headquarters completes the handover when it keeps it."""
    return _sign_after(store, address, handover_id, "confirmed", confirm_handover, p12,
                       password, handwritten_png, **client_options)


def _sign_after(store: LocalStore, address: str, handover_id: str, stage: str,
                sign: Callable[..., Any], p12: Path, password: str, handwritten_png: bytes,
                **client_options: Any) -> SignatureOutcome:
    now = datetime.now(UTC)
    load_signer(p12, password, now=now)  # a wrong password is said before anything is fetched
    earlier = record_to_sign(store, address, handover_id, stage, **client_options)
    out = records_dir(store.data_dir) / f"{handover_id}-{stage}.pdf"
    sign(earlier, p12, password, out, signed_at=now, handwritten_png=handwritten_png)
    queue_signature_file(store, handover_id, stage, out, now)
    return _send_now(store, address, handover_id, **client_options)


def start_handover(store: LocalStore, address: str, request: wire.HandoverStart,
                   **client_options: Any) -> wire.HandoverRecord:
    """A supervisor starts a handover at headquarters (it needs the network: nothing is
    queued); HandoverStartError with headquarters' reasons, or HandoverUnreachable."""
    result: wire.HandoverRecord = _online(store, address, lambda c: c.start_handover(request),
                                          **client_options)
    return result
