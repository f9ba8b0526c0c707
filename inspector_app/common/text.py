"""Text in the product's two languages, and the error that carries it to the user.

Everything the core says to a person (a refusal, a label, a line of a report) is data in
Simplified Chinese and English, and the screen, the report or the CLI picks the language.
``Text`` is that data; ``UserError`` is a refusal carrying one. The GUI's own chrome is not
here: Qt Linguist translates it.

A single string holding both (a log line, the CLI, the sync protocol's ``message``) is
``str(text)``: ``"中文 / English"``; ``Text.parse`` reads such a string made elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Text", "UserError"]

# "中文 / English" as written by the core and by headquarters: the first slash that follows a
# CJK character or full-width punctuation and is followed by a space. A slash inside a date
# ("2025/03") or between English words ("a / b") does not split.
_BILINGUAL = re.compile(r"(?s)(.*?[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*/\s+(.+)")


@dataclass(frozen=True, slots=True)
class Text:
    """One thing said in Chinese and in English; Chinese is the default."""

    zh: str
    en: str

    @classmethod
    def same(cls, text: str) -> Text:
        """A text written the same in both languages: a name, a number, a file path."""
        return cls(text, text)

    @classmethod
    def parse(cls, text: str) -> Text:
        """A "中文 / English" string made elsewhere (headquarters' message over the wire) as a
        Text; a string not of that shape is the same in both languages."""
        match = _BILINGUAL.fullmatch(text)
        if match is None:
            return cls.same(text)
        return cls(match.group(1).strip(), match.group(2).strip())

    def in_(self, lang: str = "zh") -> str:
        """The text in ``lang``: English for "en" (or "en_US"...), else Chinese, so both the
        domain's "zh"/"en" and the GUI's "zh_CN"/"en" codes work."""
        return self.en if lang.lower().startswith("en") else self.zh

    def __add__(self, other: Text) -> Text:
        """Each language joined to the same language of ``other``."""
        if not isinstance(other, Text):
            return NotImplemented
        return Text(self.zh + other.zh, self.en + other.en)

    def __str__(self) -> str:
        # A text the same in both languages (a name, a server's untranslated words) is
        # written once, so a string Text.parse could not split comes back unchanged.
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"


class UserError(ValueError):
    """A refusal meant for the user: what is wrong (and what to do), in both languages.

    ``.text`` is the message; a screen shows ``error.text.in_(lang)``, the CLI and the logs
    ``str(error)``, which is ``str(error.text)`` unless a subclass keeps an older form (a photo
    refusal ends with the file's name). A subclass keeps its own name (callers catch it by
    name) and may add attributes, e.g. why a photo was refused.
    """

    def __init__(self, text: Text) -> None:
        # The Text is the one argument: str() comes from it and pickling (an error crossing a
        # process pool) rebuilds the error from it.
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return str(self.text)
