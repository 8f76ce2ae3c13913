#!/usr/bin/env bash
# The ansible-core releases of the supported range (meta/runtime.yml) other than the development venv's
# 2.19: each in a venv of its own (.venv-core-<release>) on a Python it supports as controller, with the
# collection staged in $BUILD_DIR-core-<release> (BUILD_DIR defaults to .build).
#   scripts/compat.sh                sanity and unit tests on each release of the table (every sanity
#                                    test on the oldest and the newest; see middle_skip)
#   scripts/compat.sh --integration  integration targets on the oldest and the newest release, one after
#                                    the other, each against an emulator of its own
#   scripts/compat.sh [--integration] 2.16.19 ...   only those releases
# ansible-test bootstraps pip with get_pip_<version>.py from its cache (ansible-core 2.16 and 2.17:
# get_pip_23_1_2.py; 2.18: get_pip_24_2.py; 2.20 and 2.21: get_pip_25_2.py); each release's venv puts
# scripts/ansible_test_get_pip.py there under the names its own ansible-test asks for.
#
# Time (2 cores, measured 2026-12-02 with others' work on the machine): before the trims below, sanity and
# units took 55-70 s a release with warm caches (~/.ansible/test/venv, pip's) and 85-225 s with a new HOME,
# 14 minutes for the five; --integration 8 minutes. The integration targets of the oldest and newest are
# those of each module (and the role's on the oldest); the role's use of logpush_job is its test there, and
# the unit tests run every module's main() on each release.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# release | controller Pythons, the first one found here is used
table=(
  "2.16.19 3.10,3.11,3.12"
  "2.17.14 3.12,3.11,3.10"
  "2.18.19 3.13,3.12,3.11"
  "2.20.10 3.12,3.13"
  "2.21.5 3.13,3.12"
)
pip_packages=(requests==2.34.2 pytest==9.2.0 pytest-xdist==3.8.0 pytest-mock==3.17.0 hypothesis==6.168.5)
# Sanity tests left out on the releases between the oldest and the newest when this script runs alone, for
# a quick check (make compat, and so make test-all and CI, sets COMPAT_SANITY=all and
# COMPAT_INTEGRATION_TARGETS=all: no trims): the style linters (each release pins its own versions; 2.16, 2.19 and 2.21 run theirs). What
# checks the code against a release (compile, import, validate-modules, ansible-doc, runtime-metadata, ...)
# runs on every release. COMPAT_SANITY=all runs every test on every release.
middle_skip=(pylint pep8 yamllint changelog)
# Integration targets: those of each module on the oldest and the newest release, and the role's on the
# oldest, where templating differs from 2.19's (make integration runs every target on 2.19, whose templating
# 2.20 and 2.21 share). COMPAT_INTEGRATION_TARGETS gives one list for both ("all" for every target).
oldest_targets=${COMPAT_INTEGRATION_TARGETS:-logpush_job_info logpush_jobs logpush_ownership role_job_setup}
newest_targets=${COMPAT_INTEGRATION_TARGETS:-logpush_job_info logpush_jobs logpush_ownership}
# Ports of the emulators of --integration: each release runs its targets in INTEGRATION_JOBS groups (default 2,
# scripts/integration-groups.sh), group k on the release's ports + k - 1; the oldest release from 8811 (S3 9011,
# GCS 9111, Azurite 9211), the next INTEGRATION_JOBS ports up for the newest. Apart from make emulator's (8787),
# make test's (8788 and up) and make bench's (8797), and their storage servers.
port=${COMPAT_EMULATOR_PORT:-8811}
s3_port=${COMPAT_S3_PORT:-9011}
build_prefix=${BUILD_DIR:-.build}-core-

integration=
if [ "${1:-}" = "--integration" ]; then
  integration=1
  shift
fi
selected=("$@")
if [ ${#selected[@]} -eq 0 ]; then
  if [ -n "$integration" ]; then
    selected=("${table[0]%% *}" "${table[-1]%% *}")
  else
    for row in "${table[@]}"; do selected+=("${row%% *}"); done
  fi
fi

# The interpreter of Python X.Y: pyenv's (which may not be on PATH), else one on PATH that runs.
find_python() {
  local version=$1 bin
  for bin in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version"; do
    if [ -x "$bin" ]; then echo "$bin"; return 0; fi
  done
  if command -v "python$version" >/dev/null 2>&1 && "python$version" -c '' 2>/dev/null; then
    command -v "python$version"
    return 0
  fi
  return 1
}

# Sets $version and $venv for release $1 (its venv made once), and stages the collection.
prepare() {
  local core=$1 row="" candidate pythons python=
  for candidate in "${table[@]}"; do
    if [ "${candidate%% *}" = "$core" ]; then row=$candidate; fi
  done
  if [ -z "$row" ]; then
    echo "compat: ansible-core $core is not in the table of scripts/compat.sh" >&2
    exit 2
  fi
  pythons=${row#* }
  version=
  for candidate in ${pythons//,/ }; do
    if python=$(find_python "$candidate"); then version=$candidate; break; fi
  done
  if [ -z "$version" ]; then
    echo "compat: none of Python ${pythons//,/, } here, so ansible-core $core cannot be tested" >&2
    [ -z "${CI:-}" ] || exit 1   # CI's machines have them: there, a missing Python is a failure
    return 1
  fi
  venv=.venv-core-$core
  # the stamp names what the venv holds: a change of Python or packages makes it again
  stamp="$version ${pip_packages[*]}"
  if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet "ansible-core==$core" "${pip_packages[@]}"
    echo "$stamp" >"$venv/.installed"
  fi
  # this release's pip bootstrap under the names its ansible-test asks for (fails loudly if it no longer says)
  "$venv/bin/python" scripts/ansible_test_get_pip.py --install >/dev/null
  BUILD_DIR=$build_prefix$core scripts/stage-collection.sh
  if ls "$build_prefix$core"/ansible_collections/cloudflare_community/logpush/tests/sanity/ignore-*.txt >/dev/null 2>&1; then
    echo "tests/sanity/ignore-*.txt must not exist: fix the code instead" >&2
    exit 1
  fi
}

if [ -z "$integration" ]; then
  for core in "${selected[@]}"; do
    prepare "$core" || continue
    skip=() what="every sanity test"
    if [ "${COMPAT_SANITY:-}" != all ] && [ "$core" != "${table[0]%% *}" ] && [ "$core" != "${table[-1]%% *}" ]; then
      for test in "${middle_skip[@]}"; do skip+=(--skip-test "$test"); done
      what="sanity but ${middle_skip[*]}"
    fi
    start=$SECONDS
    (
      cd "$build_prefix$core/ansible_collections/cloudflare_community/logpush"
      PATH="$root/$venv/bin:$PATH" ansible-test sanity --venv --python "$version" --color no ${skip[@]+"${skip[@]}"}
      PATH="$root/$venv/bin:$PATH" ansible-test units --local --python "$version" --color no
    )
    echo "compat: ansible-core $core on Python $version: $what, and units, passed ($((SECONDS - start)) s)"
  done
  exit 0
fi

# --integration: each release against an emulator of its own; the output goes to
# .run/compat-integration-<release>.log, and is shown for a release that fails.
mkdir -p .run
cores=() versions=()
for core in "${selected[@]}"; do
  prepare "$core" || continue
  # amazon.aws (the role and the tests read S3 with it), as `make collection` installs it in .build
  if ! out=$(.venv/bin/python scripts/install-collections.py "$build_prefix$core" 2>&1); then
    echo "$out" >&2
    exit 1
  fi
  cores+=("$core") versions+=("$version")
done
# One release after the other, each in INTEGRATION_JOBS groups at once: one ansible-playbook keeps about one core
# busy, so two groups fill two cores; two releases beside that would only share them.
started=$SECONDS failed=()
for i in "${!cores[@]}"; do
  core=${cores[$i]} version=${versions[$i]} log=.run/compat-integration-${cores[$i]}.log start=$SECONDS
  list=$newest_targets targets=()
  [ "$core" != "${table[0]%% *}" ] || list=$oldest_targets
  [ "$list" = all ] || read -r -a targets <<<"$list"
  echo "compat: integration targets (${targets[*]:-all}) on ansible-core $core, Python $version, emulator on port $port; output in $log"
  # integration.sh asks for Python 3.11; the --python given after it wins
  if PATH="$PWD/.venv-core-$core/bin:$PATH" BUILD_DIR=$build_prefix$core INTEGRATION_TARGETS="${targets[*]:-}" \
    EMULATOR_PORT=$port S3_PORT=$s3_port GCS_PORT=$((s3_port + 100)) AZURE_PORT=$((s3_port + 200)) \
    scripts/integration-groups.sh --python "$version" >"$log" 2>&1; then
    echo "compat: ansible-core $core: integration passed ($((SECONDS - start)) s)"
  else
    failed+=("$core")
  fi
  port=$((port + ${INTEGRATION_JOBS:-2})) s3_port=$((s3_port + ${INTEGRATION_JOBS:-2}))
done
for core in ${failed[@]+"${failed[@]}"}; do
  scripts/failed-log.sh "compat: ansible-core $core: integration" ".run/compat-integration-$core.log"
done
echo "compat: integration on ${cores[*]:-no release} took $((SECONDS - started)) s"
[ ${#failed[@]} -eq 0 ]
