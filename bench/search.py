#!/usr/bin/env python3
"""What search costs: builds with [search] on against the same builds with it off, and
what a browser downloads for a first one-word query.

  bench/search.py [-n 10000] [--runs 3] [--gazette target/release/gazette] [--word WORD]

The corpus is bench.py's (/tmp/gazette-bench-N/gazette-site, generated once). It is
copied twice, one copy with `[search] enabled = true`, and each is built, alternating
(medians of --runs, output on /dev/shm when present):

  cold       empty output, no build record, no search cache: everything made
  unchanged  `gazette build` again: nothing changed, the build record skips the build
  one edit   a sentence appended to one article: its part of the index made again, the
             other parts taken from .gazette-cache/search/

Then the search copy's output is served by a counting static server (Python's
http.server) and headless Chromium opens /search/?q=WORD, as a reader arriving from the
masthead's box would: every byte the server sends until the results are on the page (the
page itself, its style sheet, the client, the index's list of parts, one chunk per part,
the shown results' fragments) is counted, and the results are checked to be there.

Needs Chromium (`apt-get install chromium`). Timings on shared machines are noisy:
compare figures from one run, not across runs.
"""
import argparse
import http.server
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import age, corpus, run, restore  # noqa: E402

OUT_ROOT = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()


def fresh(site, out):
    for path in (out, os.path.join(os.path.dirname(out), f".{os.path.basename(out)}.gazette-cache"),
                 os.path.join(site, ".gazette-cache")):
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)


def copy_site(source, target, search):
    if os.path.exists(target):
        shutil.rmtree(target)
    shutil.copytree(source, target)
    if search:
        with open(os.path.join(target, "config.toml"), "a") as f:
            f.write("\n[search]\nenabled = true\n")
    age(target)


def download(binary, site, word):
    """Bytes sent for the search page with ?q=word, and whether results showed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = os.path.join(OUT_ROOT, "gazette-search-download")
    fresh(site, out)
    subprocess.run([binary, "build", "--future", "--output", out,
                    "--base-url", f"http://127.0.0.1:{port}/"],
                   cwd=site, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sent = []

    class Counting(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=out, **kwargs)

        def copyfile(self, source, outputfile):
            data = source.read()
            sent.append((self.path, len(data)))
            outputfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={profile}", "--virtual-time-budget=20000", "--dump-dom",
             f"http://127.0.0.1:{port}/search/?q={word}"],
            capture_output=True, text=True, timeout=120).stdout
    server.shutdown()
    results = dom.count('class="search-result"')
    return sent, results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gazette", default=os.path.join(HERE, "..", "target", "release", "gazette"))
    ap.add_argument("--word", default="semiconductor")
    args = ap.parse_args()
    binary = os.path.abspath(args.gazette)
    source = corpus(args.n)
    sites = {"off": f"/tmp/gazette-search-bench-{args.n}/off", "on": f"/tmp/gazette-search-bench-{args.n}/on"}
    for mode, site in sites.items():
        copy_site(source, site, mode == "on")
    outs = {mode: os.path.join(OUT_ROOT, f"gazette-search-{mode}") for mode in sites}
    figures = {(kind, mode): [] for kind in ("cold", "unchanged", "one edit") for mode in sites}
    for _ in range(args.runs):
        for mode, site in sites.items():
            fresh(site, outs[mode])
            figures[("cold", mode)].append(run(binary, site, outs[mode])[:2])
            figures[("unchanged", mode)].append(run(binary, site, outs[mode])[:2])
            article = os.path.join(site, "content", "article-000042.md")
            with open(article, encoding="utf-8") as f:
                text = f.read()
            restore(article, text + f"\nCorrected at {time.time_ns()}.\n")
            figures[("one edit", mode)].append(run(binary, site, outs[mode])[:2])
    print(f"{args.n} articles, medians of {args.runs} (seconds, peak MiB)")
    print(f"{'build':<10} {'off':>14} {'on':>14} {'added':>14}")
    for kind in ("cold", "unchanged", "one edit"):
        off = [statistics.median(x) for x in zip(*figures[(kind, "off")])]
        on = [statistics.median(x) for x in zip(*figures[(kind, "on")])]
        print(f"{kind:<10} {off[0]:>7.3f} {off[1]:>6.0f} {on[0]:>7.3f} {on[1]:>6.0f} "
              f"{on[0] - off[0]:>+7.3f} {on[1] - off[1]:>+6.0f}")
    if shutil.which("chromium"):
        sent, results = download(binary, sites["on"], args.word)
        total = sum(size for _, size in sent)
        kinds = {}
        for path, size in sent:
            name = path.split("?")[0].rsplit("/", 1)[-1]
            kind = ("chunk" if name.startswith("c") and name.endswith(".json") else
                    "fragment" if name.startswith("f") and name.endswith(".json") else name or "page")
            count, bytes_ = kinds.get(kind, (0, 0))
            kinds[kind] = (count + 1, bytes_ + size)
        print(f"first query \"{args.word}\": {results} results shown, {len(sent)} requests, "
              f"{total / 1024:.1f} KiB sent")
        for kind, (count, bytes_) in sorted(kinds.items(), key=lambda k: -k[1][1]):
            print(f"  {kind:<24} {count:>4} × {bytes_ / 1024:>8.1f} KiB")
    else:
        print("chromium not installed: download not measured")


if __name__ == "__main__":
    main()
