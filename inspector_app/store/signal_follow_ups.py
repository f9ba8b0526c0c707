"""A supervisor's follow-up on a team member's risk signal: escalate, hand over or clear,
with a reason; kept as a step of the signal and queued for headquarters (sync.follow_ups).
A LocalStore mixin, apart from store.review's decisions on visits."""

from __future__ import annotations

from inspector_app.common.clock import utcnow
from inspector_app.common.sqltypes import new_id
from inspector_app.common.text import Text
from inspector_app.domain.enums import (
    Role,
    Severity,
    SignalStatus,
)
from inspector_app.domain.lifecycle import TransitionError, check_signal_step
from inspector_app.store import outbox
from inspector_app.store.models import (
    Borrower,
    ReferenceDoc,
    RiskSignal,
    RiskSignalStep,
    User,
)
from inspector_app.store.review import COMMENT_MAX, FOLLOW_UP, FOLLOW_UP_ACTIONS
from inspector_app.store.rows import Actor, Changes
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.visit_lifecycle import VisitLifecycle


class SignalFollowUps(VisitLifecycle):
    """LocalStore's part for the supervisor's follow-ups on signals."""

    def follow_up_signal(
        self,
        signal_id: str,
        user: Actor,
        action: str,
        reason: str,
        severity: Severity | None = None,
        officer_id: str | None = None,
    ) -> Changes:
        """A supervisor's follow-up of a team member's signal: escalate (a higher severity),
        reassign (to an officer of the same team) or clear. Applied here at once and queued
        for sync as a "signal_follow_up" (its document kept in reference_docs under that
        entity, keyed by the follow-up's id). TransitionError, nothing changed, if refused."""
        reason = reason.strip()
        if not reason or len(reason) > COMMENT_MAX:
            raise TransitionError(Text(
                f"跟进预警信号需要填写原因（不超过{COMMENT_MAX}字）",
                f"a signal follow-up needs a reason (at most {COMMENT_MAX} characters)",
            ))
        if action not in FOLLOW_UP_ACTIONS:
            raise TransitionError(Text(
                f"未知的跟进方式“{action}”", f"unknown follow-up action {action!r}"
            ))
        if user.role is not Role.SUPERVISOR:
            raise TransitionError(Text(
                "只有主管可以跟进团队的预警信号", "only a supervisor follows up a team's signals"
            ))
        now = utcnow()
        with self.write() as s:
            s.info[outbox.QUIET] = True  # the visit is the officer's: never pushed from here
            signal = s.get_one(RiskSignal, signal_id)
            borrower = s.get_one(Borrower, signal.borrower_id)
            officer = s.get(User, borrower.officer_id) if borrower.officer_id else None
            if officer is None or officer.supervisor_id != user.id:
                raise TransitionError(Text(
                    "只能跟进本团队客户经理名下的预警信号",
                    "you can follow up only the signals of your own team's borrowers",
                ))
            if action == "escalate":
                if severity is None or severity.rank <= signal.severity.rank:
                    raise TransitionError(Text(
                        f"升级后的级别须高于当前的{signal.severity.zh}",
                        f"escalating needs a severity higher than {signal.severity}",
                    ))
                signal.severity = severity
            elif action == "reassign":
                target = s.get(User, officer_id) if officer_id else None
                if (target is None or target.role is not Role.OFFICER or not target.active
                        or target.supervisor_id != user.id):
                    raise TransitionError(Text(
                        "只能转交给本团队的客户经理", "reassign only to an officer of your team"
                    ))
            else:
                check_signal_step(signal.status, SignalStatus.CLEARED, reason)
                signal.status = SignalStatus.CLEARED
                s.add(RiskSignalStep(signal_id=signal.id, step=SignalStatus.CLEARED,
                                     user_id=user.id, at=now, reason=reason))
            follow_up_id = new_id()
            data = {
                "id": follow_up_id, "signal_id": signal.id, "action": action, "reason": reason,
                "severity": severity.value if action == "escalate" and severity else None,
                "officer_id": officer_id if action == "reassign" else None,
                "at": now.isoformat(), "user_id": user.id, "visit_id": signal.visit_id,
                "borrower_id": signal.borrower_id,
            }
            s.add(ReferenceDoc(entity=FOLLOW_UP, id=follow_up_id, version=0, deleted=False,
                               data=data, received_at=now))
            outbox.enqueue(s, FOLLOW_UP, [follow_up_id])
            self.audit(s, user.id, "signal.follow_up", "risk_signal", signal.id,
                       follow_up=action, reason=reason, follow_up_id=follow_up_id,
                       severity=data["severity"], officer_id=data["officer_id"])
            refresh_schedule(s, self.policy, [signal.borrower_id])
            return Changes.of(signal.visit_id, borrower_id=signal.borrower_id,
                              signals=[signal.id])
