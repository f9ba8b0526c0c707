"""Local store: SQLAlchemy models, engine set-up, Alembic migrations, photo store."""
