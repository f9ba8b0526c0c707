"""Blob endpoints: HEAD (how much is here), PATCH (append a chunk), GET (download).

Resumable uploads in the manner of tus: the client asks with HEAD how many bytes the server
holds, then sends the rest in chunks that each start exactly there. A chunk is answered only
after it is on disk (fsync), so an acknowledged offset survives a server crash.

Blobs belong to someone (blob_access): an upload in progress is the device's that started it
(only it appends to it or learns its offset), and HEAD tells of a complete blob only those who
sent it or may read a visit referencing it; to anyone else it answers as for a blob that does
not exist, and they must send every byte (checked against the name) to hold it too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import Insert, and_, bindparam, case, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from inspector_app.common.clock import utcnow
from inspector_app.hq.audit import audit
from inspector_app.hq.auth import authenticate, device_token
from inspector_app.hq.blob_access import handover_pdfs, may_use, note_holder
from inspector_app.hq.blobs import ChunkTooLong, HashMismatch, OffsetMismatch
from inspector_app.hq.context import MB, Hq
from inspector_app.hq.errors import ApiError, not_found
from inspector_app.hq.models import Blob, HandoverVisit, User, Visit, VisitBlob
from inspector_app.hq.responses import AUTH, LENGTH, OFFSET, error, invalid, with_headers
from inspector_app.hq.scope import Principal, may_see_officer
from inspector_app.wire import API

OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the blob")]

router = APIRouter(prefix=API, tags=["blobs"])


async def _hq(request: Request) -> Hq:
    # async: a plain def dependency would cost a thread-pool hop of its own.
    hq: Hq = request.app.state.hq  # set by create_app
    return hq


HqDep = Annotated[Hq, Depends(_hq)]
Token = Annotated[str, Depends(device_token)]


def too_large(limit: int) -> ApiError:
    mb = limit // MB if limit % MB == 0 else round(limit / MB, 1)
    return ApiError(413, "too_large", f"照片超过{mb}MB上限 / the photo is larger than the "
                    f"{mb} MB limit", {"limit_bytes": limit})


def _note_blob(hq: Hq, sha256: str, size: int, complete: bool) -> None:
    """Keep the blobs table in step with the store (the store's files are the authority).

    One upsert: a single statement commits by itself (no BEGIN and COMMIT round trips on
    PostgreSQL), and two first chunks racing cannot both insert."""
    now = utcnow()
    with hq.db.write_single() as conn:
        conn.execute(_blob_upsert(conn.dialect.name), {
            "sha256": sha256, "size": size, "complete": complete, "created_at": now,
            "completed_at": now if complete else None})


@functools.cache
def _blob_upsert(dialect: str) -> Insert:
    """The upsert for this dialect, built once (bound parameters, not values: building the
    expression and its cache key on every chunk cost more than running it)."""
    new = (sqlite_insert if dialect == "sqlite" else pg_insert)(Blob).values(
        {c: bindparam(c, type_=Blob.__table__.c[c].type)
         for c in ("sha256", "size", "complete", "created_at", "completed_at")})
    newly_complete = and_(new.excluded.complete, ~Blob.complete)
    return new.on_conflict_do_update(index_elements=[Blob.sha256], set_={
        "size": new.excluded.size,
        "complete": or_(Blob.complete, new.excluded.complete),
        "completed_at": case((newly_complete, new.excluded.completed_at),
                             else_=Blob.completed_at)})


@router.head("/blobs/{sha256}", response_class=Response, responses={
    200: with_headers({"description": "complete, and the caller sent it or may read it"},
                      Upload_Offset=OFFSET, Upload_Length=LENGTH),
    206: with_headers({"description": "the caller's device's upload in progress"},
                      Upload_Offset=OFFSET),
    404: with_headers({"description": "nothing the caller may know of"},
                      Upload_Offset=OFFSET + " (0)"),
    **AUTH, 422: invalid("(a HEAD answer has no body)")})
def blob_offset(sha256: Sha256, hq: HqDep, token: Token) -> Response:
    """How many bytes the server holds of this blob for the caller, in the Upload-Offset
    header: all of it (200) if it is complete and the caller sent it or may read it, what
    their device's upload in progress holds (206), else nothing (404)."""
    caller = authenticate(hq, token)
    if may_use(hq, caller, sha256):
        size = hq.blobs.size(sha256)
        return Response(status_code=200, headers={"Upload-Offset": str(size),
                                                  "Upload-Length": str(size)})
    offset = hq.blobs.partial_offset(sha256, caller.device_id)
    if offset is None:
        return Response(status_code=404, headers={"Upload-Offset": "0"})
    return Response(status_code=206, headers={"Upload-Offset": str(offset)})


@router.patch("/blobs/{sha256}", status_code=204,
              openapi_extra={"requestBody": {"required": True, "content": {
                  OFFSET_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}},
              responses={
                  204: with_headers({"description": "the chunk is on disk"},
                                    Upload_Offset=OFFSET + ", the chunk included"),
                  400: error("bad_chunk: Upload-Offset past Upload-Length, or the body runs "
                             "past Upload-Length"),
                  **AUTH,
                  409: error("offset_mismatch: the server holds another offset "
                             "(detail.offset)", Upload_Offset=OFFSET),
                  413: error("too_large: Upload-Length over the server's limit "
                             "(detail.limit_bytes)"),
                  415: error(f"unsupported_media_type: not sent as {OFFSET_CONTENT_TYPE}"),
                  422: invalid("hash_mismatch: the completed bytes do not have the blob's "
                               "SHA-256 and were discarded (detail.expected, detail.actual)")})
async def blob_append(
    sha256: Sha256,
    request: Request,
    hq: HqDep,
    token: Token,
    upload_offset: Annotated[int, Header(alias="Upload-Offset", ge=0)],
    upload_length: Annotated[int, Header(alias="Upload-Length", ge=0)],
) -> Response:
    """Append the body at Upload-Offset; 204 with the new Upload-Offset."""
    # Before reading the body: nobody unknown gets to send up to the size limit.
    caller = await run_in_threadpool(authenticate, hq, token)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != OFFSET_CONTENT_TYPE:
        raise ApiError(415, "unsupported_media_type",
                       f"上传格式错误 / chunks must be sent as {OFFSET_CONTENT_TYPE}")
    limit = hq.settings.max_blob_bytes
    if upload_length > limit:
        raise too_large(limit)
    if upload_offset > upload_length:
        raise ApiError(400, "bad_chunk", "上传位置超出文件长度 / Upload-Offset is past "
                       "Upload-Length")
    room = upload_length - upload_offset
    parts: list[bytes] = []
    received = 0
    # Read no more than the declared length allows, so a lying client cannot make the
    # server buffer more than the size limit.
    try:
        async for part in request.stream():
            received += len(part)
            if received > room:
                raise ApiError(400, "bad_chunk", "数据超出声明的文件长度 / the chunk runs past "
                               "Upload-Length")
            parts.append(part)
    except ClientDisconnect:
        # A dropped branch connection mid-chunk is routine, not a server error: keep nothing
        # of the partial chunk (the client resumes from the acknowledged offset) and answer
        # nobody, quietly.
        return Response(status_code=400)
    chunk = b"".join(parts)
    try:
        new_offset = await run_in_threadpool(_append, hq, caller, sha256, upload_offset,
                                             chunk, upload_length)
    except OffsetMismatch as e:
        raise ApiError(409, "offset_mismatch",
                       f"上传位置不符，请重新查询 / the server holds {e.current} bytes of this "
                       "blob; ask again with HEAD", {"offset": e.current},
                       headers={"Upload-Offset": str(e.current)}) from None
    except ChunkTooLong:
        raise ApiError(400, "bad_chunk", "数据超出声明的文件长度 / the chunk runs past "
                       "Upload-Length") from None
    except HashMismatch as e:
        await run_in_threadpool(_discarded, hq, caller, sha256, e.actual)
        raise ApiError(422, "hash_mismatch",
                       "文件校验失败，已丢弃，请重新上传 / the uploaded bytes do not match the "
                       "file's SHA-256 and were discarded; upload it again",
                       {"expected": e.expected, "actual": e.actual}) from None
    return Response(status_code=204, headers={"Upload-Offset": str(new_offset)})


def _append(hq: Hq, caller: Principal, sha256: str, offset: int, chunk: bytes,
            total: int) -> int:
    """Append the chunk to the caller's device's upload, and note the blob's row when it
    starts or completes and the caller as its holder when it completes (one thread-pool hop
    for all). A complete blob the caller may use already is not sent again."""
    if may_use(hq, caller, sha256):
        return hq.blobs.size(sha256)
    new_offset = hq.blobs.append(sha256, offset, chunk, total, owner=caller.device_id)
    done = new_offset == total
    if offset == 0 or done:
        _note_blob(hq, sha256, total, done)
    if done:
        note_holder(hq, caller, sha256)
    return new_offset


def _discarded(hq: Hq, caller: Principal, sha256: str, actual: str) -> None:
    with hq.db.write() as session:
        row = session.get(Blob, sha256)
        if row is not None and not row.complete:
            session.delete(row)
        audit(session, caller.username, "blob.hash_mismatch", "blob", sha256,
              user_id=caller.user_id, device_id=caller.device_id, actual=actual)


@router.get("/blobs/{sha256}", response_class=StreamingResponse,
            responses={200: {"content": {"application/octet-stream": {}},
                             "description": "the blob's bytes"},
                       **AUTH, 404: error("not_found: no such complete blob, or none the "
                                          "caller may read"),
                       422: invalid()})
def blob_download(sha256: Sha256, hq: HqDep, token: Token) -> StreamingResponse:
    """A photo or report of a visit the caller may see (headquarters-only endpoint)."""
    caller = authenticate(hq, token)
    with hq.db.read() as session:
        owners = session.execute(
            select(Visit.officer_id, User.supervisor_id)
            .join(VisitBlob, VisitBlob.visit_id == Visit.id)
            .join(User, User.id == Visit.officer_id)
            .where(VisitBlob.sha256 == sha256)
        ).all()
        # The borrowers' file a completed handover gave the caller (hq.handover).
        handed = session.scalar(
            select(HandoverVisit.visit_id)
            .join(VisitBlob, VisitBlob.visit_id == HandoverVisit.visit_id)
            .where(VisitBlob.sha256 == sha256, HandoverVisit.taker_id == caller.user_id)
            .limit(1)) if owners else None
        record = None if owners else session.scalar(handover_pdfs(caller, [sha256]).limit(1))
    if not (handed or record or any(may_see_officer(caller, o, s) for o, s in owners)) \
            or not hq.blobs.complete(sha256):
        raise not_found()
    f = hq.blobs.open(sha256)
    size = hq.blobs.size(sha256)

    def chunks() -> Iterator[bytes]:
        with f:
            while block := f.read(MB):
                yield block

    return StreamingResponse(chunks(), media_type="application/octet-stream",
                             headers={"Content-Length": str(size)})
