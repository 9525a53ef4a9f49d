#!/bin/sh
# For compare.py: `compare.py --gazette bench/fresh-build.sh` times full builds from an
# empty output folder (compare.py rebuilds into the same folder, which gazette's build cache
# would otherwise recognise as up to date). The removal is timed too.
# Called as: fresh-build.sh build --output DIR
for last; do :; done
rm -rf "$last" "$(dirname "$last")/.$(basename "$last").gazette-cache"
exec "$(dirname "$0")/../target/release/gazette" "$@"
