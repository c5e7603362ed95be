"""Prikpost: school vaccination sessions for Dutch JGZ teams."""

__version__ = "0.1.0"
