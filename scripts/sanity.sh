#!/usr/bin/env bash
# ansible-test sanity on the staged collection: every test on Python 3.11 (the controller's), then
# the tests that depend on the module's Python version (compile, import) on 3.8 and 3.9, the oldest the
# modules support (tests/config.yml), so module code stays valid where it runs. 3.10, 3.12 and 3.13 get
# every sanity test, compile and import included, under the other releases of make compat.
set -euo pipefail
cd "$(dirname "$0")/.."
collection=${BUILD_DIR:-.build}/ansible_collections/cloudflare_community/logpush
if ls "$collection"/tests/sanity/ignore-*.txt >/dev/null 2>&1; then
  echo "tests/sanity/ignore-*.txt must not exist: fix the code instead" >&2
  exit 1
fi
extra_path=
versions=()
for version in 3.8 3.9; do
  # pyenv keeps interpreters it does not put on PATH; use them directly when they exist
  for bin in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin; do
    if [ -x "$bin/python$version" ]; then
      extra_path="$extra_path:$bin"
      versions+=("$version")
      break
    fi
  done
done
cd "$collection"
ansible-test sanity --venv --python 3.11 --color no "$@"
for version in "${versions[@]}"; do
  PATH="${extra_path#:}:$PATH" ansible-test sanity --venv --python "$version" --test compile --test import --color no "$@"
done
echo "sanity: all tests on 3.11; compile and import on ${versions[*]:-no other Python}"
