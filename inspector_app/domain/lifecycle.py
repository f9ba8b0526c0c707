"""The visit life cycle: draft → completed → signed → submitted → approved, or returned.

A returned (or signed) visit is never edited again; the officer revises it as a new revision.
Pure rules here; the store applies them, writes the audit log and refuses changes to a locked
visit.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.common.text import Text, UserError
from inspector_app.domain.enums import Role, SignalStatus, VisitStatus

S = VisitStatus


@dataclass(frozen=True)
class Transition:
    source: VisitStatus
    target: VisitStatus
    roles: frozenset[Role]
    needs_reason: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.COMPLETED, frozenset({Role.OFFICER})),
    # Reopening a completed, unsigned visit to correct it is normal work, but leaves a trace.
    Transition(S.COMPLETED, S.DRAFT, frozenset({Role.OFFICER}), needs_reason=True),
    Transition(S.COMPLETED, S.SIGNED, frozenset({Role.OFFICER})),
    Transition(S.SIGNED, S.SUBMITTED, frozenset({Role.OFFICER})),
    Transition(S.SUBMITTED, S.APPROVED, frozenset({Role.SUPERVISOR})),
    Transition(S.SUBMITTED, S.RETURNED, frozenset({Role.SUPERVISOR}), needs_reason=True),
)

# States from which the officer may start a new revision of the visit.
REVISABLE = frozenset({S.SIGNED, S.SUBMITTED, S.RETURNED})


class TransitionError(UserError):
    """An illegal life-cycle step; the text says what is allowed instead."""


def allowed_targets(source: VisitStatus) -> list[VisitStatus]:
    return [t.target for t in TRANSITIONS if t.source == source]


def check_transition(
    source: VisitStatus, target: VisitStatus, role: Role, reason: str = ""
) -> Transition:
    """The transition from source to target by role, or TransitionError saying why not."""
    for t in TRANSITIONS:
        if t.source == source and t.target == target:
            if role not in t.roles:
                raise TransitionError(Text(
                    f"{role.zh}不能将检查从“{source.zh}”改为“{target.zh}”",
                    f"a {role.en.lower()} cannot move a visit from {source} to {target}",
                ))
            if t.needs_reason and not reason.strip():
                raise TransitionError(Text(
                    f"从“{source.zh}”改为“{target.zh}”需要填写原因",
                    f"moving a visit from {source} to {target} needs a reason",
                ))
            return t
    allowed = ", ".join(allowed_targets(source)) or "none"
    raise TransitionError(Text(
        f"不允许从“{source.zh}”改为“{target.zh}”",
        f"a visit cannot go from {source} to {target} (allowed from {source}: {allowed})",
    ))


# A warning signal's life cycle: raised 发起 → handled 处理 → monitored 监测 → cleared 解除.
# Handling can be skipped (a signal found harmless is cleared straight away) and a monitored
# signal can need handling again, but a cleared signal is closed for good: a new finding is a
# new signal, so the history of the old one stays true.
SIGNAL_STEPS: dict[SignalStatus, frozenset[SignalStatus]] = {
    SignalStatus.RAISED: frozenset(
        {SignalStatus.HANDLED, SignalStatus.MONITORED, SignalStatus.CLEARED}
    ),
    SignalStatus.HANDLED: frozenset({SignalStatus.MONITORED, SignalStatus.CLEARED}),
    SignalStatus.MONITORED: frozenset({SignalStatus.HANDLED, SignalStatus.CLEARED}),
    SignalStatus.CLEARED: frozenset(),
}


def check_signal_step(source: SignalStatus, target: SignalStatus, reason: str) -> None:
    """Raise TransitionError unless a signal may go from source to target with this reason."""
    if target not in SIGNAL_STEPS[source]:
        allowed = ", ".join(sorted(SIGNAL_STEPS[source])) or "none"
        raise TransitionError(Text(
            f"预警信号不能从“{source.zh}”改为“{target.zh}”",
            f"a warning signal cannot go from {source} to {target} (allowed: {allowed})",
        ))
    if not reason.strip():
        raise TransitionError(Text(
            f"预警信号“{target.zh}”需要填写原因", f"marking a signal {target} needs a reason"
        ))
