#!/usr/bin/env bash
# The newer maintained ansible-core releases need Python 3.12 or newer, which `make test`'s main
# venv (Python 3.11, ansible-core 2.19) cannot run. For each of them: a venv of its own on the
# machine's Python 3.12+, then ansible-test sanity (every test) and units on the staged collection.
set -euo pipefail
cd "$(dirname "$0")/.."
cores=("2.20.10" "2.21.5")
python=
for candidate in python3.13 python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13.*/bin/python3.13 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12.*/bin/python3.12; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
    python=$(command -v "$candidate")
    break
  fi
done
if [ -z "$python" ]; then
  echo "compat: no Python 3.12 or newer here, so ansible-core ${cores[*]} cannot be tested" >&2
  [ -z "${CI:-}" ] || exit 1   # CI's machines have it: there, a missing Python is a failure
  exit 0
fi
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
for core in "${cores[@]}"; do
  venv=.venv-core-$core
  if [ ! -f "$venv/.installed" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet "ansible-core==$core" requests==2.34.2 pytest==9.2.0 pytest-xdist==3.8.0 pytest-mock==3.17.0
    touch "$venv/.installed"
  fi
  BUILD_DIR=.build-core-$core scripts/stage-collection.sh
  (
    cd ".build-core-$core/ansible_collections/cloudflare_community/logpush"
    PATH="$PWD/../../../../$venv/bin:$PATH" ansible-test sanity --venv --python "$version" --color no
    PATH="$PWD/../../../../$venv/bin:$PATH" ansible-test units --local --python "$version" --color no
  )
  echo "compat: ansible-core $core on Python $version: sanity and units passed"
done
