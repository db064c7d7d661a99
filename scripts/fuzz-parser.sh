#!/usr/bin/env bash
# Fuzzes the command language's tokenizer, parser and script reader with libFuzzer for a bounded time.
# Compiles only Sources/HARShell/Language/*.swift (they need nothing but the standard library and Foundation) with
# Fuzz/ParserFuzzEntry.swift, whose entry checks invariants on every input; seeds the corpus with the lines of
# examples/*.har and docs/COMMANDS.md; runs for SECONDS (default 60). A failing input is saved as
# .build/fuzz/crash-* and the script fails.
#
# Usage: scripts/fuzz-parser.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
work="$root/.build/fuzz"
mkdir -p "$work/corpus" "$work/seeds"
# gold warns about every ASan helper symbol; those lines are noise.
swiftc -sanitize=fuzzer,address -parse-as-library -O -g "$root"/Sources/HARShell/Language/*.swift "$root/Fuzz/ParserFuzzEntry.swift" \
  -module-name HARShellLanguageFuzz -o "$work/parser-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)
n=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  n=$((n + 1))
  printf '%s' "$line" > "$work/seeds/line-$n"
done < <(cat "$root"/examples/*.har "$root/docs/COMMANDS.md")
cd "$work"
ASAN_OPTIONS="detect_leaks=0" ./parser-fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$work/" corpus seeds
