#!/usr/bin/env bash
# The repository stands alone: no tracked file may point at the reference folder that sits
# beside the developers' checkouts (the parent directory's `shared` folder, by a relative or an
# absolute path). A clone has nothing beside it, so anything read or cited from there breaks or
# misleads; the project's own copies live in crates/fixtures/data/ and docs/.
#
#   scripts/check-standalone.sh            check every tracked file (run by `make lint`)
#   scripts/check-standalone.sh FILE...    check these files only
#
# Before checking the repository it proves that it detects a defect: a temporary file that
# names the folder must be reported.
set -euo pipefail
cd "$(dirname "$0")/.."

# Built from pieces so this script does not name the folder itself.
dir="sha""red"
pattern="(\.\./|/work/)${dir}\b|(^|[^[:alnum:]_./-])${dir}/(api|design|hooks)/|(^|[^[:alnum:]_./-])${dir}/toolchain\.md"

# Prints the offending lines of the given files; fails if there are any.
check() {
  ! grep -n -I -E "$pattern" -- "$@"
}

if (($#)); then
  check "$@"
  exit
fi

# Self-test: each way of naming the folder is caught, and a harmless mention is not.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for bad in "see ../${dir}/api/serving-api.md" "read /work/${dir}/api/fixtures" \
  "(see ${dir}/toolchain.md)" "\`${dir}/api/serving-api.md\`"; do
  printf '%s\n' "$bad" >"$tmp/bad.md"
  if check "$tmp/bad.md" >/dev/null; then
    echo "check-standalone: the check missed \"$bad\"" >&2
    exit 1
  fi
done
printf '%s\n' "a token bucket ${dir} by every poller; crates/${dir}/api is ours" >"$tmp/good.md"
check "$tmp/good.md" >/dev/null || { echo "check-standalone: false alarm on a harmless line" >&2; exit 1; }

# The repository itself (tracked files only: build outputs and node_modules are not ours).
mapfile -d '' files < <(git ls-files -z)
if ! check "${files[@]}"; then
  echo "check-standalone: the lines above point outside the repository; use docs/ or crates/fixtures/" >&2
  exit 1
fi
echo "check-standalone: no tracked file points outside the repository (${#files[@]} files)"
