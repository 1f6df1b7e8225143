"""Persistence: SQLAlchemy models, engine and sessions, migrations, backup.

Everything SQLite-specific stays inside this package so that the services work unchanged on
another database (a school may later share one PostgreSQL server on its LAN).
"""
