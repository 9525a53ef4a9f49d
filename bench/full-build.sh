#!/bin/sh
# For compare.py: `compare.py --gazette bench/full-build.sh` times full builds over the
# previous output, as Hugo's and Zola's builds in compare.py are: `--no-cache` makes the
# build ignore its record of the last build, so every page is loaded, rendered and
# compared with the file already there (unchanged files are not rewritten).
# Called as: full-build.sh build --output DIR
exec "$(dirname "$0")/../target/release/gazette" "$@" --no-cache
