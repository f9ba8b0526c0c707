"""A collateral item found on site travels with its visit: headquarters has no record of it."""

from __future__ import annotations

from sync_helpers import Portfolio, local_document

from inspector_app import wire
from inspector_app.domain.enums import CollateralKind, CollateralStatus
from inspector_app.store.local import LocalStore


def test_an_item_found_on_site_is_described_in_the_visit_document(
    store: LocalStore, portfolio: Portfolio
) -> None:
    p = portfolio
    store.observe_collateral(p.visit_id, p.officer, p.collateral_id,
                             status=CollateralStatus.PRESENT)
    found = store.add_found_collateral(
        p.visit_id, p.officer, kind=CollateralKind.EQUIPMENT, description="数控机床 2 台",
        location="二号车间", estimated_value_fen=300_000_00,
    )
    document = local_document(store, p.visit_id)
    by_item = {o["collateral_item_id"]: o for o in document["observations"]}
    # A register item's observation reads exactly as before (its fingerprint is unchanged).
    assert "found_item" not in by_item[p.collateral_id]
    assert by_item[found]["found_item"] == {
        "kind": "equipment", "description": "数控机床 2 台", "location": "二号车间",
        "appraised_value_fen": 300_000_00,
    }
    # What the server validates the push with accepts it back unchanged.
    again = wire.VisitRecord.model_validate(document)
    assert wire.payload_sha256(again) == wire.payload_sha256(
        wire.VisitRecord.model_validate(local_document(store, p.visit_id))
    )
