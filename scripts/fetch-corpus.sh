#!/usr/bin/env bash
# Fetches the Elixir 1.14 source tree (Debian's source package elixir-lang) into corpus/.
# The corpus is the parser's and the extractor's differential test input; it is never committed.
# Idempotent: does nothing when corpus/elixir/ already holds the unpacked tree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/corpus"
if [ -f "$dest/elixir/lib/elixir/src/elixir_parser.yrl" ]; then
  echo "corpus: already at $dest/elixir"
  exit 0
fi
# apt-get source needs deb-src lines; add them for the machine's own suites (deb822 format on bookworm).
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/elixirscope-src.sources
  apt-get update -qq
fi
command -v dpkg-source >/dev/null || apt-get install -y -qq dpkg-dev >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
( cd "$work" && apt-get source --download-only elixir-lang >/dev/null )
orig="$(ls "$work"/elixir-lang_*.orig.tar.* | head -n 1)"
mkdir -p "$dest/elixir"
tar -xf "$orig" -C "$dest/elixir" --strip-components=1
count="$(find "$dest/elixir" -name '*.ex' -o -name '*.exs' | wc -l)"
echo "corpus: $count .ex/.exs files in $dest/elixir"
