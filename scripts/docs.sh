#!/usr/bin/env bash
# Build the collection's docs site with antsibull-docs: every module, the filter and the role, plus the
# guides in docs/docsite/. Non-zero on any error or warning.
#   scripts/docs.sh          (tools from ${VENV:-.venv}; the site goes to $BUILD_DIR/docsite/build/html)
#
# 1. antsibull-docs lint-collection-docs --plugin-docs: the plugins' and role's docs against the schema
#    (semantic markup, O()/RV()/P() references), the guides (labels, extra-docs.yml, links.yml, rstcheck)
#    and every reference from the guides to this collection's plugins, options and return values.
# 2. antsibull-docs sphinx-init + build: the RST of the collection, then sphinx-build with -W (nitpicky, so
#    a broken reference is a warning, and every warning an error).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH=$root/${VENV:-.venv}/bin:$PATH ANSIBLE_NOCOLOR=1
build=${BUILD_DIR:-.build}
# BUILD_DIR may be relative (to the clone) or absolute (a helper's /tmp/build-x)
case $build in /*) ;; *) build=$root/$build ;; esac
BUILD_DIR=$build scripts/stage-collection.sh
collection=$build/ansible_collections/cloudflare_community/logpush
export ANSIBLE_COLLECTIONS_PATH=$build
site=$build/docsite
mkdir -p .run
log=$root/.run/docs.log
: >"$log"

echo "== antsibull-docs lint-collection-docs" | tee -a "$log"
if ! antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs "$collection" >>"$log" 2>&1; then
  cat "$log" >&2
  echo "docs: lint-collection-docs found problems" >&2
  exit 1
fi

echo "== antsibull-docs sphinx-init and build" | tee -a "$log"
rm -rf "$site"
mkdir -p "$site"
chmod 700 "$site"  # antsibull-docs wants a folder only its owner may write to
antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$site" \
  --project cloudflare_community.logpush --copyright "cloudflare_community.logpush contributors" \
  --title "Cloudflare Logpush collection" cloudflare_community.logpush >>"$log" 2>&1
# No network here: the intersphinx inventories of docs.python.org, jinja and docs.ansible.com cannot be
# fetched. Without them two labels of Ansible's own docsite that every plugin page links to cannot resolve;
# they stay plain text. Any other unresolved reference still fails the build.
cat >>"$site/conf.py" <<'PY'

# scripts/docs.sh: offline build
intersphinx_mapping = {}
nitpick_ignore = [('ref', 'common_return_values'), ('ref', 'ansible_configuration_settings')]
PY
# build.sh runs `antsibull-docs collection --use-current` and `sphinx-build -W --keep-going`
if ! (cd "$site" && ./build.sh) >>"$log" 2>&1; then
  grep -E 'WARNING|ERROR|Error' "$log" >&2 || tail -40 "$log" >&2
  echo "docs: the build failed or warned (log: .run/docs.log)" >&2
  exit 1
fi
# belt and braces: a warning that did not stop the build still fails it
if grep -E '(WARNING|ERROR|CRITICAL)' "$log" | grep -v '^WARNING: Location' >"$site/problems.txt"; then
  cat "$site/problems.txt" >&2
  echo "docs: $(wc -l <"$site/problems.txt") warning(s) (log: .run/docs.log)" >&2
  exit 1
fi
pages=$(find "$site/build/html" -name '*.html' | wc -l)
for page in collections/cloudflare_community/logpush/logpush_job_module.html \
            collections/cloudflare_community/logpush/job_setup_role.html \
            collections/cloudflare_community/logpush/docsite/guide_destinations.html; do
  test -s "$site/build/html/$page" || { echo "docs: $page was not built" >&2; exit 1; }
done
echo "docs: $pages pages in $build/docsite/build/html (log: .run/docs.log)"
