"""The inspection policy file: the shipped defaults, and clear errors for broken files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from inspector_app.domain.enums import (
    Classification,
    CollateralStatus,
    LoanType,
    RuleSourceKind,
    Severity,
    SignalCategory,
)
from inspector_app.domain.policy import (
    DEFAULT_POLICY_PATH,
    CollateralRule,
    CollateralSignalSpec,
    Policy,
    PolicyError,
    ShortfallTier,
    SignalRule,
    load_policy,
)

SHIPPED_TEXT = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")


def test_shipped_policy_loads_with_domain_defaults() -> None:
    policy = load_policy()
    assert policy.version >= 1
    assert dict(policy.first_inspection_days) == {
        LoanType.WORKING_CAPITAL: 15,
        LoanType.FIXED_ASSET: 30,
        LoanType.PERSONAL_BUSINESS: 15,
    }
    assert dict(policy.routine_interval_days) == {
        Classification.NORMAL: 90,
        Classification.SPECIAL_MENTION: 30,
        Classification.SUBSTANDARD: 30,
        Classification.DOUBTFUL: 30,
        Classification.LOSS: 30,
    }
    assert policy.special_handling == {
        Classification.SUBSTANDARD,
        Classification.DOUBTFUL,
        Classification.LOSS,
    }
    assert policy.collateral_value_drop_threshold == Decimal("0.20")
    assert dict(policy.signal_pull_in_days) == {
        Severity.RED: 7,
        Severity.ORANGE: 15,
        Severity.YELLOW: 30,
    }
    assert policy.source == str(DEFAULT_POLICY_PATH)


def test_shipped_rules_and_collateral_signals() -> None:
    policy = load_policy(DEFAULT_POLICY_PATH)
    rules = policy.classification_rules
    # issue #14: one orange (or red) signal is at least special mention.
    [orange] = [r for r in rules if isinstance(r, SignalRule) and r.severity is Severity.ORANGE]
    assert (orange.then, orange.min_count, orange.category) == (
        Classification.SPECIAL_MENTION, 1, None)
    assert orange.source.kind is RuleSourceKind.BANK
    assert any(isinstance(r, SignalRule) and (r.severity, r.min_count, r.then)
               == (Severity.RED, 2, Classification.SUBSTANDARD) for r in rules)
    not_found = next(r for r in rules if isinstance(r, CollateralRule)
                     and r.collateral_status is CollateralStatus.NOT_FOUND)
    assert not_found.then is Classification.SUBSTANDARD
    assert "巨源油业" in not_found.source.text.zh
    # Every rule says where it comes from, in both languages.
    assert all(r.source.text.zh and r.source.text.en for r in rules)
    signals = policy.collateral_status_signals
    assert set(signals) == set(CollateralStatus)
    assert signals[CollateralStatus.PRESENT] is None
    assert signals[CollateralStatus.NOT_FOUND] == CollateralSignalSpec(Severity.RED)
    assert signals[CollateralStatus.MOVED] == CollateralSignalSpec(Severity.ORANGE)
    assert signals[CollateralStatus.OCCUPIED] == CollateralSignalSpec(
        Severity.YELLOW, SignalCategory.COLLATERAL
    )


def test_policy_is_read_only() -> None:
    policy = load_policy()
    with pytest.raises(TypeError):
        policy.routine_interval_days[Classification.NORMAL] = 1  # type: ignore[index]


def test_to_dict_round_trips_through_from_dict() -> None:
    policy = load_policy()
    again = Policy.from_dict(policy.to_dict(), source="hq")
    assert again == policy
    assert again.source == "hq"


def test_from_dict_accepts_threshold_as_text_and_names_source_without_line() -> None:
    data = load_policy().to_dict()
    data["collateral_shortfall_severity"][0]["above"] = "0.15"
    assert Policy.from_dict(data).collateral_value_drop_threshold == Decimal("0.15")

    data["routine_interval_days"]["normal"] = 0
    with pytest.raises(PolicyError) as caught:
        Policy.from_dict(data, source="hq-push")
    assert str(caught.value) == (
        "hq-push: routine_interval_days.normal: "
        "must be a positive whole number of days (1 to 366), got 0"
    )
    assert caught.value.line is None
    assert caught.value.field == "routine_interval_days.normal"


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """Write the shipped policy with one edit; return the file and the edited line (1-based)."""
    assert SHIPPED_TEXT.count(old) == 1, old
    text = SHIPPED_TEXT.replace(old, new)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    line = SHIPPED_TEXT[: SHIPPED_TEXT.index(old)].count("\n") + 1
    return path, line


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(text))


def _error(path: Path) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return caught.value


def test_negative_interval_names_file_line_and_field(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  normal: 90\n", "  normal: -3\n")
    err = _error(path)
    assert str(err) == (
        f"{path}:{line}: routine_interval_days.normal: "
        "must be a positive whole number of days (1 to 366), got -3"
    )
    assert (err.source, err.line, err.field) == (str(path), line, "routine_interval_days.normal")


@pytest.mark.parametrize("bad", ["yes", "15.5", '"15"', "null", "400"])
def test_first_inspection_days_must_be_whole_days(tmp_path: Path, bad: str) -> None:
    path, line = _broken(tmp_path, "  fixed_asset: 30 ", f"  fixed_asset: {bad} ")
    err = _error(path)
    assert err.line == line
    assert err.field == "first_inspection_days.fixed_asset"
    assert "positive whole number of days" in err.problem


def test_missing_classification_is_named(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "  loss: 30\n", "")
    err = _error(path)
    assert err.field == "routine_interval_days"
    assert err.line == _line_of(path, "routine_interval_days:")
    assert "missing loss" in str(err)


def test_missing_loan_type_is_named(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "  personal_business: 15\n", "")
    err = _error(path)
    assert err.field == "first_inspection_days"
    assert "missing personal_business" in err.problem


def test_misspelt_top_level_key_is_rejected(tmp_path: Path) -> None:
    path, line = _broken(
        tmp_path,
        "overdue_interval_days:",
        "overdue_intervals_days:",
    )
    err = _error(path)
    assert err.line == line
    assert err.field == "overdue_intervals_days"
    assert err.problem.startswith("unknown key")


@pytest.mark.parametrize("bad", ["0", "1", "1.5", "20", "-0.2", "abc", ".nan", "true"])
def test_threshold_must_be_a_fraction(tmp_path: Path, bad: str) -> None:
    path, line = _broken(
        tmp_path,
        "  - {above: 0.20, severity: orange}",
        f"  - {{above: {bad}, severity: orange}}",
    )
    err = _error(path)
    assert f"{path}:{line}: collateral_shortfall_severity[0].above: must be a fraction" \
        in str(err)


def test_shipped_shortfall_tiers_and_overdue_intervals() -> None:
    policy = load_policy()
    assert policy.collateral_shortfall_severity == (
        ShortfallTier(Decimal("0.20"), Severity.ORANGE),
        ShortfallTier(Decimal("0.50"), Severity.RED),
    )
    assert dict(policy.overdue_interval_days) == {1: 30, 10: 15}
    assert policy.collateral_status_signals[CollateralStatus.SEIZED] == CollateralSignalSpec(
        Severity.RED, event=True)


def test_a_larger_shortfall_may_not_be_milder(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  - {above: 0.50, severity: red}",
                         "  - {above: 0.50, severity: yellow}")
    err = _error(path)
    assert (err.line, err.field) == (line, "collateral_shortfall_severity[1]")
    assert "never milder" in err.problem


def test_longer_arrears_may_not_wait_longer(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  10: 15\n", "  10: 45\n")
    err = _error(path)
    assert (err.line, err.field) == (line, "overdue_interval_days.10")
    assert "never wait longer" in err.problem


def test_a_policy_from_before_the_tiers_reads_its_threshold_as_the_one_tier() -> None:
    data = load_policy().to_dict()
    del data["collateral_shortfall_severity"], data["overdue_interval_days"]
    data["collateral_value_drop_threshold"] = "0.25"
    data["collateral_value_drop_severity"] = "yellow"
    policy = Policy.from_dict(data)
    assert policy.collateral_shortfall_severity == (ShortfallTier(Decimal("0.25"),
                                                                  Severity.YELLOW),)
    assert dict(policy.overdue_interval_days) == {}  # no arrears rule in an old policy
    again = policy.to_dict()
    assert "collateral_value_drop_threshold" not in again
    assert Policy.from_dict(again) == policy


def test_unknown_classification_in_special_handling(tmp_path: Path) -> None:
    path, line = _broken(
        tmp_path,
        "special_handling: [substandard, doubtful, loss]",
        "special_handling: [substandard, doubtfull, loss]",
    )
    err = _error(path)
    assert err.line == line
    assert err.field == "special_handling[1]"
    assert 'got "doubtfull"' in err.problem
    assert "special_mention" in err.problem  # the choices are listed


def test_duplicate_special_handling_entry(tmp_path: Path) -> None:
    path, _ = _broken(
        tmp_path,
        "special_handling: [substandard, doubtful, loss]",
        "special_handling: [substandard, loss, loss]",
    )
    assert _error(path).field == "special_handling[2]"


def test_unknown_severity_in_rule(tmp_path: Path) -> None:
    path, line = _broken(
        tmp_path,
        "  - when: {severity: orange, min_count: 1}",
        "  - when: {severity: purple, min_count: 1}",
    )
    err = _error(path)
    assert err.line == line
    assert err.field == "classification_rules[6].when.severity"
    assert "yellow, orange, red" in err.problem


def test_rule_min_count_must_be_positive(tmp_path: Path) -> None:
    path, line = _broken(
        tmp_path,
        "  - when: {severity: red, min_count: 2}",
        "  - when: {severity: red, min_count: 0}",
    )
    err = _error(path)
    assert (err.line, err.field) == (line, "classification_rules[7].when.min_count")


def test_rule_cannot_mix_signal_and_collateral_conditions(tmp_path: Path) -> None:
    path, _ = _broken(
        tmp_path,
        "  - when: {collateral_status: sold}",
        "  - when: {collateral_status: sold, severity: red}",
    )
    err = _error(path)
    assert err.field == "classification_rules[10].when.severity"
    assert "not both" in err.problem


def test_rule_unknown_category(tmp_path: Path) -> None:
    path, _ = _broken(
        tmp_path,
        "{severity: orange, min_count: 1}",
        "{severity: orange, category: colateral, min_count: 1}",
    )
    assert _error(path).field == "classification_rules[6].when.category"


def test_rule_to_normal_is_rejected(tmp_path: Path) -> None:
    path, _ = _broken(
        tmp_path,
        "  - when: {severity: yellow, min_count: 3}\n    then: special_mention",
        "  - when: {severity: yellow, min_count: 3}\n    then: normal",
    )
    err = _error(path)
    assert err.field == "classification_rules[8].then"
    assert err.line == _line_of(path, "    then: normal")


def test_worse_classification_may_not_wait_longer(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  substandard: 30\n", "  substandard: 60\n")
    err = _error(path)
    assert (err.line, err.field) == (line, "routine_interval_days.substandard")
    assert "longer than special_mention's 30" in err.problem


def test_graver_signal_may_not_wait_longer(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  red: 7\n", "  red: 20\n")
    err = _error(path)
    assert (err.line, err.field) == (line, "signal_pull_in_days.red")


def test_missing_collateral_status_signal(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "  occupied: {severity: yellow}\n", "")
    err = _error(path)
    assert err.field == "collateral_status_signals"
    assert "missing occupied" in err.problem


def test_collateral_status_signal_bad_severity(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  moved: {severity: orange}", "  moved: {severity: amber}")
    err = _error(path)
    assert (err.line, err.field) == (line, "collateral_status_signals.moved.severity")


def test_collateral_status_signal_must_be_a_mapping_or_null(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  occupied: {severity: yellow}", "  occupied: yellow")
    err = _error(path)
    assert (err.line, err.field) == (line, "collateral_status_signals.occupied")
    assert err.problem == 'must be {severity: red|orange|yellow} or null, got "yellow"'


def test_duplicate_key_is_rejected(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  normal: 90\n", "  normal: 90\n  normal: 60\n")
    err = _error(path)
    assert err.line == line + 1
    assert "duplicate key 'normal'" in str(err)


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "  red: 7\n", "  red: [7\n")
    err = _error(path)
    assert err.line is not None and err.line >= line
    assert "not valid YAML" in str(err)
    assert str(path) in str(err)


def test_bad_version(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "version: 2\n", "version: 0\n")
    assert str(_error(path)) == f"{path}:{line}: version: must be a positive integer, got 0"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert "must be a mapping" in str(_error(path))


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    err = _error(path)
    assert err.source == str(path)
    assert "cannot read" in err.problem


# --- the rules about loans and borrowers (issue #14) -----------------------------------------


def test_a_rule_without_a_source_is_refused(tmp_path: Path) -> None:
    path, line = _broken(
        tmp_path,
        "  - when: {refinanced: true}\n    then: special_mention\n    source:",
        "  - when: {refinanced: true}\n    then: special_mention\n    sourc:",
    )
    err = _error(path)
    assert (err.line, err.field) == (line + 2, "classification_rules[4].sourc")
    assert err.problem.startswith("unknown key")
    data = load_policy().to_dict()
    del data["classification_rules"][4]["source"]
    with pytest.raises(PolicyError) as caught:
        Policy.from_dict(data, source="hq")
    assert caught.value.field == "classification_rules[4]"
    assert caught.value.problem == "missing source (each must be listed)"


def test_a_source_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "      kind: seed\n      zh: 《贷后管理》课程 第三章",
                         "      kind: rumour\n      zh: 《贷后管理》课程 第三章")
    err = _error(path)
    assert (err.line, err.field) == (line, "classification_rules[9].source.kind")
    assert "regulation, bank, seed" in err.problem


@pytest.mark.parametrize(("old", "new", "field", "problem"), [
    ("{days_past_due_over: 90}", "{days_past_due_over: -1}",
     "classification_rules[1].when.days_past_due_over", "0 to 3650"),
    ("  - when: {refinanced: true}\n", "  - when: {refinanced: false}\n",
     "classification_rules[4].when.refinanced", "must be true"),
    ("{restructured: true, observation_days: 365}", "{restructured: true}",
     "classification_rules[5].when", "missing observation_days"),
    ("{restructured: true, observation_days: 365}",
     "{restructured: true, observation_days: 365, days_past_due_over: 3}",
     "classification_rules[5].when.days_past_due_over", "not both"),
])
def test_loan_rule_conditions_are_checked(
    tmp_path: Path, old: str, new: str, field: str, problem: str
) -> None:
    path, line = _broken(tmp_path, old, new)
    err = _error(path)
    assert (err.line, err.field) == (line, field)
    assert problem in err.problem


def test_borrower_rules_are_checked(tmp_path: Path) -> None:
    path, line = _broken(tmp_path, "    over: 0.10\n", "    over: 1.5\n")
    err = _error(path)
    assert (err.line, err.field) == (line, "borrower_rules.nonperforming_share.over")
    path, line = _broken(tmp_path, "    borrower_kinds: [company]\n    source:\n      kind: "
                         "regulation\n      zh: 《商业银行金融资产风险分类办法》（2023）第七条",
                         "    borrower_kinds: [firm]\n    source:\n      kind: "
                         "regulation\n      zh: 《商业银行金融资产风险分类办法》（2023）第七条")
    err = _error(path)
    assert (err.line, err.field) == (line, "borrower_rules.one_classification.borrower_kinds[0]")


def test_borrower_rules_may_be_left_out() -> None:
    data = load_policy().to_dict()
    data["borrower_rules"] = {}
    policy = Policy.from_dict(data)
    assert policy.borrower_rules.one_classification is None
    assert policy.borrower_rules.nonperforming_share is None
    assert Policy.from_dict(policy.to_dict()) == policy
