#!/usr/bin/env bash
# One command: set everything up and start Prikpost (on the demo session when no database exists yet).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
exec .venv/bin/prikpost "$@"
