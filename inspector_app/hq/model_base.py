"""Headquarters' declarative base, the columns every synchronisable record carries, and the
auto-numbered key type; hq.models and hq.dashboard_models build on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import BigInteger, Integer, MetaData, Table
from sqlalchemy.orm import DeclarativeBase

from inspector_app.common.sqltypes import NAMING, RecordColumns

# SQLite only auto-numbers an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    if TYPE_CHECKING:
        # Every model here maps one Table (DeclarativeBase says only FromClause), so
        # insert(), update() and .name take Model.__table__ as it is.
        __table__: ClassVar[Table]


class Record(RecordColumns, Base):
    """A record with the columns every synchronisable record carries."""

    __abstract__ = True
