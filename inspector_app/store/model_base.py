"""The base of the local store's models: one metadata (with the naming convention the
migrations use) for every table, and the columns every synchronisable record carries."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

from inspector_app.common.sqltypes import NAMING, RecordColumns


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    if TYPE_CHECKING:
        # Every model here maps one Table (DeclarativeBase says only FromClause), so
        # insert(), update() and .name take Model.__table__ as it is.
        __table__: ClassVar[Table]


class Record(RecordColumns, Base):
    """A record with the columns every synchronisable record carries."""

    __abstract__ = True
