"""The pull's wire models and which kinds of record a device understands. Re-exported by
inspector_app.wire, where both ends have always found them.

    GET  /api/v1/pull?cursor=N   [Inspector-Entities: branch,user,…]   -> PullResponse

A new kind of pulled record (``Change.entity``) is added now and then ("handover" and
"borrower_link" were). A laptop of an older version must not choke on one: a client says in
the ``Inspector-Entities`` header which kinds it understands, and headquarters sends only
those (rows of other kinds are skipped as if invisible, so the cursor still moves past them).
A client that sends no header is one from before the header existed: it gets the
ORIGINAL_ENTITIES only. And from this version on the client itself skips (and logs) a kind it
does not know, should one reach it anyway; the rest of the page is applied as usual.

A laptop upgraded to a version that understands more kinds has its cursor past their rows:
its next sync first pulls those kinds alone from the start of the log, then goes on as usual
(sync.pull.kinds_missed).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

ENTITIES_HEADER = "Inspector-Entities"

# Every kind of pulled record this version knows, in the order they were added.
PULL_ENTITIES: tuple[str, ...] = (
    "branch", "user", "borrower", "loan", "collateral_item", "guarantor", "template",
    "policy", "review", "signal_follow_up", "handover", "borrower_link",
)
# What every laptop understood before the header existed (its Change.entity was a closed
# list of these): what a client that declares nothing gets.
ORIGINAL_ENTITIES: frozenset[str] = frozenset(PULL_ENTITIES[:10])


def entities_header(kinds: tuple[str, ...] = PULL_ENTITIES) -> str:
    """The header's value: the kinds, comma-separated."""
    return ",".join(kinds)


def declared_entities(value: str | None) -> frozenset[str]:
    """The kinds a client declared (the header's value; None when it sent none: the original
    kinds). Kinds headquarters does not know are left out; spaces and case do not matter."""
    if value is None:
        return ORIGINAL_ENTITIES
    named = {part.strip().lower() for part in value.split(",")}
    return frozenset(named.intersection(PULL_ENTITIES))


class Change(BaseModel):
    """One record that changed at headquarters since the device's cursor. ``entity`` is one
    of PULL_ENTITIES from this server; a client skips one it does not know."""

    entity: str = Field(min_length=1, max_length=32)
    id: str
    version: int
    deleted: bool = False
    data: dict[str, Any] = Field(default_factory=dict)


class PullResponse(BaseModel):
    cursor: int
    changes: list[Change]
    revoked: bool = False
    more: bool = False  # the client pulls again with the new cursor until False
