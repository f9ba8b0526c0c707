"""Alembic migrations of the headquarters database, applied by inspector_app.hq.migrate."""
