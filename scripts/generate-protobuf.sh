#!/usr/bin/env bash
# Regenerates the committed Swift code of the protobuf messages harlab writes (TensorBoard's event files, from the
# .proto subsets under Protos/). Run by hand after changing a .proto; no build runs it.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift of the swift-protobuf version Package.swift resolves
# (PROTOC_GEN_SWIFT names it when it is not on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
[ -x "$plugin" ] || { echo "generate-protobuf: protoc-gen-swift not found (set PROTOC_GEN_SWIFT)" >&2; exit 1; }

out=Sources/HARKit/TensorBoard/Generated
rm -rf "$out"
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" --proto_path=Protos \
  --swift_opt=FileNaming=PathToUnderscores --swift_opt=Visibility=Internal --swift_out="$out" \
  Protos/tensorboard/*.proto
echo "generate-protobuf: wrote $(ls "$out" | tr '\n' ' ')"
