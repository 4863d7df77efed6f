#!/usr/bin/env bash
# Fails, naming the files, when clang-format (the repository's .clang-format)
# would change any C++ source of the repository. Fix with:
#   clang-format -i $(git ls-files '*.cc' '*.h')
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fmt="$(command -v clang-format || command -v clang-format-14 || true)"
[[ -n "$fmt" ]] || { echo "check_format: clang-format not installed" >&2; exit 1; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cc' '*.h')
else
  mapfile -t files < <(find collectors exporter service tests bench fuzz -name '*.cc' -o -name '*.h' | sort)
fi
bad=()
for f in "${files[@]}"; do
  if ! "$fmt" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if ((${#bad[@]} > 0)); then
  echo "check_format: clang-format would change ${#bad[@]} file(s):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  "$fmt" --style=file --dry-run "${bad[0]}" 2>&1 | head -20 >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted as .clang-format says"
