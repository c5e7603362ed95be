"""PDF and CSV lists of a session, and printable test call-up cards."""
