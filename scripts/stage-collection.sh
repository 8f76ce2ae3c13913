#!/usr/bin/env bash
# Copy the collection's files (what git tracks, plus new files git does not ignore) to
# $BUILD_DIR/ansible_collections/cloudflare_community/logpush (BUILD_DIR defaults to .build),
# where Ansible and ansible-test find it.
# ansible-test needs a real directory at that path (a symlink resolves elsewhere), so we copy.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${BUILD_DIR:-.build}/ansible_collections/cloudflare_community/logpush
rm -rf "$dest"
mkdir -p "$dest"
git ls-files -z --cached --others --exclude-standard \
  | grep -zv -e '^tests/emulator/' -e '^benchmarks/' \
  | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' \
  | tar --null -cf - -T - | tar -xf - -C "$dest"
# ansible-test lists files through git; inside our repo it would ask the parent, which ignores
# the build folder. A throwaway repo of its own lets it see exactly the staged files.
git -C "$dest" init -q
git -C "$dest" add -A
