#!/bin/sh
# For compare.py: `compare.py --gazette bench/fresh-build.sh` times full builds from an
# empty output folder (compare.py rebuilds into the same folder, which gazette's build cache
# would otherwise recognise as up to date). The removal of the previous output is timed
# too, and is not free: about 0.7 s for the 10,000-article corpus on tmpfs. `bench.py`
# times builds from an empty folder without it.
# Called as: fresh-build.sh build --output DIR
for last; do :; done
rm -rf "$last" "$(dirname "$last")/.$(basename "$last").gazette-cache"
exec "$(dirname "$0")/../target/release/gazette" "$@"
