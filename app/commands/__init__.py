"""Subcommands for work without a screen; each module registers its own parser."""
