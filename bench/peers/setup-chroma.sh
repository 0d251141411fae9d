#!/usr/bin/env bash
# Installs the Chroma server the dense benchmark compares against: npm chromadb 3.0.9, whose `chroma` CLI runs the
# Rust server inside Node through chromadb-js-bindings-linux-x64-gnu, pinned to 1.0.1 by package.json's overrides
# (chromadb asks for ^1.0.1, and later bindings are a different server). Installs into bench/peers/node_modules
# (git-ignored) from package-lock.json, so every machine runs the same build. Prints the chroma executable's path.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v npm >/dev/null; then
  echo "npm is required (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error >&2

installed() { node -p "require('./node_modules/$1/package.json').version"; }
chromadb=$(installed chromadb)
bindings=$(installed chromadb-js-bindings-linux-x64-gnu)
if [[ "$chromadb" != 3.0.9 || "$bindings" != 1.0.1 ]]; then
  echo "expected chromadb 3.0.9 with bindings 1.0.1, got $chromadb with $bindings" >&2
  exit 1
fi
echo "$PWD/node_modules/.bin/chroma"
