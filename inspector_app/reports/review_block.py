"""The supervisor's part of the report's 复核确认 block: what it says, and the form fields it is
written into.

The officer's certification creates the fields empty (reports/signing.certify_report) on the
lines the renderer drew (reports/signature_block); the supervisor's countersignature fills them
and signs in one incremental update, which the certification's DocMDP "form filling" permits.
No pyHanko here: rendering a draft imports this module and should stay quick to load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

# Field names in the PDF's AcroForm, in the order the block shows them.
REVIEWER_FIELD: Final = "ReviewerName"
REVIEW_DATE_FIELD: Final = "ReviewDate"
DECISION_FIELD: Final = "ReviewDecision"
CLASSIFICATION_FIELD: Final = "FinalClassification"
OPINION_FIELD: Final = "ReviewOpinion"
REVIEW_FIELDS: Final = (REVIEWER_FIELD, REVIEW_DATE_FIELD, DECISION_FIELD, CLASSIFICATION_FIELD,
                        OPINION_FIELD)
MULTILINE_FIELDS: Final = frozenset({OPINION_FIELD})


@dataclass(frozen=True)
class ReviewBlock:
    """What the supervisor's countersignature writes into the block, already in the report's
    language (the report's ``lang``): the caller picks the labels."""

    reviewer_name: str
    review_date: date
    decision: str  # e.g. 同意 / Approved
    final_classification: str  # e.g. 关注类 / Special mention
    opinion: str  # 复核意见, may span lines

    def values(self) -> dict[str, str]:
        """Each field's text, by field name."""
        return {
            REVIEWER_FIELD: self.reviewer_name.strip(),
            REVIEW_DATE_FIELD: self.review_date.isoformat(),
            DECISION_FIELD: self.decision.strip(),
            CLASSIFICATION_FIELD: self.final_classification.strip(),
            OPINION_FIELD: self.opinion.strip(),
        }
