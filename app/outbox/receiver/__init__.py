"""A stand-in for Praeventis and Vaccinnet on 127.0.0.1, for tests, demos and acceptance checks."""
