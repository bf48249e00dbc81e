#!/usr/bin/env bash
# Everything a fresh Debian 12 machine with Node 20 needs: pnpm, the workspace's packages, and
# (when we may use apt) Debian's real Fashion-MNIST, Mesa's EGL for WebGPU in Node, and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null || [ "$(pnpm -v)" != "10.34.9" ]; then
  npm install -g pnpm@10.34.9
fi
# onnxruntime-node (ONNX export tests) must not try to download CUDA providers if its script runs.
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip
pnpm install --frozen-lockfile
# Debian packages, installed in one apt-get call when any is missing: the real Fashion-MNIST for
# the examples; Mesa's EGL for WebGPU in Node (Dawn dlopens the unversioned libEGL.so, which only
# libegl-dev ships); Chromium, whose SwiftShader WebGPU runs the browser example's test.
APT_PACKAGES=(dataset-fashion-mnist libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev chromium)
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if command -v apt-get >/dev/null && [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  elif command -v sudo >/dev/null; then
    sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    echo "setup: not root and no sudo: skipping ${missing[*]} (the Fashion-MNIST examples, WebGPU tests and the browser example's test will say how to install them)"
  fi
fi
