#!/usr/bin/env bash
# Runs the whole test suite (installing what is missing first: Chromium for the report's browser check and Debian's
# python3-torch for reading checkpoints back with PyTorch included; HARLAB_SKIP_BROWSER=1 / HARLAB_SKIP_PYTORCH=1
# skip those checks and their installs).
set -euo pipefail
cd "$(dirname "$0")/.."
harlab_setup_tests=1
source scripts/setup.sh
exec swift test "$@"
