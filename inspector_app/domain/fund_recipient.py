"""Who actually received the loan funds (资金实际收款方): the officer's structured answer on
the fund-use items, and the key headquarters counts recipients by.

A recipient is a name and, when the officer has them from the bank statement or the payment
voucher, the account number and the 统一社会信用代码 (USCC). Several borrowers' funds going to
one recipient is how loans taken out in other people's names look (seed 000 第二章: 27
individuals and a small company borrowed and passed the money to one company), so headquarters
counts, per recipient, the distinct borrowers whose visits named it.

Names are compared as a person would read them, never more loosely: full-width and half-width
forms are one (NFKC: "（" and "(", "Ａ" and "A"), spaces between Chinese characters are typing,
Latin letters ignore case. Nothing else is merged: 有限公司 and 有限责任公司 are different legal
forms and can be different companies, and a branch (分公司) is not its parent — a false merge
would accuse borrowers who did nothing, a missed one only leaves the count lower. A USCC, when
given, is the key: it identifies the legal person whatever its name is typed as.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from inspector_app.common.text import Text, UserError

# GB 32100-2015: 18 characters of this alphabet (no I, O, Z, S, V), the last a check character.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"
MAX_NAME = 200
MAX_ACCOUNT = 40


class RecipientError(UserError):
    """A recipient the answer cannot take; ``.text`` says why in both languages."""


def uscc_check_character(first17: str) -> str:
    """The 18th character of a USCC whose first 17 are given (GB 32100-2015 §4.1)."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def clean_uscc(raw: str) -> str:
    """The USCC as stored (upper case, no spaces); RecipientError if it is not one."""
    code = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).upper()
    if len(code) != 18 or any(c not in _USCC_ALPHABET for c in code):
        raise RecipientError(Text("统一社会信用代码应为18位数字或大写字母",
                                  "a unified social credit code has 18 digits or capitals"))
    if uscc_check_character(code[:17]) != code[17]:
        raise RecipientError(Text("统一社会信用代码校验位不符，请核对",
                                  "the unified social credit code's check character is wrong"))
    return code


def normalised_name(name: str) -> str:
    """The name as recipients are compared (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = re.sub(r"\s+", " ", text)
    # A space next to a Chinese character is a typing slip; between Latin words it is not.
    text = re.sub(rf"(?<={_CJK}) | (?={_CJK})", "", text)
    return text.casefold()


@dataclass(frozen=True)
class Recipient:
    """Who received the loan funds, as the officer recorded it."""

    name: str
    account: str = ""
    uscc: str = ""

    @property
    def key(self) -> str:
        """What headquarters counts recipients by: the USCC if given, else the name."""
        return f"uscc:{self.uscc}" if self.uscc else f"name:{normalised_name(self.name)}"

    def stored(self) -> str:
        """The answer's stored text: compact JSON, keys sorted, empty parts left out."""
        parts = {k: v for k, v in (("name", self.name), ("account", self.account),
                                   ("uscc", self.uscc)) if v}
        return json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def shown(self, lang: str = "zh") -> str:
        """One line for the report and the brief."""
        extra = []
        if self.uscc:
            extra.append(f"{'统一社会信用代码' if lang != 'en' else 'USCC'} {self.uscc}")
        if self.account:
            extra.append(f"{'账号' if lang != 'en' else 'account'} {self.account}")
        if not extra:
            return self.name
        sep = "；" if lang != "en" else "; "
        return f"{self.name}（{sep.join(extra)}）" if lang != "en" else \
            f"{self.name} ({sep.join(extra)})"


def parse_recipient(raw: str) -> Recipient:
    """The stored JSON, or a name typed alone; RecipientError if unusable."""
    text = raw.strip()
    fields: dict[str, object]
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except ValueError:
            raise RecipientError(Text("收款方格式有误", "not a recipient")) from None
        if not isinstance(loaded, dict) or set(loaded) - {"name", "account", "uscc"}:
            raise RecipientError(Text("收款方格式有误", "not a recipient"))
        fields = loaded
    else:
        fields = {"name": text}
    if not all(isinstance(v, str) for v in fields.values()):
        raise RecipientError(Text("收款方格式有误", "not a recipient"))
    name = re.sub(r"\s+", " ", str(fields.get("name", ""))).strip()
    if not name:
        raise RecipientError(Text("请填写收款方名称", "the recipient's name is required"))
    if len(name) > MAX_NAME:
        raise RecipientError(Text(f"收款方名称不超过{MAX_NAME}字",
                                  f"the name is longer than {MAX_NAME} characters"))
    account = re.sub(r"[\s-]+", "", unicodedata.normalize("NFKC", str(fields.get("account", ""))))
    if account and (not account.isdigit() or len(account) > MAX_ACCOUNT):
        raise RecipientError(Text("账号只能是数字（最多40位）",
                                  "the account number is digits only (at most 40)"))
    uscc = str(fields.get("uscc", "")).strip()
    return Recipient(name, account, clean_uscc(uscc) if uscc else "")
