#!/bin/sh
# For compare.py: `compare.py --gazette bench/full-build.sh` times full builds over the
# previous output, as Hugo's and Zola's builds in compare.py are: the build cache's record
# is removed first, so every page is loaded, rendered and compared with the file already
# there (unchanged files are not rewritten). The removal of one small file is timed too.
# Called as: full-build.sh build --output DIR
for last; do :; done
rm -f "$(dirname "$last")/.$(basename "$last").gazette-cache"
exec "$(dirname "$0")/../target/release/gazette" "$@"
