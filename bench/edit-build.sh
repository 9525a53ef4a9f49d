#!/bin/sh
# For compare.py: `compare.py --gazette bench/edit-build.sh` times builds after one
# article was edited (a sentence appended to content/article-000042.md, the article
# compare.py's --edit measures), as a writer's `gazette build` after a correction: every
# article is loaded, and the pages the edit touches are rendered. Run from the site
# folder, as compare.py does; the corpus's article grows by a line per run.
# Called as: edit-build.sh build --output DIR
printf '\nCorrected at %s.\n' "$(date +%s%N)" >> content/article-000042.md
exec "$(dirname "$0")/../target/release/gazette" "$@"
