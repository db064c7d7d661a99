#!/usr/bin/env bash
# Runs the whole test suite (installing what is missing first, Chromium for the report's browser check
# included; HARLAB_SKIP_BROWSER=1 skips that check and does not install Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
harlab_setup_tests=1
source scripts/setup.sh
exec swift test "$@"
