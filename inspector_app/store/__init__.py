"""Local store: SQLAlchemy models, engine set-up, Alembic migrations, photo store, and
LocalStore, the one facade over local data (the GUI imports it from store.facade)."""
