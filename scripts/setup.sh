#!/usr/bin/env bash
# Everything a fresh Debian 12 machine with Node 20 needs: pnpm, the workspace's packages, and
# (when we may use apt) Debian's real Fashion-MNIST for the examples and their tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null || [ "$(pnpm -v)" != "10.34.9" ]; then
  npm install -g pnpm@10.34.9
fi
pnpm install --frozen-lockfile
if command -v apt-get >/dev/null && [ ! -d /usr/share/datasets/fashion-mnist ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update && apt-get install -y dataset-fashion-mnist
  elif command -v sudo >/dev/null; then
    sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist
  else
    echo "setup: not root and no sudo: skipping dataset-fashion-mnist (the Fashion-MNIST examples will say how to install it)"
  fi
fi
