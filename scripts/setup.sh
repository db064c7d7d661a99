#!/usr/bin/env bash
# Installs what harlab needs and is missing (libtorch, libedit, OpenBLAS, rsvg-convert) on Debian/Ubuntu.
# Idempotent: does nothing when everything is present. Sourced by the other scripts.
# A script that sets harlab_setup_tests=1 before sourcing it also gets what only the tests need: Chromium,
# for the report's browser check (HARLAB_SKIP_BROWSER=1 leaves it out, and that check then skips), and Debian's
# python3-torch (PyTorch 1.13 on the same libtorch), which reads harlab's checkpoints back with torch.load
# (HARLAB_SKIP_PYTORCH=1 leaves it out, and that check then skips). It also gets the test-only Python tools — ONNX
# Runtime and the ONNX checker (`onnx`), which run exported models, and TensorBoard, whose reader reads harlab's
# event files — in a virtual environment of the project's own, `.build/python-tools` (PyPI, ~300 MB, about 20 s;
# HARLAB_SKIP_PYTHON_TOOLS=1 leaves it out, and those checks then skip).
set -euo pipefail

need=()
if [ -z "${LIBTORCH:-}" ]; then
  dpkg -s libtorch-dev >/dev/null 2>&1 || need+=(libtorch-dev)
  # Distributed training compiles against c10d's ProcessGroupGloo, whose header includes Gloo's own headers;
  # libtorch_cpu already links Debian's libgloo0, libgloo-dev adds only the headers.
  dpkg -s libgloo-dev >/dev/null 2>&1 || need+=(libgloo-dev)
  # ATen's AVX2/AVX-512 vector headers include sleef.h: without it the fused kernels are built for the baseline
  # ISA only (FusedSpatialAttentionTests then fails on an AVX2/AVX-512 CPU). The one-pass LSTM cell also links
  # libsleef for its vector exp and tanh (Package.swift, linksSleef).
  dpkg -s libsleef-dev >/dev/null 2>&1 || need+=(libsleef-dev)
  # Debian's libtorch takes its matrix products (Linear, LSTM, GRU, attention) from whatever provides
  # libblas.so.3; without OpenBLAS that is the Netlib reference BLAS, many times slower. The OpenMP build
  # shares libtorch's thread pool instead of starting threads of its own.
  dpkg -s libopenblas0-openmp >/dev/null 2>&1 || need+=(libopenblas0-openmp)
  # libtorch links the system's oneDNN (libdnnl2) for its convolutions; its header lets the recurrent layers' matrix
  # products use oneDNN's sgemm too (faster than OpenBLAS on their shapes; Sources/CTorch/ctorch_gemm.h).
  dpkg -s libdnnl-dev >/dev/null 2>&1 || need+=(libdnnl-dev)
fi
dpkg -s libedit-dev >/dev/null 2>&1 || need+=(libedit-dev)
# `plot … to FILE.png` rasterises the plot's SVG with librsvg's rsvg-convert.
dpkg -s librsvg2-bin >/dev/null 2>&1 || need+=(librsvg2-bin)
if [ "${harlab_setup_tests:-0}" = 1 ] && [ "${HARLAB_SKIP_BROWSER:-0}" != 1 ]; then
  dpkg -s chromium >/dev/null 2>&1 || need+=(chromium)
fi
if [ "${harlab_setup_tests:-0}" = 1 ] && [ "${HARLAB_SKIP_PYTORCH:-0}" != 1 ]; then
  dpkg -s python3-torch >/dev/null 2>&1 || need+=(python3-torch)
fi

if [ "${harlab_setup_tests:-0}" = 1 ] && [ "${HARLAB_SKIP_PYTHON_TOOLS:-0}" != 1 ]; then
  dpkg -s python3-venv >/dev/null 2>&1 || need+=(python3-venv)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "harlab setup: installing ${need[*]} (once; a minute or a few)" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || { echo "harlab setup: the Swift toolchain is not on PATH" >&2; exit 1; }

# The test-only Python tools, installed once into .build/python-tools; the marker names the package set, so a
# changed set reinstalls.
python_tools_packages="onnx onnxruntime tensorboard"
if [ "${harlab_setup_tests:-0}" = 1 ] && [ "${HARLAB_SKIP_PYTHON_TOOLS:-0}" != 1 ]; then
  python_tools=".build/python-tools"
  if [ "$(cat "$python_tools/harlab-packages" 2>/dev/null)" != "$python_tools_packages" ]; then
    echo "harlab setup: installing $python_tools_packages into $python_tools (once; about 20 s)" >&2
    rm -rf "$python_tools"
    /usr/bin/python3 -m venv "$python_tools"
    # shellcheck disable=SC2086
    "$python_tools/bin/pip" install -q --disable-pip-version-check $python_tools_packages
    echo "$python_tools_packages" > "$python_tools/harlab-packages"
  fi
fi
