"""The report's classification section (issue #14 item 3): every rule that fired with its
source, the one that decided marked, and the rules an override sets aside."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from inspector_app.domain.enums import Classification, VisitKind
from inspector_app.reports.data import load_report_data
from inspector_app.reports.pdf import render_report
from inspector_app.store.local import LocalStore


@pytest.fixture
def visit(store: LocalStore, portfolio: Any) -> str:
    """The 硕发 case: legal representative sentenced; and a shareholder dispute besides."""
    officer = portfolio.officer
    v = store.start_visit(portfolio.borrower_id, officer, VisitKind.ROUTINE,
                          visit_date=date(2026, 11, 20))
    store.set_answer(v.id, officer, "R-CHR-02", "detained", note="法定代表人被判刑10年")
    store.set_answer(v.id, officer, "R-CHR-01", "yes", note="股东诉讼")
    return v.id


def test_the_rules_that_fired_are_listed_with_their_sources(store: LocalStore, visit: str
                                                            ) -> None:
    c = load_report_data(store, visit, "zh").classification
    assert c.recommended == "次级"
    assert [line.deciding for line in c.rules] == [False, True, False]
    shareholders, legal_rep, signals = c.rules
    assert legal_rep.rule == ("检查项R-CHR-02「法定代表人（实际控制人）目前的状况」答：被采取刑事"
                              "强制措施或判刑 ⇒ 至少次级")
    assert legal_rep.source.startswith("本行制度：法定代表人（实际控制人）被判刑")
    assert "硕发" in legal_rep.source
    assert "腾龙" in shareholders.source
    assert signals.rule == "存在2个橙色及以上预警信号 ⇒ 至少关注"
    assert c.conclusion == "建议分类次级由标有★的规则决定"
    assert c.overrides == "" and not c.overridden
    en = load_report_data(store, visit, "en").classification
    assert en.rules[1].source.startswith("Bank policy: The legal representative jailed")
    assert en.conclusion == "The rule marked ★ decided the recommended Substandard"


def test_an_override_names_the_rule_it_sets_aside_in_the_pdf(
    store: LocalStore, portfolio: Any, visit: str, tmp_path: Path
) -> None:
    store.set_conclusion(visit, portfolio.officer, final=Classification.SPECIAL_MENTION,
                         override_reason="新任法定代表人已到任")
    data = load_report_data(store, visit, "zh")
    c = data.classification
    assert c.overridden and c.final == "关注"
    assert c.overrides.startswith("推翻规则：检查项R-CHR-02")
    assert "R-CHR-01" not in c.overrides  # its floor (关注) is not set aside by 关注
    out = tmp_path / "report.pdf"
    render_report(data, store.photos, out)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(out).pages))
    for expected in ("触发的分类规则", "★检查项R-CHR-02", "规则出处", "本行制度：法定代表人",
                     "建议分类次级由标有★的规则决定", "调整说明", "推翻规则：检查项R-CHR-02",
                     "新任法定代表人已到任"):
        assert expected in text, expected


def test_no_rule_fired_says_so(store: LocalStore, portfolio: Any) -> None:
    v = store.start_visit(portfolio.borrower_id, portfolio.officer, VisitKind.ROUTINE,
                          visit_date=date(2026, 11, 21))
    store.set_answer(v.id, portfolio.officer, "R-CHR-01", "no")
    c = load_report_data(store, v.id, "en").classification
    assert c.rules == ()
    assert c.conclusion == "No classification rule applies; kept at Normal"
