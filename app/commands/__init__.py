"""Subcommands for work without a screen; each module registers its own parser."""

# Modules under app.commands with a `register(subparsers)` function, in help order.
COMMANDS = ("demo", "import_children", "import_scans", "import_lots", "sync", "receiver", "decode", "cards", "export",
            "user", "purge", "encrypt", "host")
