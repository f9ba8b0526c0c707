"""What changed in a signed PDF after a signature, for the verifier's verdict and words.

Whether a change is allowed is pyHanko's difference analysis (reports.verify), except for the
document information dictionary, which it files under long-term validation data: its changes
are found here. The page-by-page account of other changes is only for the message.
"""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import PdfHandler

# What every PDF writer stamps into the document information on saving (pyHanko's signing
# and form-filling updates too): a save, not a change of what the document says.
_WRITER_STAMPS = frozenset({"/ModDate", "/Producer"})


def changed_info(reader: PdfFileReader, signed_revision: int) -> tuple[str, ...]:
    """The document information entries (/Title, /Author, ...) that differ between the
    revision ``signed_revision`` (0-based) and the file as it stands, writer stamps aside."""
    try:
        before = _info_entries(reader, signed_revision)
        after = _info_entries(reader, reader.total_revisions - 1)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError):
        return ("/Info",)  # unreadable as it now stands: that is a change as well
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return tuple(sorted(keys - _WRITER_STAMPS))


def _info_entries(reader: PdfFileReader, revision: int) -> dict[str, bytes]:
    """The document information dictionary as of ``revision``, each value as written."""
    resolver = reader.get_historical_resolver(revision)
    trailer = resolver.trailer_view
    if "/Info" not in trailer:
        return {}
    info = trailer.raw_get("/Info")
    # Resolved in that revision: the trailer's own reference would give the newest version.
    if isinstance(info, generic.IndirectObject):
        info = resolver.get_object(info.reference)
    if not isinstance(info, generic.DictionaryObject):
        return {}
    entries: dict[str, bytes] = {}
    for key in info:
        out = BytesIO()
        info[key].write_to_stream(out, None)
        entries[str(key)] = out.getvalue()
    return entries


def describe_changes(reader: PdfFileReader, signed_revision: int) -> tuple[str, str]:
    """In plain words, what differs on the pages between the signed revision and the file.

    Only for the message: whether a change is allowed is pyHanko's difference analysis.
    """
    try:
        before = _page_fingerprints(reader.get_historical_resolver(signed_revision))
        after = _page_fingerprints(reader)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError):
        before = after = []
    zh: list[str] = []
    en: list[str] = []
    if len(before) != len(after):
        zh.append(f"页数由 {len(before)} 变为 {len(after)}")
        en.append(f"the page count went from {len(before)} to {len(after)}")
    for number, (old, new) in enumerate(zip(before, after, strict=False), 1):
        for part, part_zh, part_en in (
            ("contents", "页面内容被修改", "page content was modified"),
            ("resources", "页面资源（字体、图片）被修改", "page resources (fonts, images) changed"),
            ("annots", "注释被添加或修改", "annotations were added or changed"),
        ):
            if old[part] != new[part]:
                zh.append(f"第 {number} 页{part_zh}")
                en.append(f"{part_en} on page {number}")
    if not zh:
        return "文件结构被修改", "the document's structure was changed"
    return "；".join(zh), "; ".join(en)


def _page_fingerprints(handler: PdfHandler) -> list[dict[str, bytes]]:
    """Per page, in order: its content streams, resource dictionary and annotation list."""
    pages: list[dict[str, bytes]] = []

    def walk(node: generic.DictionaryObject, depth: int) -> None:
        if "/Kids" in node:
            if depth < 64:  # a page tree with a cycle is not followed
                for kid in node["/Kids"]:
                    walk(kid.get_object(), depth + 1)
            return
        contents = node.get("/Contents")
        streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
        pages.append({
            # Both which streams and what is in them: an update can swap either.
            "contents": _raw_entry(node, "/Contents") + b"".join(
                s.get_object().encoded_data for s in streams
                if s is not None and isinstance(s.get_object(), generic.StreamObject)),
            "resources": _raw_entry(node, "/Resources"),
            "annots": _raw_entry(node, "/Annots"),
        })

    walk(handler.root["/Pages"], 0)
    return pages


def _raw_entry(node: generic.DictionaryObject, key: str) -> bytes:
    """An entry as written in the file, references left as references."""
    if key not in node:
        return b""
    out = BytesIO()
    node.raw_get(key).write_to_stream(out, None)
    return out.getvalue()
