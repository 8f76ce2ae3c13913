#!/usr/bin/env bash
# Is the collection ready to publish? Checks the tarball a release would upload; non-zero on any failure.
#   scripts/release-check.sh          (tools from ${VENV:-.venv}: ansible-core, antsibull-changelog,
#                                      galaxy-importer, ansible-builder)
#
# 0. The collection's version is galaxy.yml's, and the modules' COLLECTION_VERSION (their User-Agent) says the same.
# 1. Copy the working tree as a clone would have it (tracked files and new files git does not ignore),
#    plus stand-ins for what a developer's tree also holds (.venv, .build*, .run, caches), so that
#    galaxy.yml's build_ignore is what keeps them out.
# 2. In the copy, do what a release does first: `antsibull-changelog release` (the changelog Galaxy shows).
# 3. `ansible-galaxy collection build`.
# 4. The tarball holds what users need and nothing of the development set-up (the emulator, benchmarks,
#    scripts, virtualenvs, build folders, caches, test output), and stands on its own: its changelog
#    (changelogs/changelog.yaml and CHANGELOG.rst, both naming galaxy.yml's version), every file its README
#    links to, and no shipped Python file importing a module that lives only in the repository (such as the
#    emulator, which the event source's tests import: tests/eda is left out for that reason).
# 5. galaxy-importer on the tarball, as Galaxy imports it: metadata, README, docs of every plugin through
#    ansible-doc, the changelog, and ansible-lint (production profile) on the content. Its ansible-test
#    step is off: it runs `ansible-test sanity --docker --failure-ok` (a container, and failures that do not
#    fail), which `make sanity` covers without a container. Any warning or error fails this check.
# 6. The execution environment: the build context of docs/ee/execution-environment.yml is created with
#    `ansible-builder create` (no container engine is needed), and its own introspect script, run on the
#    collection installed from the tarball, finds the Python packages of meta/execution-environment.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/${VENV:-.venv}/bin
export PATH=$bin:$PATH ANSIBLE_NOCOLOR=1
for tool in ansible-galaxy antsibull-changelog ansible-builder ansible-lint; do
  command -v "$tool" >/dev/null || { echo "release-check: $tool is missing from ${VENV:-.venv}" >&2; exit 1; }
done
"$bin/python" -c 'import galaxy_importer' || { echo "release-check: galaxy-importer is missing" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/release-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p .run
log=$root/.run/release-check.log
: >"$log"
step() { printf '== %s\n' "$*" | tee -a "$log"; }
fail() { printf 'release-check: FAILED: %s (log: .run/release-check.log)\n' "$*" | tee -a "$log" >&2; exit 1; }

step "one version: galaxy.yml's is the one the modules send in their User-Agent"
galaxy_version=$("$bin/python" -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
code_version=$(sed -n 's/^COLLECTION_VERSION = "\(.*\)"$/\1/p' plugins/module_utils/_client.py)
[ "$galaxy_version" = "$code_version" ] \
  || fail "galaxy.yml says version $galaxy_version, plugins/module_utils/_client.py's COLLECTION_VERSION $code_version"

step "copy the working tree"
tree=$work/tree
mkdir -p "$tree"
git ls-files -z --cached --others --exclude-standard \
  | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' \
  | tar --null -cf - -T - | tar -xf - -C "$tree"
# what a developer's tree has besides: build_ignore must keep all of it out
for junk in .venv/bin .venv-py3.12/bin .build/ansible_collections .build-docs/ansible_collections .run .pytest_cache .ansible/tmp \
            tests/output/.tmp plugins/modules/__pycache__ tests/integration; do
  mkdir -p "$tree/$junk"
done
for junk in .venv/bin .venv-py3.12/bin .build/ansible_collections .build-docs/ansible_collections .run .pytest_cache .ansible/tmp \
            tests/output/.tmp; do
  echo "stand-in for a local file" >"$tree/$junk/release-check-stand-in.txt"
done
printf 'x' >"$tree/plugins/modules/__pycache__/release-check-stand-in.cpython-311.pyc"
echo "emulator_url: http://127.0.0.1:8787" >"$tree/tests/integration/integration_config.yml"

step "antsibull-changelog release (in the copy)"
(cd "$tree" && antsibull-changelog release) >>"$log" 2>&1 || fail "antsibull-changelog release"
test -s "$tree/changelogs/changelog.yaml" || fail "antsibull-changelog wrote no changelogs/changelog.yaml"

step "ansible-galaxy collection build"
(cd "$tree" && ansible-galaxy collection build --output-path "$work/dist") >>"$log" 2>&1 || fail "ansible-galaxy collection build"
tarball=$(ls "$work"/dist/cloudflare_community-logpush-*.tar.gz)
tar -tzf "$tarball" | sed 's|/$||' | sort >"$work/contents.txt"
echo "$(basename "$tarball"): $(wc -l <"$work/contents.txt") entries, $(du -k "$tarball" | cut -f1) kB" | tee -a "$log"

step "tarball contents"
forbidden='^(tests/emulator|benchmarks|scripts|requirements|\.venv[^/]*|\.build[^/]*|\.run|\.ansible|\.pytest_cache|\.ci|\.git|tests/output)(/|$)'
forbidden+='|(^|/)__pycache__(/|$)|\.pyc$|^Makefile$|^tests/integration/integration_config\.yml$|release-check-stand-in|\.tar\.gz$'
if grep -E "$forbidden" "$work/contents.txt" >"$work/forbidden.txt"; then
  cat "$work/forbidden.txt" >>"$log"
  head -20 "$work/forbidden.txt" >&2
  fail "the tarball holds $(wc -l <"$work/forbidden.txt") development file(s); add them to build_ignore in galaxy.yml"
fi
required=(MANIFEST.json FILES.json README.md meta/runtime.yml meta/execution-environment.yml
          plugins/modules/logpush_job.py plugins/modules/logpush_job_info.py plugins/modules/logpush_ownership.py
          plugins/filter/destination_info.py plugins/doc_fragments/common.py roles/job_setup/meta/argument_specs.yml
          docs/docsite/extra-docs.yml docs/docsite/links.yml changelogs/changelog.yaml CHANGELOG.rst)
# and every file meta/execution-environment.yml names
mapfile -t ee_files < <("$bin/python" -c '
import sys, yaml
print("\n".join(str(v) for v in yaml.safe_load(open(sys.argv[1]))["dependencies"].values()))' meta/execution-environment.yml)
for path in "${required[@]}" "${ee_files[@]}"; do
  grep -qxF "$path" "$work/contents.txt" || fail "the tarball lacks $path"
done

step "the tarball stands on its own: changelog, README links, imports"
mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked"
# the changelog Galaxy shows (galaxy-importer accepts either file; antsibull-changelog writes both) has this release
grep -qE "^  ${galaxy_version//./\\.}:\$" "$work/unpacked/changelogs/changelog.yaml" \
  || fail "changelogs/changelog.yaml in the tarball has no release $galaxy_version"
grep -qE "^v${galaxy_version//./\\.}\$" "$work/unpacked/CHANGELOG.rst" \
  || fail "CHANGELOG.rst in the tarball has no section v$galaxy_version"
"$bin/python" - "$work/unpacked" "$tree" <<'PY' >"$work/standalone.txt" || { cat "$work/standalone.txt" >&2; fail "the tarball does not stand on its own"; }
import ast, os, re, sys
shipped, tree = sys.argv[1:3]
problems = []
# 1. every relative link of the README (Markdown [text](target)) names a file or folder the tarball ships
with open(os.path.join(shipped, "README.md")) as handle:
    readme = handle.read()
for target in re.findall(r"\]\(([^)\s]+)\)", readme):
    path = target.split("#", 1)[0]
    if not path or re.match(r"^[a-z][a-z0-9+.-]*:", path):
        continue  # an anchor of the README itself, or a URL
    if not os.path.exists(os.path.join(shipped, path)):
        problems.append("README.md links to %s, which the tarball does not ship" % target)
# 2. no shipped Python file imports a module that exists only in the repository
def modules(root):
    names = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        names.update(f[:-3] for f in files if f.endswith(".py") and f != "__init__.py")
        if "__init__.py" in files:
            names.add(os.path.basename(folder))
    return names
repository_only = modules(tree) - modules(shipped)
for folder, _dirs, files in os.walk(shipped):
    for name in files:
        if not name.endswith(".py"):
            continue
        path = os.path.join(folder, name)
        with open(path) as handle:
            parsed = ast.parse(handle.read(), path)
        for node in ast.walk(parsed):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top in repository_only:
                    problems.append("%s imports %s, which the tarball does not ship (add the file to build_ignore,"
                                    " or ship what it needs)" % (os.path.relpath(path, shipped), top))
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY

step "galaxy-importer"
cat >"$work/galaxy-importer.cfg" <<CFG
[galaxy-importer]
run_ansible_doc = True
run_ansible_lint = True
offline_ansible_lint = True
run_ansible_test = False
check_changelog = True
check_required_tags = True
tmp_root_dir = $work
ansible_local_tmp = $work/ansible-local
CFG
# the importer imports the tarball alone, as Galaxy does: no other collection is visible to it
if ! (cd "$work" && env -u ANSIBLE_COLLECTIONS_PATH GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" \
      "$bin/python" -m galaxy_importer.main "$tarball") >"$work/importer.log" 2>&1; then
  cat "$work/importer.log" >>"$log"
  fail "galaxy-importer refused the tarball"
fi
cat "$work/importer.log" >>"$log"
grep -q 'Importer processing completed successfully' "$work/importer.log" || fail "galaxy-importer did not complete"
if grep -E '^(WARNING|ERROR)' "$work/importer.log" >"$work/importer-problems.txt"; then
  cat "$work/importer-problems.txt" >&2
  fail "galaxy-importer reported $(wc -l <"$work/importer-problems.txt") warning(s) or error(s)"
fi

step "execution environment: ansible-builder create docs/ee/execution-environment.yml"
(cd "$work" && ansible-builder create -f "$root/docs/ee/execution-environment.yml" --context "$work/ee" \
   --output-filename Containerfile) >>"$log" 2>&1 || fail "ansible-builder create"
for path in Containerfile _build/requirements.yml _build/scripts/introspect.py _build/scripts/assemble; do
  test -s "$work/ee/$path" || fail "the EE build context lacks $path"
done
grep -q 'ansible-galaxy collection install .*-r requirements.yml' "$work/ee/Containerfile" \
  || fail "the Containerfile does not install the collections of requirements.yml"
"$bin/python" - "$work/ee/_build/requirements.yml" <<'PY' || fail "docs/ee/requirements.yml does not name cloudflare_community.logpush"
import sys, yaml
names = [c["name"] if isinstance(c, dict) else c for c in yaml.safe_load(open(sys.argv[1]))["collections"]]
sys.exit(0 if "cloudflare_community.logpush" in names else 1)
PY

step "execution environment: introspect the installed tarball"
# --force and no ANSIBLE_COLLECTIONS_PATH: a staged copy of the collection (make's .build) would
# otherwise count as installed, and nothing would land in $work/collections
env -u ANSIBLE_COLLECTIONS_PATH ansible-galaxy collection install --offline --no-deps --force -p "$work/collections" "$tarball" >>"$log" 2>&1 \
  || fail "ansible-galaxy collection install of the tarball"
"$bin/python" "$work/ee/_build/scripts/introspect.py" introspect "$work/collections" \
  --write-pip "$work/ee-pip.txt" --write-bindep "$work/ee-bindep.txt" >>"$log" 2>&1 || fail "introspect"
cat "$work/ee-pip.txt" >>"$log"
for package in requests boto3 botocore; do
  grep -qE "^${package}[<>=! ]" "$work/ee-pip.txt" || fail "the EE would not install $package (meta/execution-environment.yml)"
done
test ! -s "$work/ee-bindep.txt" || fail "unexpected system packages: $(tr '\n' ' ' <"$work/ee-bindep.txt")"

echo "release-check: $(basename "$tarball") is ready to publish" | tee -a "$log"
