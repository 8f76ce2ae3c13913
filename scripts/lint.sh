#!/usr/bin/env bash
# ansible-lint (production profile, .ansible-lint) on the role, the playbooks, and every example users
# copy: the modules' and filter's EXAMPLES and the READMEs' YAML blocks, as the examples test target
# generates them, without its prepare and verify plays (test scaffolding, not documentation).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${BUILD_DIR:-.build}/examples-lint
rm -rf "$examples"
python tests/integration/targets/examples/generate.py "$examples" >/dev/null
python - "$examples" <<'PY'
import glob, sys, yaml


class Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # lists indented, as yamllint wants
        return super().increase_indent(flow, False)


for path in glob.glob(sys.argv[1] + "/*.yml"):
    plays = [p for p in yaml.safe_load(open(path)) if not p["name"].startswith(("Prepare: ", "Verify: "))]
    with open(path, "w") as out:
        out.write("---\n" + yaml.dump(plays, Dumper=Dumper, sort_keys=False, width=160))
PY
ansible-lint roles/ playbooks/ "$examples"/*.yml
