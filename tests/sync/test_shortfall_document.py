"""A partial collateral shortage and an event signal travel with their visit: pushed in the
document, kept by a supervisor's laptop; a visit without them reads exactly as before."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sync_helpers import Portfolio, local_document

from inspector_app import wire
from inspector_app.domain.enums import CollateralStatus, Severity, SignalCategory
from inspector_app.store.local import LocalStore
from inspector_app.store.models import CollateralObservation, RiskSignal
from inspector_app.sync.team_apply import apply_team_visits


def test_an_observation_without_a_shortage_and_a_signal_that_is_no_event_read_as_before(
    store: LocalStore, portfolio: Portfolio
) -> None:
    p = portfolio
    store.observe_collateral(p.visit_id, p.officer, p.collateral_id,
                             status=CollateralStatus.PRESENT)
    store.create_manual_signal(p.visit_id, p.officer, category=SignalCategory.FINANCIAL,
                               severity=Severity.YELLOW, title="应收账款增加")
    document = local_document(store, p.visit_id)
    [observation] = document["observations"]
    assert not {"registered_quantity_milli", "found_quantity_milli", "quantity_unit"} \
        & observation.keys()
    [signal] = document["signals"]
    assert "event" not in signal


def test_a_shortage_and_an_event_reach_the_supervisors_laptop(
    store: LocalStore, portfolio: Portfolio
) -> None:
    p = portfolio
    store.observe_collateral(p.visit_id, p.officer, p.collateral_id,
                             status=CollateralStatus.PRESENT, registered_quantity_milli=2_459_000,
                             found_quantity_milli=800_000, quantity_unit="吨")
    store.create_manual_signal(p.visit_id, p.officer, category=SignalCategory.GOVERNANCE,
                               severity=Severity.RED, title="法定代表人死亡", event=True)
    document = local_document(store, p.visit_id)
    by_source = {s["source"]: s for s in document["signals"]}
    assert by_source["officer"]["event"] is True
    [observation] = document["observations"]
    assert (observation["registered_quantity_milli"], observation["found_quantity_milli"],
            observation["quantity_unit"]) == (2_459_000, 800_000, "吨")

    # The same document as headquarters feeds it to the supervisor (here: as another visit of
    # the same borrower, on this laptop, which holds the register and the users).
    record = wire.VisitRecord.model_validate(document)
    record.id, record.status = str(uuid.uuid4()), "submitted"
    for child in (*record.observations, *record.signals):
        child.id = str(uuid.uuid4())
    for s in record.signals:
        for step in s.steps:
            step.id = str(uuid.uuid4())
    stored = wire.StoredVisit(server_version=1, payload_sha256=wire.payload_sha256(record),
                              visit=record)
    with store.write() as s:
        page = apply_team_visits(s, [stored], store)
    assert page.received == 1
    with store.read() as s:
        kept = s.scalars(select(CollateralObservation).where(
            CollateralObservation.visit_id == record.id)).one()
        assert (kept.registered_quantity_milli, kept.found_quantity_milli,
                kept.quantity_unit) == (2_459_000, 800_000, "吨")
        events = s.scalars(select(RiskSignal.event).where(RiskSignal.visit_id == record.id))
        assert sorted(events) == [False, True]  # the shortage's (automatic) and the death
