#!/usr/bin/env python3
"""Build generated corpora with gazette and print time and peak memory.

  bench/bench.py [--sizes 1000,10000,100000] [--runs 3] [--gazette target/release/gazette]
                 [--reference OTHER_GAZETTE]

For each size N, a corpus is generated once with bench/gen_corpus.py (a copy of the
shared generator) into /tmp/gazette-bench-N/gazette-site, the layout compare.py uses,
and built three ways, each the median of --runs:

  fresh      output folder deleted first: every file rendered and written
  unchanged  `gazette build` again: the build cache finds nothing to do
  one edit   a sentence appended to one article: every article loaded, the pages
             showing it rendered (their signatures changed), what differs written
  one added  a new article, newest of all (publishing): its page, the home pages and
             the lists and feeds it joins rendered
  full       `--no-cache` over the previous output: every page rendered and compared

Builds use `--future`: the generator dates articles a few hours apart from 2012 on, so a
large corpus runs decades past today, and a plain build would leave those out as
scheduled.

Output goes to /dev/shm when present (disk writes on a shared virtual disk are noisier
than the builds). With --reference, the same corpus is also built by another gazette
binary (say, one built from an older commit) and the two trees must be byte-identical:
that is how an optimisation shows it changed nothing.

Timings on shared machines are noisy: compare figures from one run, not across runs.
"""
import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus(n):
    site = f"/tmp/gazette-bench-{n}/gazette-site"
    if not os.path.exists(os.path.join(site, "config.toml")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--format", "content",
                        "-n", str(n), "--out", os.path.join(site, "content")],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(site, "config.toml"), "w") as f:
            f.write('title = "Bench News"\nbase_url = "https://example.org"\npaginate_by = 10\n')
        age(site)
    return site


def age(site):
    """Makes every file of `site` a minute old: old enough for the build cache to trust (it
    ignores inputs younger than 2 s)."""
    old = time.time() - 60
    for dirpath, _, files in os.walk(site):
        for name in files:
            os.utime(os.path.join(dirpath, name), (old, old))


def run(binary, site, out, *extra):
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "build", "--future", "--output", out, *extra], cwd=site,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    stdout, stderr = p.stdout.read().decode(), p.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{stderr}")
    return wall, usage.ru_maxrss / 1024.0, stdout.strip().splitlines()[-1]


def restore(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.utime(path, (time.time() - 60,) * 2)


def same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(
        same_tree(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gazette", default="target/release/gazette")
    ap.add_argument("--reference", help="another gazette binary whose output must be identical")
    args = ap.parse_args()
    binary = os.path.abspath(args.gazette)
    out_root = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"
    print(f"{'articles':>9} {'build':>10} {'wall s':>8} {'peak MiB':>9}  the build said")
    for n in (int(s) for s in args.sizes.split(",")):
        site = corpus(n)
        out = os.path.join(out_root, f"gazette-bench-out-{n}")
        edited = os.path.join(site, "content", "article-000042.md")
        original = open(edited, encoding="utf-8").read()
        added = os.path.join(site, "content", "bench-added-article.md")
        results = {"fresh": [], "unchanged": [], "one edit": [], "one added": [], "full": []}
        try:
            for i in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                results["fresh"].append(run(binary, site, out))
                results["unchanged"].append(run(binary, site, out))
                with open(edited, "a", encoding="utf-8") as f:
                    f.write(f"\n\nEdit {i}.\n")
                results["one edit"].append(run(binary, site, out))
                restore(edited, original)
                restore(added, original.replace("title = ", 'title = "Just published" #', 1)
                        .replace("date = ", "date = 2199-01-01T00:00:00Z #", 1))
                results["one added"].append(run(binary, site, out))
                os.remove(added)
                results["full"].append(run(binary, site, out, "--no-cache"))
        finally:
            restore(edited, original)
            if os.path.exists(added):
                os.remove(added)
        for kind, rs in results.items():
            wall = statistics.median(r[0] for r in rs)
            peak = statistics.median(r[1] for r in rs)
            line = rs[-1][2]
            # What was written and rendered, else (a skipped build) the whole line.
            said = ("up to date: nothing rendered" if "is up to date" in line
                    else line[line.rfind("("):])
            print(f"{n:>9} {kind:>10} {wall:8.3f} {peak:9.1f}  {said[:90]}", flush=True)
        if args.reference:
            ref_out = os.path.join(out_root, f"gazette-bench-ref-{n}")
            shutil.rmtree(ref_out, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            run(os.path.abspath(args.reference), site, ref_out)
            run(binary, site, out)
            same = same_tree(out, ref_out)
            print(f"{n:>9} {'same tree as ' + os.path.basename(args.reference) + ':':>20} {same}")
            shutil.rmtree(ref_out, ignore_errors=True)
            if not same:
                raise SystemExit(1)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
