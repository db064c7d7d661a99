#!/usr/bin/env bash
# Runs the whole test suite (installing what is missing first).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
exec swift test "$@"
