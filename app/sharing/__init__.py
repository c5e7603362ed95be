"""Sharing a session between laptops: the session's PostgreSQL server, the join code, stations."""
