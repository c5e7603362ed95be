#!/usr/bin/env bash
# Set up everything Prikpost needs on Debian: system packages (when missing), a .venv and the package.
# Usage: scripts/setup.sh [run|test]   (test also installs the test tools and Xvfb/xdotool/poppler)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

# Qt offscreen + real X window libraries, zbar for the second barcode engine (see README).
packages=(libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfreetype6 libfontconfig1 libdbus-1-3
          libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
          libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libzbar0 fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  packages+=(xvfb xauth xdotool poppler-utils)
fi
# A shared session runs a PostgreSQL server (the tests start one of their own); PRIKPOST_HOSTING=1 asks for it
# on a laptop that only runs Prikpost.
if [ "$purpose" = "test" ] || [ "${PRIKPOST_HOSTING:-0}" = "1" ]; then
  packages+=(postgresql)
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  packages+=(python3 python3-venv)
elif ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  packages+=(python3-venv)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Debian-pakketten installeren: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""
if [ "$purpose" = "test" ]; then extras="[test]"; fi
stamp=".venv/.prikpost-installed-$purpose"
digest="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$extras"
  echo "$digest" > "$stamp"
fi
