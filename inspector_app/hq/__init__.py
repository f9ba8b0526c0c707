"""Headquarters server (FastAPI): storage, auth, the sync endpoints and the admin CLI.

Storage is SQLAlchemy 2 on SQLite (embedded) or PostgreSQL with its own Alembic migrations
(hq/migrations), and a content-addressed blob store on disk (hq/blobs). The wire contract is
inspector_app.wire; hq/schemas adds the headquarters-only review endpoints.
"""
