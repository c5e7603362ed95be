#!/usr/bin/env bash
# One command: set everything up and run all checks and tests (Qt offscreen; Xvfb where a real window is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check app tests bench
.venv/bin/lint-imports
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
