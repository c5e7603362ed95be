"""Durable storage: SQLAlchemy models, engine setup, migrations and the audit log."""
