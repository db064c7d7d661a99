#!/usr/bin/env bash
# Builds the CTorch shim (Sources/CTorch/*.cpp) and a C driver (scripts/asan/driver.c) with AddressSanitizer and
# LeakSanitizer, and runs the driver: heap errors or leaks in the shim fail the script. libtorch itself is not
# instrumented, but its allocations are still tracked (malloc is intercepted); stacks are unwound through it with
# DWARF (fast_unwind_on_malloc=0: it has no frame pointers). The one leak suppressed is libtorch's own, named
# narrowly in scripts/asan/lsan.supp.
#
# Usage: scripts/asan.sh            (uses clang/clang++ from PATH; Swift's toolchain ships the ASan runtime)
#        scripts/asan.sh --leak     (the driver forgets one tensor per round: must fail, showing leak detection works)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
CXX="${CXX:-clang++}"
CC="${CC:-clang}"
torch_include="${LIBTORCH:+$LIBTORCH/include}"
torch_include="${torch_include:-/usr/include}"
flags=(-fsanitize=address,leak -fno-omit-frame-pointer -g -O1)
for source in "$root"/Sources/CTorch/*.cpp; do
  "$CXX" -std=c++17 "${flags[@]}" -Wno-deprecated-declarations -I"$root/Sources/CTorch/include" -I"$root/Sources/CTorch" \
    -I"$torch_include" -I"$torch_include/torch/csrc/api/include" -c "$source" -o "$out/$(basename "$source" .cpp).o"
done
"$CC" "${flags[@]}" -I"$root/Sources/CTorch/include" -c "$root/scripts/asan/driver.c" -o "$out/driver.o"
libs=(-ltorch_cpu -lc10 -ltorch)
[ -n "${LIBTORCH:-}" ] && libs=(-L"$LIBTORCH/lib" -Wl,-rpath,"$LIBTORCH/lib" "${libs[@]}")
# gold warns about every ASan helper symbol; those lines are noise.
"$CXX" "${flags[@]}" "$out"/*.o "${libs[@]}" -o "$out/driver" 2> >(grep -v "Cannot export local symbol" >&2)
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:alloc_dealloc_mismatch=0:fast_unwind_on_malloc=0" \
LSAN_OPTIONS="suppressions=$root/scripts/asan/lsan.supp:print_suppressions=0" \
  "$out/driver" "$out" "$@"
