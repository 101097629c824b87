#!/usr/bin/env bash
# Create the virtual environment: scripts/make-venv.sh PYTHON DIR
# Debian ships Python without `venv`'s pip bootstrap (the pythonX.Y-venv package); as root this
# installs it when missing, otherwise it says what to install.
set -euo pipefail
python=$1
dir=$2
if "$python" -m venv "$dir" 2>/dev/null; then
  exit 0
fi
rm -rf "$dir"  # a half-made environment would make the next `make` skip this step
version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing python${version}-venv (needed to create $dir)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "python${version}-venv" >/dev/null
  exec "$python" -m venv "$dir"
fi
echo "Creating $dir needs Python's venv module: sudo apt-get install python${version}-venv" >&2
exit 1
