#!/usr/bin/env bash
# Builds the oracles the differential tests and benchmarks compare against, outside the repository:
#   $ELIXIRSCOPE_ORACLES/elixir-1.18.4/bin/elixir   Elixir 1.18.4 (make compile on Debian's OTP)
#   $ELIXIRSCOPE_ORACLES/credo-1.7.19/credo         Credo 1.7.19, compiled with MIX_ENV=prod
# from the release tarballs in ../shared/oracles (override with ELIXIRSCOPE_SHARED).
# Needs Debian's elixir and erlang-dev (yeccpre.hrl). Idempotent: a finished build is kept.
# test/support/prerequisites.ts finds the results at the same default place.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${ELIXIRSCOPE_SHARED:-$root/../shared}"
dest="${ELIXIRSCOPE_ORACLES:-$HOME/.cache/elixirscope/oracles}"
mkdir -p "$dest"

build_elixir() {
  local dir="$dest/elixir-1.18.4"
  if [ -x "$dir/bin/elixir" ] && [ -f "$dir/.built" ]; then
    echo "oracles: Elixir 1.18.4 already at $dir"
    return
  fi
  rm -rf "$dir"
  tar -xJf "$shared/oracles/elixir-1.18.4.tar.xz" -C "$dest"
  make -C "$dir" compile >"$dest/elixir-1.18.4.build.log" 2>&1 || {
    tail -n 40 "$dest/elixir-1.18.4.build.log" >&2
    echo "oracles: building Elixir 1.18.4 failed (is erlang-dev installed?)" >&2
    exit 1
  }
  touch "$dir/.built"
  echo "oracles: Elixir $("$dir/bin/elixir" -e 'IO.write System.version()') at $dir"
}

build_credo() {
  local dir="$dest/credo-1.7.19"
  if [ -f "$dir/.built" ]; then
    echo "oracles: Credo 1.7.19 already at $dir/credo"
    return
  fi
  rm -rf "$dir"
  tar -xJf "$shared/oracles/credo-1.7.19.tar.xz" -C "$dest"
  (cd "$dir/credo" && MIX_ENV=prod mix compile) >"$dest/credo-1.7.19.build.log" 2>&1 || {
    tail -n 40 "$dest/credo-1.7.19.build.log" >&2
    echo "oracles: building Credo 1.7.19 failed" >&2
    exit 1
  }
  touch "$dir/.built"
  echo "oracles: Credo 1.7.19 at $dir/credo"
}

build_elixir
build_credo
