#!/usr/bin/env bash
# The main job: build harlab (release) and run examples/quickstart.har on the built-in synthetic dataset.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product har >&2
exec .build/release/har examples/quickstart.har "$@"
