"""A borrower's name in pinyin, full and by initials, so the work list finds 浙江德炎… by
"zjdy" or "zhejiang" as officers type on a laptop without switching the input method.

Computed once when a borrower is written (Borrower.search_key: the column's default for any
insert, the sync's upsert for a changed name, migration 0009 for rows written before) and
searched with LIKE: a keystroke never converts 20,000 names. pypinyin loads its dictionaries
(about 0.3 s) on first use, so it is imported here, on a write path, never at start-up.
"""

from __future__ import annotations

from typing import Any

# Between the full pinyin and the initials: a needle typed without spaces never matches
# across the two halves ("gongsizj").
_SEPARATOR = "|"


def borrower_search_key(name: str) -> str:
    """"浙江德炎钢材" -> "zhejiangdeyangangcai|zjdygc": lower-case ASCII, letters and digits."""
    from pypinyin import Style, lazy_pinyin

    # Phrases are read as phrases (银行 is "yinhang", not "yinxing"); anything not Chinese
    # (digits, Latin letters) is kept as written.
    syllables = [_plain(s) for s in lazy_pinyin(name, errors="default")]
    initials = [_plain(s) for s in lazy_pinyin(name, style=Style.FIRST_LETTER,
                                               errors="default")]
    return "".join(syllables) + _SEPARATOR + "".join(initials)


def pinyin_needle(text: str) -> str | None:
    """What to look for in the search keys, or None when text is not pinyin (it has Chinese,
    punctuation, or no letter at all: a customer number is matched as typed)."""
    needle = "".join(text.split()).lower()
    if not needle.isascii() or not needle.isalnum() or needle.isdigit():
        return None
    return needle


def search_key_default(context: Any) -> str:
    """Borrower.search_key's default: computed from the name being inserted (ORM or Core)."""
    return borrower_search_key(context.get_current_parameters()["name"])


def _plain(syllable: str) -> str:
    return "".join(c for c in syllable.lower() if c.isascii() and c.isalnum())
