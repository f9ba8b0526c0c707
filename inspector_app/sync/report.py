"""What a sync run tells the officer: progress while it runs, a plain-language report after."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from inspector_app.common.text import Text


@dataclass(frozen=True)
class SyncProgress:
    """Where a running sync is; the GUI turns this into a progress bar and a status line."""

    stage: str  # "pull", "upload" or "push"
    done: int  # items finished in this stage
    total: int  # 0 while unknown (a pull does not know how much is coming)
    detail: str = ""  # what is being sent now: a file name, a visit
    bytes_done: int = 0  # of the file being uploaded
    bytes_total: int = 0


class Reason(StrEnum):
    UNREACHABLE = "unreachable"  # network down or server gone, after the retries
    SERVER_ERROR = "server_error"  # 5xx after the retries
    TOO_LARGE = "too_large"  # 413: the server's message says the limit
    REJECTED = "rejected"  # 422 and other refusals, with the server's message
    MISSING_FILE = "missing_file"  # the photo or report file is gone from this laptop
    WAITING = "waiting"  # a visit held back because its files did not go
    CONFLICT = "conflict"  # 409: the server's copy moved on; nothing overwritten
    UNAUTHORIZED = "unauthorized"  # 401: the registration is no longer accepted


class What(StrEnum):
    PHOTO = "photo"
    REPORT = "report"
    VISIT = "visit"
    APPROVAL = "approval"  # a supervisor's decision: a countersigned approval or a return
    FOLLOW_UP = "follow_up"  # a supervisor's follow-up on a warning signal
    HANDOVER = "handover"  # a handover (责任移交) this laptop lets go of or takes
    UPDATES = "updates"  # the pull


@dataclass(frozen=True)
class SyncIssue:
    """One thing that did not go through, kept for the next sync."""

    what: What
    ref: str  # visit id or SHA-256
    reason: Reason
    message: str = ""  # the server's own bilingual message, if it sent one
    label: str = ""  # how the officer knows it: a file name, a borrower and date


# (Chinese counter + noun, English singular, English plural)
_NOUNS = {
    What.PHOTO: ("张照片", "photo", "photos"),
    What.REPORT: ("份签署报告", "signed report", "signed reports"),
    What.VISIT: ("次检查", "visit", "visits"),
    # A return too, not only a countersigned approval: the supervisor's decision either way.
    What.APPROVAL: ("项复核决定", "review decision", "review decisions"),
    What.FOLLOW_UP: ("项预警跟进", "signal follow-up", "signal follow-ups"),
    What.HANDOVER: ("项移交", "handover", "handovers"),
}
_SINGLE = {What.PHOTO: "照片", What.REPORT: "签署报告", What.VISIT: "检查",
           What.APPROVAL: "复核决定", What.FOLLOW_UP: "预警跟进", What.HANDOVER: "移交"}
_RETRYABLE = {
    Reason.UNREACHABLE: ("无法连接服务器", "the server is unreachable"),
    Reason.SERVER_ERROR: ("服务器暂时出错", "the server reported an error"),
}

REVOKED_MESSAGE = (
    "此电脑已被总行停用，同步已停止；请联系系统管理员 / this laptop has been revoked by "
    "headquarters and sync has stopped; please contact your administrator"
)
UNAUTHORIZED_MESSAGE = (
    "总行不再接受此电脑的登记，请用用户名和密码重新登记 / headquarters no longer accepts this "
    "laptop's registration; register it again with your username and password"
)


@dataclass
class SyncReport:
    """Counts and issues of one sync run; ``messages()`` says it in plain words."""

    pulled: int = 0
    photos_sent: int = 0
    reports_sent: int = 0
    visits_sent: int = 0
    approvals_sent: int = 0  # countersigned approvals headquarters confirmed
    reports_received: int = 0  # countersigned reports downloaded for the officer
    returns_sent: int = 0  # a supervisor's "returned with comments" decisions confirmed
    follow_ups_sent: int = 0  # a supervisor's signal follow-ups confirmed
    team_visits_received: int = 0  # the team's signed visits, new on a supervisor's laptop
    team_decisions_received: int = 0  # headquarters' decisions on team visits already here
    team_files_received: int = 0  # their photos and reports downloaded
    handovers_released: int = 0  # handovers this laptop let go of (everything uploaded)
    handover_visits_received: int = 0  # visits a completed handover gave this laptop's user
    handover_signatures_sent: int = 0  # signatures of handover records headquarters kept
    issues: list[SyncIssue] = field(default_factory=list)
    revoked: bool = False
    cancelled: bool = False
    # Why the server could not be reached, when it could not: "中文 / English", as messages().
    unreachable: str = ""

    @property
    def conflicts(self) -> int:
        return sum(1 for i in self.issues if i.reason is Reason.CONFLICT)

    @property
    def failures(self) -> int:
        return sum(1 for i in self.issues if i.reason is not Reason.CONFLICT)

    @property
    def ok(self) -> bool:
        """Everything went through: nothing is left waiting for a later sync."""
        return not self.issues and not self.revoked and not self.cancelled

    def messages(self) -> list[str]:
        """Bilingual sentences for the officer, most important first."""
        lines: list[str] = []
        if self.revoked:
            lines.append(REVOKED_MESSAGE)
        lines.append(self._summary())
        if self.unreachable:
            lines.append(self.unreachable)
        if self.approvals_sent:
            n = self.approvals_sent
            lines.append(f"已发送{n}项会签复核 / "
                         f"{_count(n, 'countersigned approval', 'countersigned approvals')} sent")
        if self.reports_received:
            n = self.reports_received
            lines.append(f"收到{n}份会签报告 / "
                         f"{_count(n, 'countersigned report', 'countersigned reports')} received")
        if self.returns_sent:
            n = self.returns_sent
            lines.append(f"已发送{n}项退回意见 / "
                         f"{_count(n, 'return with comments', 'returns with comments')} sent")
        if self.follow_ups_sent:
            n = self.follow_ups_sent
            lines.append(f"已发送{n}项预警跟进 / "
                         f"{_count(n, 'signal follow-up', 'signal follow-ups')} sent")
        if self.team_visits_received:
            n, files = self.team_visits_received, self.team_files_received
            lines.append(f"收到团队待复核检查{n}次（照片和报告{files}个文件） / "
                         f"{_count(n, 'team visit', 'team visits')} to review received "
                         f"({_count(files, 'photo or report file', 'photo and report files')})")
        if self.handovers_released:
            n = self.handovers_released
            lines.append(f"已为{n}项移交上传全部资料并交出 / everything uploaded and let go for "
                         f"{_count(n, 'handover', 'handovers')}")
        if self.handover_signatures_sent:
            n = self.handover_signatures_sent
            lines.append(f"总行已接受{n}份移交清单签署 / headquarters kept "
                         f"{_count(n, 'handover record signature', 'handover record signatures')}")
        if self.handover_visits_received:
            n = self.handover_visits_received
            lines.append(f"从移交中收到{n}次检查 / {_count(n, 'visit', 'visits')} received "
                         "from a handover")
        grouped = Counter(
            (i.what, i.reason) for i in self.issues if i.reason in _RETRYABLE
        )
        for (what, reason), n in sorted(grouped.items(),
                                        key=lambda kv: (list(What).index(kv[0][0]), kv[0][1])):
            lines.append(_retry_sentence(what, reason, n))
        waiting = sum(1 for i in self.issues if i.reason is Reason.WAITING)
        if waiting:
            lines.append(
                f"{waiting}次检查等待其照片或报告发送后再发送，下次同步时将继续 / "
                f"{_count(waiting, 'visit', 'visits')} will be sent after "
                f"{'its' if waiting == 1 else 'their'} photos or reports, next time"
            )
        lines.extend(_item_sentence(i) for i in self.issues
                     if i.reason not in _RETRYABLE and i.reason is not Reason.WAITING)
        if self.cancelled:
            lines.append("同步已取消，未完成的部分下次继续 / sync was cancelled; what was not "
                         "finished continues next time")
        return lines

    def _summary(self) -> str:
        zh_head, en_head = ("同步完成", "sync complete") if self.ok else (
            "同步未全部完成", "sync not fully done")
        return (
            f"{zh_head}：收到{self.pulled}项更新，发送{self.photos_sent}张照片、"
            f"{self.reports_sent}份报告、{self.visits_sent}次检查 / {en_head}: "
            f"{_count(self.pulled, 'update', 'updates')} received; "
            f"{_count(self.photos_sent, 'photo', 'photos')}, "
            f"{_count(self.reports_sent, 'report', 'reports')} and "
            f"{_count(self.visits_sent, 'visit', 'visits')} sent"
        )


def _count(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _retry_sentence(what: What, reason: Reason, n: int) -> str:
    zh_why, en_why = _RETRYABLE[reason]
    if what is What.UPDATES:
        return (f"未能获取总行的更新：{zh_why}，下次同步时将继续 / updates from headquarters "
                f"could not be received: {en_why}; they will be fetched next time")
    zh_noun, en_one, en_many = _NOUNS[what]
    pronoun = "it" if n == 1 else "they"
    return (f"{n}{zh_noun}未能发送：{zh_why}，下次同步时将继续发送 / "
            f"{_count(n, en_one, en_many)} could not be sent: {en_why}; "
            f"{pronoun} will be sent next time")


def _item_sentence(issue: SyncIssue) -> str:
    label = issue.label or issue.ref
    if issue.reason is Reason.UNAUTHORIZED:
        return UNAUTHORIZED_MESSAGE
    if issue.what is What.UPDATES:
        return _with_message(Text("未能获取总行的更新", "updates from headquarters could not be "
                                  "received"), issue.message, (" — ", " — "))
    if issue.what is What.HANDOVER:
        return _with_message(Text(f"移交（{label}）尚未办完", f"handover ({label}) not done yet"),
                             issue.message, (" — ", " — "))
    zh_noun = _SINGLE[issue.what]
    en_noun = _NOUNS[issue.what][1]
    if issue.reason is Reason.CONFLICT and issue.what is What.APPROVAL:
        text = Text(f"对检查（{label}）的复核决定未被总行接受：总行已有另一决定，本机已按总行的"
                    f"决定更新，您的决定保留为冲突记录", f"your decision on the visit ({label}) "
                    f"was not accepted: headquarters holds another decision; this laptop now "
                    f"follows it and keeps yours as a conflict")
    elif issue.reason is Reason.CONFLICT:
        text = Text(f"检查（{label}）与总行的版本冲突，双方都未被覆盖，请联系主管处理",
                    f"the visit ({label}) conflicts with the copy at headquarters; neither was "
                    f"overwritten — please ask your supervisor")
    elif issue.reason is Reason.MISSING_FILE:
        text = Text(f"{zh_noun}“{label}”的文件在本机找不到，无法发送",
                    f"the file of {en_noun} “{label}” is missing from this laptop and cannot be "
                    f"sent")
    else:
        text = Text(f"{zh_noun}“{label}”未能发送", f"{en_noun} “{label}” could not be sent")
    return _with_message(text, issue.message, ("：", ": "))


def _with_message(head: Text, message: str, joiner: tuple[str, str]) -> str:
    """``head`` followed by the server's "中文 / English" message, each language with its own
    half, as one "中文 / English" line: a message whose Chinese holds colons of its own (a
    refusal naming an item: 检查项「…」的答案：…) is then still split where the languages
    meet, not at one of its colons."""
    if not message:
        return str(head)
    said = Text.parse(message)
    return str(Text(f"{head.zh}{joiner[0]}{said.zh}", f"{head.en}{joiner[1]}{said.en}"))
