"""The migration matrix against a scripted sequence of classification changes: loans change
classification on given days and the schedule refresh (the one writer of a borrower's
classification) records each move; the matrix reads the classifications at both ends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update

from inspector_app.domain.enums import BorrowerKind, Classification, Industry, LoanType
from inspector_app.store.dashboard_rows import Drill
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, ClassificationMove, Loan
from inspector_app.store.schedule_cache import refresh_schedule

N, SM, SUB = Classification.NORMAL, Classification.SPECIAL_MENTION, Classification.SUBSTANDARD
Q4 = (date(2026, 10, 1), date(2026, 12, 31))
SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))

# (day, borrower, its loan's new classification), applied in this order
SCRIPT = (
    (date(2026, 9, 15), "B1", SM),  # before the quarter
    (date(2026, 10, 1), "B2", SM),  # on its first day: a move within it
    (date(2026, 11, 10), "B2", SUB),
    (date(2026, 11, 20), "B4", N),  # B4 leaves 关注 ...
    (date(2026, 12, 1), "B4", SM),  # ... and comes back
    (date(2026, 12, 31), "B3", SM),  # on its last day: within it
    (date(2027, 1, 2), "B1", N),  # after it
)


def build(store: LocalStore) -> dict[str, str]:
    ids = {}
    with store.write() as s:
        for n, code in enumerate(("B1", "B2", "B3", "B4"), start=1):
            borrower = Borrower(code=code, name=f"{code}公司", kind=BorrowerKind.COMPANY,
                                industry=Industry.WHOLESALE_TRADE, id_number=f"91{n:016d}")
            s.add(borrower)
            s.flush()
            s.add(Loan(borrower_id=borrower.id, contract_no=f"L-{code}",
                       loan_type=LoanType.WORKING_CAPITAL, amount_fen=100_000_00,
                       disbursed_on=date(2026, 8, 1), matures_on=date(2027, 8, 1),
                       classification=SM if code == "B4" else N))
            ids[code] = borrower.id
        # Pulled borrowers get their classification on their first refresh: no move (B4
        # arrives as 关注, it did not migrate there).
        refresh_schedule(s, store.policy, today=date(2026, 9, 1))
    return ids


def play(store: LocalStore, ids: dict[str, str]) -> None:
    for day, code, classification in SCRIPT:
        with store.write() as s:
            s.execute(update(Loan).where(Loan.borrower_id == ids[code])
                      .values(classification=classification))
            refresh_schedule(s, store.policy, [ids[code]], today=day)


def test_first_derivation_is_no_move(store: LocalStore) -> None:
    build(store)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(ClassificationMove)) == 0
        assert s.scalars(select(Borrower.classification).where(Borrower.code == "B4")).one() \
            == SM


def test_matrix_follows_the_script(store: LocalStore) -> None:
    ids = build(store)
    play(store, ids)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(ClassificationMove)) == len(SCRIPT)
    quarter = store.team_dashboard(date(2027, 1, 5), *Q4)
    assert quarter.migration == {(SM, SM): 2, (N, SUB): 1, (N, SM): 1}
    assert quarter.classifications == {N: 1, SUB: 1, SM: 2}  # B1 went back to 正常 in January
    september = store.team_dashboard(date(2027, 1, 5), *SEPTEMBER)
    assert september.migration == {(N, SM): 1, (N, N): 2, (SM, SM): 1}
    # Before anything moved, and a period that is still running.
    assert store.team_dashboard(date(2027, 1, 5), date(2026, 8, 1), date(2026, 8, 31)
                                ).migration == {(N, N): 3, (SM, SM): 1}


def test_a_cell_drills_to_its_borrowers(store: LocalStore) -> None:
    ids = build(store)
    play(store, ids)
    names = {v: k for k, v in ids.items()}

    def cell(start_class: Classification, end_class: Classification) -> list[str]:
        rows = store.drill(Drill("migration", date(2027, 1, 5), *Q4,
                                 classification=start_class, to_classification=end_class))
        return sorted(names[r.borrower_id] for r in rows)

    assert cell(SM, SM) == ["B1", "B4"]
    assert cell(N, SUB) == ["B2"]
    assert cell(N, SM) == ["B3"]
    assert cell(N, N) == []
