"""Headquarters server (FastAPI): storage, auth and the sync endpoints. Not built yet."""
