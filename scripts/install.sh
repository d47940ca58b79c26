#!/usr/bin/env bash
# Install Observatoire in a virtual environment, .venv, on a fresh Debian (12 or 13) or any machine with Python 3.11+.
#   bash scripts/install.sh           what the app needs (requirements.txt)
#   bash scripts/install.sh --tests   and what the tests need (requirements-dev.txt, Debian's chromium, LibreOffice Calc and curl)
# Debian's own python3 refuses pip outside a virtual environment (PEP 668): everything goes into .venv, and Debian's
# python3-venv is installed with apt when the interpreter cannot make one.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) tests=1 ;;
    *) echo "Option inconnue : $arg (seule option : --tests)" >&2; exit 2 ;;
  esac
done

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
apt_install() {
  echo "Installation avec apt : $*"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  apt_install python3
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 ou plus récent est requis ($("$PYTHON" --version 2>&1) trouvé)." >&2
  exit 1
fi

# A .venv left half-made (no pip) is made again.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  rm -rf .venv
  if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    # Debian splits venv and ensurepip off the interpreter: python3-venv (python3.X-venv on some releases)
    minor=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install python3-venv || apt_install "python${minor}-venv"
    "$PYTHON" -m venv .venv
  fi
fi

requirements=requirements.txt
[ "$tests" = 1 ] && requirements=requirements-dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"

if [ "$tests" = 1 ]; then
  # a real browser for the browser tests, a real spreadsheet for the download tests
  [ -x /usr/bin/chromium ] || apt_install chromium
  command -v soffice >/dev/null 2>&1 || apt_install --no-install-recommends libreoffice-calc
  command -v curl >/dev/null 2>&1 || apt_install curl  # the README's API example, run by tests/api/test_readme.py
fi
echo "Installation terminée dans .venv ($(.venv/bin/python --version))."
