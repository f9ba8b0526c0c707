"""Publishing checklist templates and the inspection policy: validated, versioned, pulled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hq_helpers import World, pull_all, register

from inspector_app.domain.checklist import load_template
from inspector_app.domain.policy import Policy, load_policy
from inspector_app.hq.cli import main
from inspector_app.resources import policy_path, templates_dir

TEMPLATES = templates_dir()
POLICY = policy_path()
ROUTINE = load_template(TEMPLATES / "routine.yaml").ref  # the shipped version


def test_a_template_is_published_once_and_pulled_by_every_device(
        client, world: World, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    headers = {u: register(client, u) for u in ("off_a", "sup2", "admin")}
    cursors = {u: pull_all(client, h)[0] for u, h in headers.items()}
    assert main(["admin", "--db", db_url, "publish-template", str(TEMPLATES / "routine.yaml")]) == 0
    assert f"template {ROUTINE} published" in capsys.readouterr().out
    for user, h in headers.items():
        _, changes = pull_all(client, h, cursors[user])
        [template] = changes
        assert (template["entity"], template["id"], template["version"]) == (
            "template", ROUTINE, int(ROUTINE.split("@")[1]))
        assert template["data"]["yaml"] == (TEMPLATES / "routine.yaml").read_text("utf-8")
        assert template["data"]["kind"] == "base"
    # Exactly the same file again: nothing new.
    cursor = pull_all(client, headers["off_a"])[0]
    assert main(["admin", "--db", db_url, "publish-template", str(TEMPLATES / "routine.yaml")]) == 0
    assert "already published" in capsys.readouterr().out
    assert pull_all(client, headers["off_a"], cursor)[1] == []


def test_a_bad_template_is_refused_with_its_errors_named(
        world: World, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (TEMPLATES / "routine.yaml").read_text("utf-8")
    broken = tmp_path / "routine_broken.yaml"
    # An unknown answer type and an abnormal answer a yes/no item cannot have.
    broken.write_text(text.replace("type: yes_no", "type: yesno", 1)
                      .replace("abnormal: [no]", "abnormal: [maybe]", 1), encoding="utf-8")
    assert main(["admin", "--db", db_url, "publish-template", str(broken)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"routine_broken\.yaml:\d+: item R-WIL-01: .*yesno", err), err
    assert "routine_broken.yaml:" in err

    # Same version, other content: raise the version first.
    assert main(["admin", "--db", db_url, "publish-template", str(TEMPLATES / "routine.yaml")]) == 0
    edited = tmp_path / "routine.yaml"
    changed = text.replace("title: {zh: 常规贷后检查,", "title: {zh: 常规检查,", 1)
    assert changed != text
    edited.write_text(changed, encoding="utf-8")
    assert main(["admin", "--db", db_url, "publish-template", str(edited)]) == 1
    assert f"{ROUTINE} is already published with other content" in capsys.readouterr().err

    # Another template reusing routine's item codes cannot be told apart in a visit.
    clash = tmp_path / "routine_copy.yaml"
    copied = (text.replace("code: routine\n", "code: routine_copy\n", 1)
              .replace("visit_kinds: [routine, special]", "visit_kinds: [first]", 1))
    assert copied.count("routine_copy") == 1
    clash.write_text(copied, encoding="utf-8")
    assert main(["admin", "--db", db_url, "publish-template", str(clash)]) == 1
    err = capsys.readouterr().err
    assert "routine_copy.yaml" in err and "item R-WIL-01: item code is also used by" in err


def test_the_policy_is_published_and_arrives_as_data_policy_accepts(
        client, world: World, db_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    headers = register(client, "off_b")
    cursor = pull_all(client, headers)[0]
    assert main(["admin", "--db", db_url, "publish-policy", str(POLICY)]) == 0
    cursor, changes = pull_all(client, headers, cursor)
    [policy] = changes
    shipped = load_policy(POLICY).version
    assert (policy["entity"], policy["id"], policy["version"]) == ("policy", "policy", shipped)
    assert Policy.from_dict(policy["data"], source="hq") == load_policy(POLICY)

    text = POLICY.read_text("utf-8")
    bad = tmp_path / "policy.yaml"
    bad.write_text(text.replace(f"version: {shipped}\n", f"version: {shipped + 1}\n", 1)
                   .replace("normal: 90", "normal: 900", 1), encoding="utf-8")
    assert main(["admin", "--db", db_url, "publish-policy", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "policy.yaml:" in err and "routine_interval_days.normal" in err

    same_version = tmp_path / "same.yaml"
    same_version.write_text(text.replace("normal: 90", "normal: 60", 1), encoding="utf-8")
    assert main(["admin", "--db", db_url, "publish-policy", str(same_version)]) == 1
    assert f"not above the published version {shipped}" in capsys.readouterr().err

    newer = tmp_path / "newer.yaml"
    newer.write_text(text.replace(f"version: {shipped}\n", f"version: {shipped + 1}\n", 1)
                     .replace("normal: 90", "normal: 60", 1), encoding="utf-8")
    assert main(["admin", "--db", db_url, "publish-policy", str(newer)]) == 0
    _, [update] = pull_all(client, headers, cursor)
    assert update["version"] == shipped + 1
    assert update["data"]["routine_interval_days"]["normal"] == 60
