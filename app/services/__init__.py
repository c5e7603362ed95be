"""The use cases as plain functions over a unit of work."""
