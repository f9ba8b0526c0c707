"""The domain's vocabulary, each value with its Chinese and English label.

Values are stable lowercase codes: they are stored in the database, written in templates and
policy files, and sent over the wire, so never rename one without a migration.
"""

from __future__ import annotations

from enum import StrEnum

from inspector_app.common.text import Text


class Labelled(StrEnum):
    """A StrEnum whose members carry a label in Chinese and English (a Text)."""

    @property
    def text(self) -> Text:
        return _LABEL_INDEX[type(self), self.value]

    # Shorthands for the label's parts, read all over the app and the report.
    @property
    def zh(self) -> str:
        return self.text.zh

    @property
    def en(self) -> str:
        return self.text.en

    def label(self, lang: str = "zh") -> str:
        return self.text.in_(lang)


class Role(Labelled):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class BorrowerKind(Labelled):
    COMPANY = "company"
    PERSON = "person"


class Industry(Labelled):
    MANUFACTURING = "manufacturing"
    REAL_ESTATE = "real_estate"
    INFRASTRUCTURE = "infrastructure"  # toll roads, utilities, telecom, railways
    WHOLESALE_TRADE = "wholesale_trade"
    AGRICULTURE = "agriculture"
    SERVICES = "services"
    OTHER = "other"


class LoanType(Labelled):
    WORKING_CAPITAL = "working_capital"
    FIXED_ASSET = "fixed_asset"
    PERSONAL_BUSINESS = "personal_business"


class Classification(Labelled):
    """The five-category loan classification, in order of increasing risk."""

    NORMAL = "normal"
    SPECIAL_MENTION = "special_mention"
    SUBSTANDARD = "substandard"
    DOUBTFUL = "doubtful"
    LOSS = "loss"

    @property
    def rank(self) -> int:
        return list(Classification).index(self)

    def at_least(self, other: Classification) -> Classification:
        """The worse of the two."""
        return self if self.rank >= other.rank else other


class CollateralKind(Labelled):
    PROPERTY = "property"
    EQUIPMENT = "equipment"
    WAREHOUSE_STOCK = "warehouse_stock"
    RECEIVABLES = "receivables"
    DEPOSIT_PLEDGE = "deposit_pledge"


class CollateralStatus(Labelled):
    PRESENT = "present"
    NOT_FOUND = "not_found"
    MOVED = "moved"
    DAMAGED = "damaged"
    OCCUPIED = "occupied"
    SEIZED = "seized"
    PLEDGED_ELSEWHERE = "pledged_elsewhere"
    SOLD = "sold"


class VisitKind(Labelled):
    FIRST = "first"
    ROUTINE = "routine"
    SPECIAL = "special"


class VisitStatus(Labelled):
    DRAFT = "draft"
    COMPLETED = "completed"
    SIGNED = "signed"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def locked(self) -> bool:
        """A signed visit's content can never change again; a correction is a new revision."""
        return self in LOCKED_STATUSES


LOCKED_STATUSES = frozenset(
    {VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.APPROVED, VisitStatus.RETURNED}
)


class SignalCategory(Labelled):
    FINANCIAL = "financial"
    OPERATIONAL = "operational"
    GOVERNANCE = "governance"
    COLLATERAL = "collateral"
    BEHAVIOUR = "behaviour"
    EXTERNAL = "external"


class Severity(Labelled):
    """Warning signal severity, in order of increasing gravity."""

    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class SignalSource(Labelled):
    CHECKLIST = "checklist"
    COLLATERAL = "collateral"
    OFFICER = "officer"


class SignalStatus(Labelled):
    RAISED = "raised"
    HANDLED = "handled"
    MONITORED = "monitored"
    CLEARED = "cleared"


class RuleSourceKind(Labelled):
    """Where a classification rule comes from: the regulator's text, the bank's own policy, or
    the training material's cases (seeds) that the bank's rule was drawn from."""

    REGULATION = "regulation"
    BANK = "bank"
    SEED = "seed"


class RelationKind(Labelled):
    """How headquarters links two borrowers, or a borrower to what several borrowers share."""

    SAME_CONTROLLER = "same_controller"  # 同一实际控制人
    MUTUAL_GUARANTEE = "mutual_guarantee"  # 互保/联保
    RELATED_COMPANY = "related_company"  # 关联企业
    # Not imported: headquarters found the borrower's loan funds went to a recipient that
    # several borrowers' visits named (admin fund-recipients).
    SHARED_FUND_RECIPIENT = "shared_fund_recipient"


class AnswerType(Labelled):
    YES_NO = "yes_no"  # yes / no / not applicable
    CHOICE = "choice"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    TEXT = "text"
    # Who actually received the loan funds: a name, optionally an account and a USCC
    # (domain.fund_recipient), stored as one JSON text.
    RECIPIENT = "recipient"


# Written as a list of pairs, not a dict keyed by member: StrEnum members of different enums
# with the same value ("officer", "collateral") are equal and would overwrite each other.
_LABELS: list[tuple[Labelled, tuple[str, str]]] = [
    (Role.OFFICER, ("客户经理", "Credit officer")),
    (Role.SUPERVISOR, ("部门负责人", "Supervisor")),
    (Role.ADMIN, ("系统管理员", "Administrator")),
    (BorrowerKind.COMPANY, ("企业", "Company")),
    (BorrowerKind.PERSON, ("个人", "Individual")),
    (Industry.MANUFACTURING, ("制造业", "Manufacturing")),
    (Industry.REAL_ESTATE, ("房地产", "Real estate")),
    (Industry.INFRASTRUCTURE, ("基础设施/收费公路", "Infrastructure / toll roads")),
    (Industry.WHOLESALE_TRADE, ("批发贸易", "Wholesale / trade")),
    (Industry.AGRICULTURE, ("农业", "Agriculture")),
    (Industry.SERVICES, ("服务业", "Services")),
    (Industry.OTHER, ("其他", "Other")),
    (LoanType.WORKING_CAPITAL, ("流动资金贷款", "Working capital")),
    (LoanType.FIXED_ASSET, ("固定资产贷款", "Fixed asset / project")),
    (LoanType.PERSONAL_BUSINESS, ("个人经营贷款", "Personal business")),
    (Classification.NORMAL, ("正常", "Normal")),
    (Classification.SPECIAL_MENTION, ("关注", "Special mention")),
    (Classification.SUBSTANDARD, ("次级", "Substandard")),
    (Classification.DOUBTFUL, ("可疑", "Doubtful")),
    (Classification.LOSS, ("损失", "Loss")),
    (CollateralKind.PROPERTY, ("房地产", "Property")),
    (CollateralKind.EQUIPMENT, ("机器设备", "Equipment")),
    (CollateralKind.WAREHOUSE_STOCK, ("仓储存货", "Warehouse stock")),
    (CollateralKind.RECEIVABLES, ("应收账款", "Receivables")),
    (CollateralKind.DEPOSIT_PLEDGE, ("存单质押", "Deposit pledge")),
    (CollateralStatus.PRESENT, ("在位", "Present")),
    (CollateralStatus.NOT_FOUND, ("未找到", "Not found")),
    (CollateralStatus.MOVED, ("已移位", "Moved")),
    (CollateralStatus.DAMAGED, ("已损坏", "Damaged")),
    (CollateralStatus.OCCUPIED, ("被占用/出租", "Occupied or leased out")),
    (CollateralStatus.SEIZED, ("被法院查封", "Seized by a court")),
    (CollateralStatus.PLEDGED_ELSEWHERE, ("重复抵质押", "Pledged again elsewhere")),
    (CollateralStatus.SOLD, ("已处置/出售", "Sold")),
    (VisitKind.FIRST, ("首次检查", "First inspection")),
    (VisitKind.ROUTINE, ("常规检查", "Routine inspection")),
    (VisitKind.SPECIAL, ("专项检查", "Special inspection")),
    (VisitStatus.DRAFT, ("草稿", "Draft")),
    (VisitStatus.COMPLETED, ("已完成", "Completed")),
    (VisitStatus.SIGNED, ("已签署", "Signed")),
    (VisitStatus.SUBMITTED, ("已提交", "Submitted")),
    (VisitStatus.APPROVED, ("已认定", "Approved")),
    (VisitStatus.RETURNED, ("已退回", "Returned")),
    (SignalCategory.FINANCIAL, ("财务", "Financial")),
    (SignalCategory.OPERATIONAL, ("经营", "Operational")),
    (SignalCategory.GOVERNANCE, ("管理/治理", "Management / governance")),
    (SignalCategory.COLLATERAL, ("担保与抵质押物", "Guarantee and collateral")),
    (SignalCategory.BEHAVIOUR, ("行为/信用记录", "Behaviour / credit record")),
    (SignalCategory.EXTERNAL, ("外部/行业", "External / industry")),
    (Severity.YELLOW, ("黄色", "Yellow")),
    (Severity.ORANGE, ("橙色", "Orange")),
    (Severity.RED, ("红色", "Red")),
    (SignalSource.CHECKLIST, ("检查项", "Checklist item")),
    (SignalSource.COLLATERAL, ("抵质押物检查", "Collateral observation")),
    (SignalSource.OFFICER, ("客户经理提出", "Raised by officer")),
    (SignalStatus.RAISED, ("发起", "Raised")),
    (SignalStatus.HANDLED, ("处理", "Handled")),
    (SignalStatus.MONITORED, ("监测", "Monitored")),
    (SignalStatus.CLEARED, ("解除", "Cleared")),
    (RuleSourceKind.REGULATION, ("监管规定", "Regulation")),
    (RuleSourceKind.BANK, ("本行制度", "Bank policy")),
    (RuleSourceKind.SEED, ("培训案例", "Training case")),
    (AnswerType.YES_NO, ("是/否/不适用", "Yes / no / not applicable")),
    (AnswerType.CHOICE, ("选择", "Choice")),
    (AnswerType.NUMBER, ("数值", "Number")),
    (AnswerType.MONEY, ("金额", "Money")),
    (AnswerType.DATE, ("日期", "Date")),
    (AnswerType.TEXT, ("文字", "Text")),
    (AnswerType.RECIPIENT, ("资金收款方", "Fund recipient")),
    (RelationKind.SAME_CONTROLLER, ("同一实际控制人", "Same actual controller")),
    (RelationKind.MUTUAL_GUARANTEE, ("互保/联保", "Mutual or joint guarantee")),
    (RelationKind.RELATED_COMPANY, ("关联企业", "Related company")),
    (RelationKind.SHARED_FUND_RECIPIENT,
     ("资金流向同一收款方", "Funds went to a shared recipient")),
]

_LABEL_INDEX: dict[tuple[type, str], Text] = {
    (type(member), member.value): Text(*pair) for member, pair in _LABELS
}
