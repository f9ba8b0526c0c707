"""The officers' side of the handover record, as the desktop app runs it (off the UI thread):
a preview of the record, the old officer's certification sent to headquarters, and the new
officer's countersignature on the certified file fetched from it.

The signing itself is reports.handover_signing; the upload and the fetch are SyncClient's
(sync.handover). A signature counts only once headquarters has verified and kept it, so the
signing and its upload are one step here: a wrong password stops it before anything is
written or sent, an unreachable server after the local signing, with nothing recorded at
headquarters (signing again later is harmless: the record renders the same).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspector_app import wire
from inspector_app.common.text import Text, UserError
from inspector_app.reports.handover_pdf import render_handover
from inspector_app.reports.handover_signing import countersign_handover, sign_handover
from inspector_app.reports.report_actions import previews_dir
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import UNREACHABLE, SyncClient
from inspector_app.sync.errors import Unreachable
from inspector_app.sync.handover import pulled_handover

RECORDS_DIR = "handovers"  # the signed records, under the data dir
NO_ADDRESS = Text("尚未设置总行服务器地址：请先同步一次", "no headquarters address yet: sync once "
                  "first")
NOT_REGISTERED = Text("本机尚未在总行登记：请先同步一次", "this laptop is not registered with "
                      "headquarters yet: sync once first")
NOT_PULLED = Text("本机没有该移交的记录，请先同步", "this laptop has no record of that handover: "
                  "sync first")


class HandoverUnreachable(UserError):
    """Headquarters could not be reached; nothing was recorded there."""


def records_dir(data_dir: Path) -> Path:
    folder = Path(data_dir) / RECORDS_DIR
    # Under the data directory, as protected as the database: the record names every loan.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


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


def sign_and_send(store: LocalStore, address: str, handover_id: str, p12: Path,
                  password: str, handwritten_png: bytes, lang: str,
                  **client_options: Any) -> wire.HandoverRecord:
    """The old officer certifies the record and headquarters keeps it; the handover as it
    answered. SigningError (a wrong password), HandoverSignatureError (refused) or
    HandoverUnreachable."""
    record = _record(store, handover_id)
    out = records_dir(store.data_dir) / f"{handover_id}-signed.pdf"
    sign_handover(record, {}, p12, password, out, signed_at=datetime.now(UTC), lang=lang,
                  handwritten_png=handwritten_png)
    result: wire.HandoverRecord = _online(
        store, address, lambda c: c.send_handover_signature(handover_id, out, "signed"),
        **client_options)
    return result


def record_to_countersign(store: LocalStore, address: str, handover_id: str,
                          **client_options: Any) -> Path:
    """The old officer's certified record, fetched from headquarters once (kept by its
    digest: a re-signed record is fetched anew)."""
    record = _record(store, handover_id)
    sha = record.signed_sha256
    if sha is None:
        raise UserError(Text("移交人尚未签署", "the officer handing over has not signed yet"))
    path = records_dir(store.data_dir) / f"{handover_id}-certified.pdf"
    if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha:
        return path
    _online(store, address, lambda c: c.fetch_handover_record(record, path), **client_options)
    return path


def countersign_and_send(store: LocalStore, address: str, handover_id: str, p12: Path,
                         password: str, handwritten_png: bytes,
                         **client_options: Any) -> wire.HandoverRecord:
    """The new officer countersigns the certified record and headquarters keeps it."""
    certified = record_to_countersign(store, address, handover_id, **client_options)
    out = records_dir(store.data_dir) / f"{handover_id}-countersigned.pdf"
    countersign_handover(certified, p12, password, out, signed_at=datetime.now(UTC),
                         handwritten_png=handwritten_png)
    result: wire.HandoverRecord = _online(
        store, address, lambda c: c.send_handover_signature(handover_id, out, "countersigned"),
        **client_options)
    return result


def start_handover(store: LocalStore, address: str, request: wire.HandoverStart,
                   **client_options: Any) -> wire.HandoverRecord:
    """A supervisor starts a handover at headquarters (it needs the network: nothing is
    queued); HandoverStartError with headquarters' reasons, or HandoverUnreachable."""
    result: wire.HandoverRecord = _online(store, address, lambda c: c.start_handover(request),
                                          **client_options)
    return result
