"""Administration at headquarters: branches, users, assignments, templates, policy, devices,
users' signing certificates.

The CLI (`inspector-hq admin ...`) calls these. Each runs in one write transaction, writes an
audit entry, and appends to the change log whatever devices must pull.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.passwords import hash_password
from inspector_app.domain.checklist import (
    TemplateValidationError,
    check_template_files,
    load_template,
)
from inspector_app.domain.enums import Role
from inspector_app.domain.policy import PolicyError, load_policy
from inspector_app.hq.audit import audit
from inspector_app.hq.certificates import CertificateFile, read_certificate
from inspector_app.hq.changes import (
    POLICY_ID,
    lock_change_log,
    record_borrower_tree,
    record_change,
    template_ref,
)
from inspector_app.hq.db import Database
from inspector_app.hq.due_cache import mark_all_stale
from inspector_app.hq.models import (
    Assignment,
    Borrower,
    Branch,
    Device,
    PolicyVersion,
    Template,
    User,
    UserCertificate,
)

MIN_PASSWORD = 8


class AdminError(Exception):
    """An admin command refused; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def add_branch(db: Database, code: str, name: str, actor: str) -> Branch:
    code, name = code.strip(), name.strip()
    if not code or not name or len(code) > 32 or len(name) > 200:
        raise AdminError(["支行代码和名称不能为空且不能过长 / a branch needs a code (at most 32 "
                          "characters) and a name (at most 200)"])
    with db.write() as s:
        if s.scalar(select(Branch.id).where(Branch.code == code)):
            raise AdminError([f"支行代码已存在 / branch {code} already exists"])
        branch = Branch(code=code, name=name)
        s.add(branch)
        s.flush()
        record_change(s, "branch", branch.id, branch.version)
        audit(s, actor, "branch.add", "branch", branch.id, code=code, name=name)
    return branch


def add_user(db: Database, username: str, display_name: str, role: Role, password: str,
             actor: str, *, branch_code: str | None = None,
             supervisor_username: str | None = None) -> User:
    problems = []
    if not username.strip() or len(username) > 64:
        problems.append("用户名不能为空且不超过64个字符 / the username must be 1-64 characters")
    if not display_name.strip() or len(display_name) > 100:
        problems.append("姓名不能为空且不超过100个字符 / the name must be 1-100 characters")
    if len(password) < MIN_PASSWORD:
        problems.append(f"密码至少{MIN_PASSWORD}位 / the password needs at least {MIN_PASSWORD} "
                        "characters")
    if role is not Role.ADMIN and not branch_code:
        problems.append(f"{role.value} 须指定支行 / an {role.value} needs --branch")
    if supervisor_username and role is not Role.OFFICER:
        problems.append("只有客户经理有上级 / only officers have a supervisor")
    if problems:
        raise AdminError(problems)
    # Hashed before the transaction: Argon2 is slow on purpose and must not hold the lock.
    password_hash = hash_password(password)
    with db.write() as s:
        if s.scalar(select(User.id).where(User.username == username)):
            raise AdminError([f"用户名已存在 / user {username} already exists"])
        branch_id = None
        if branch_code:
            branch_id = s.scalar(select(Branch.id).where(Branch.code == branch_code))
            if branch_id is None:
                raise AdminError([f"没有该支行 / no branch {branch_code}"])
        supervisor_id = None
        if supervisor_username:
            sup = s.scalars(select(User).where(User.username == supervisor_username)).first()
            if sup is None or sup.role is not Role.SUPERVISOR:
                raise AdminError([f"{supervisor_username} 不是部门负责人 / "
                                  f"{supervisor_username} is not a supervisor"])
            supervisor_id = sup.id
        user = User(username=username, display_name=display_name.strip(), role=role,
                    branch_id=branch_id, supervisor_id=supervisor_id,
                    password_hash=password_hash)
        s.add(user)
        s.flush()
        record_change(s, "user", user.id, user.version)
        audit(s, actor, "user.add", "user", user.id, username=username, role=role.value,
              branch=branch_code, supervisor=supervisor_username)
    return user


def assign_borrower(s: Session, borrower: Borrower, officer: User, actor: str) -> bool:
    """Make officer the borrower's officer; False if they already were.

    The new officer (and their supervisor) get a row for the borrower and each of its records,
    since they may have pulled past the rows written at import; whoever loses sight of the
    borrower gets tombstones.
    """
    lock_change_log(s)
    current = s.get(Assignment, borrower.id)
    if current is not None and current.officer_id == officer.id:
        return False
    previous = s.get(User, current.officer_id) if current is not None else None
    if current is None:
        # Nobody could have pulled an unassigned borrower, so its version can stay.
        s.add(Assignment(borrower_id=borrower.id, officer_id=officer.id))
    else:
        current.officer_id = officer.id
        current.assigned_at = utcnow()
        # The borrower's data carries its officer: a new version, so devices that hold it
        # (the supervisor's, when it moves inside a team) apply the change.
        borrower.updated_at = utcnow()
    s.flush()
    if previous is not None:
        record_borrower_tree(s, borrower, audience_user_id=previous.id, deleted=True)
        if previous.supervisor_id and previous.supervisor_id != officer.supervisor_id:
            record_borrower_tree(s, borrower, audience_user_id=previous.supervisor_id,
                                 deleted=True)
    record_borrower_tree(s, borrower)
    audit(s, actor, "borrower.assign", "borrower", borrower.id, borrower=borrower.code,
          officer=officer.username, previous=previous.username if previous else None)
    return True


def officer_by_username(s: Session, username: str) -> User | None:
    user = s.scalars(select(User).where(User.username == username)).first()
    return user if user is not None and user.role is Role.OFFICER and user.active else None


def assign(db: Database, borrower_code: str, officer_username: str, actor: str) -> bool:
    with db.write() as s:
        borrower = s.scalars(select(Borrower).where(Borrower.code == borrower_code)).first()
        if borrower is None:
            raise AdminError([f"没有该客户 / no borrower {borrower_code}"])
        officer = officer_by_username(s, officer_username)
        if officer is None:
            raise AdminError([f"{officer_username} 不是在职客户经理 / {officer_username} is not "
                              "an active officer"])
        return assign_borrower(s, borrower, officer, actor)


# --- templates and policy ---------------------------------------------------------------------


def _cross_check(s: Session, path: Path, code: str) -> list[str]:
    """Problems between the new template and the latest published version of every other one
    (an item or section code used twice cannot be told apart in a visit)."""
    latest = {}
    for t in s.scalars(select(Template).where(Template.code != code)
                       .order_by(Template.code, Template.version)):
        latest[t.code] = t
    with tempfile.TemporaryDirectory() as tmp:
        others = []
        for t in latest.values():
            other = Path(tmp) / f"{t.code}@{t.version} (published).yaml"
            other.write_text(t.yaml_text, encoding="utf-8")
            others.append(other)
        # The new file last, so a collision is reported against it.
        errors = check_template_files([*others, path])
    return [str(e) for e in errors if Path(e.file) == path]


def publish_template(db: Database, path: Path, actor: str) -> tuple[Template, bool]:
    """Validate and publish a template file; (template, False) if exactly this was published."""
    try:
        template = load_template(path)
    except TemplateValidationError as e:
        raise AdminError([str(err) for err in e.errors]) from None
    text = path.read_text(encoding="utf-8-sig")
    with db.write() as s:
        same = s.scalars(select(Template).where(Template.code == template.code,
                                                Template.version == template.version)).first()
        if same is not None:
            if same.yaml_text == text:
                return same, False
            raise AdminError([f"{path.name}: 模板 {template.ref} 已发布且内容不同，请提高版本号 / "
                              f"{template.ref} is already published with other content; raise "
                              "its version"])
        newest = s.scalar(select(func.max(Template.version)).where(Template.code == template.code))
        if newest is not None and template.version < newest:
            raise AdminError([f"{path.name}: 已发布更高版本 {template.code}@{newest} / "
                              f"{template.code}@{newest} is already published"])
        problems = _cross_check(s, path, template.code)
        if problems:
            raise AdminError(problems)
        row = Template(code=template.code, version=template.version, kind=template.kind.value,
                       yaml_text=text)
        s.add(row)
        s.flush()
        record_change(s, "template", template_ref(row), row.version)
        audit(s, actor, "template.publish", "template", template_ref(row), file=path.name)
    return row, True


def publish_policy(db: Database, path: Path, actor: str) -> tuple[PolicyVersion, bool]:
    """Validate and publish a policy file; its version must be above the published one."""
    try:
        policy = load_policy(path)
    except PolicyError as e:
        raise AdminError([str(e)]) from None
    data = policy.to_dict()
    with db.write() as s:
        newest = s.scalars(select(PolicyVersion).order_by(PolicyVersion.version.desc())
                           .limit(1)).first()
        if newest is not None and newest.version == policy.version and newest.data == data:
            return newest, False
        if newest is not None and policy.version <= newest.version:
            raise AdminError([f"{path.name}: 策略版本 {policy.version} 不高于已发布的 "
                              f"{newest.version} / version {policy.version} is not above the "
                              f"published version {newest.version}"])
        row = PolicyVersion(version=policy.version, data=data,
                            yaml_text=path.read_text(encoding="utf-8"))
        s.add(row)
        s.flush()
        record_change(s, "policy", POLICY_ID, row.version)
        audit(s, actor, "policy.publish", "policy", str(row.version), file=path.name)
        mark_all_stale(s)  # its intervals may move every borrower's next inspection
    return row, True


# --- devices ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceRow:
    id: str
    username: str
    name: str
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


def list_devices(db: Database) -> list[DeviceRow]:
    with db.read() as s:
        rows = s.execute(select(Device, User.username).join(User, Device.user_id == User.id)
                         .order_by(User.username, Device.created_at)).all()
    return [DeviceRow(d.id, username, d.name, d.created_at, d.last_seen_at, d.revoked_at)
            for d, username in rows]


def revoke_device(db: Database, device_id: str, actor: str) -> bool:
    """Revoke a device (a lost laptop); False if it already was. Its token is refused from now."""
    with db.write() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise AdminError([f"没有该设备 / no device {device_id}"])
        if device.revoked_at is not None:
            return False
        device.revoked_at = utcnow()
        audit(s, actor, "device.revoke", "device", device.id, owner_id=device.user_id,
              name=device.name)
    return True


# --- signing certificates ---------------------------------------------------------------


@dataclass(frozen=True)
class CertificateSet:
    """What set_certificate did."""

    certificate: CertificateFile
    previous_owner: str | None  # the username it was registered to before, if another user
    removed: int  # the user's other certificates dropped (--replace)


def set_certificate(db: Database, username: str, path: Path, actor: str, *,
                    replace: bool = False) -> CertificateSet:
    """Register the certificate in ``path`` as ``username``'s signing certificate (confirming
    it, if their first signature registered it already); with ``replace``, it becomes their
    only one (a lost or compromised key). A certificate belongs to one user: registered to
    someone else before, it moves, and the audit entry says from whom."""
    try:
        cert = read_certificate(path)
    except (OSError, ValueError) as e:
        raise AdminError([str(e)]) from None
    with db.write() as s:
        user = s.scalars(select(User).where(User.username == username)).first()
        if user is None:
            raise AdminError([f"没有该用户 / no user {username}"])
        if user.role is Role.ADMIN:
            raise AdminError([f"{username} 是管理员，不签署报告 / {username} is an administrator "
                              "and signs no reports"])
        row = s.get(UserCertificate, cert.fingerprint)
        previous = None
        if row is not None and row.user_id != user.id:
            previous = s.scalar(select(User.username).where(User.id == row.user_id))
        removed = 0
        if replace:
            # A DELETE's result is a CursorResult, which Session.execute's type does not say.
            removed = cast(CursorResult[Any], s.execute(delete(UserCertificate).where(
                UserCertificate.user_id == user.id,
                UserCertificate.sha256 != cert.fingerprint))).rowcount or 0
        if row is None:
            row = UserCertificate(sha256=cert.fingerprint)
            s.add(row)
        row.user_id, row.subject, row.not_after = user.id, cert.subject[:500], cert.not_after
        row.source, row.added_at = "admin", utcnow()
        audit(s, actor, "certificate.set", "user", user.id, username=username,
              sha256=cert.fingerprint, subject=cert.subject,
              not_after=cert.not_after.isoformat(), previous_owner=previous,
              replaced_others=removed)
    return CertificateSet(cert, previous, removed)
