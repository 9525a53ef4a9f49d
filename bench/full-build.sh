#!/bin/sh
# For compare.py: `compare.py --gazette bench/full-build.sh` times full builds over the
# previous output, as Hugo's and Zola's builds in compare.py are. config.toml is first
# marked as changed a minute ago (a different time each run), so the build cache sees an
# input changed, as after an edit: every page is loaded, rendered and compared with the
# file already there (unchanged files are not rewritten). Run from the site folder, as
# compare.py does. Called as: full-build.sh build --output DIR
touch -d "@$(( $(date +%s) - 60 ))" config.toml
exec "$(dirname "$0")/../target/release/gazette" "$@"
