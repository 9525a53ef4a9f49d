#!/usr/bin/env python3
"""Import a generated WordPress export and build it: time and peak memory.

  bench/wxr.py [-n 10000] [--runs 3] [--gazette target/release/gazette]

Writes a WXR 1.2 file of N posts (the benchmark corpus's articles, as WordPress stores
them: paragraphs by blank lines, <h2>, a <blockquote>, a [caption] and a [code]
shortcode in some, categories, tags, an author each, a featured image attachment for one
post in ten) to /tmp/gazette-wxr-N/export.xml, with an uploads folder holding small
JPEGs for the attachments. Then, --runs times, into a fresh site each time:

  import    gazette import --from wordpress export.xml --uploads uploads
  again     the same import over its own result (idempotent: nothing written)
  build     gazette build --future of what was imported (output on /dev/shm when there)

and prints the median of each. Needs Pillow (pip install pillow) for the JPEGs.
Timings on shared machines are noisy: compare figures from one run.
"""
import argparse
import html
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_corpus  # noqa: E402


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def export(n, folder):
    path = os.path.join(folder, "export.xml")
    if os.path.exists(path):
        return path
    arts, _ = gen_corpus.build_articles(n, 42)
    authors = sorted({a for art in arts for a in art["authors"]})
    logins = {a: a.lower().replace(" ", ".") for a in authors}
    sections = ["news", "reviews", "business", "science", "opinion"]
    uploads = os.path.join(folder, "uploads")
    from PIL import Image
    out = [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">',
        "<channel><title>Bench News</title><link>https://old.example.com</link>",
        "<wp:wxr_version>1.2</wp:wxr_version>",
        "<wp:base_site_url>https://old.example.com</wp:base_site_url>",
        "<wp:base_blog_url>https://old.example.com</wp:base_blog_url>",
    ]
    for a in authors:
        out.append(f"<wp:author><wp:author_login>{cdata(logins[a])}</wp:author_login>"
                   f"<wp:author_display_name>{cdata(a)}</wp:author_display_name></wp:author>")
    for s in sections:
        out.append(f"<wp:category><wp:category_nicename>{s}</wp:category_nicename>"
                   f"<wp:category_parent></wp:category_parent>"
                   f"<wp:cat_name>{cdata(s.capitalize())}</wp:cat_name></wp:category>")
    post_id = 1
    for i, art in enumerate(arts):
        post_id += 2
        d = art["date"]
        ymd = d.strftime("%Y/%m/%d")
        when = d.strftime("%Y-%m-%d %H:%M:%S")
        paras = [html.escape(p, quote=False) for p in art["paras"]]
        if len(paras) > 6:
            paras.insert(4, "<h2>What it means</h2>")
        paras.insert(2, f"<blockquote>{paras.pop(2)}</blockquote>")
        meta = ""
        if i % 10 == 0:
            name = f"{d:%Y/%m}/lead-{i}.jpg"
            file = os.path.join(uploads, name)
            os.makedirs(os.path.dirname(file), exist_ok=True)
            Image.new("RGB", (320, 200), ((i * 7) % 255, 90, 140)).save(file, quality=80)
            url = f"https://old.example.com/wp-content/uploads/{name}"
            paras.insert(1, f'[caption id="attachment_{post_id + 1}" width="320"]'
                            f'<img src="{url}" alt="Lead {i}" width="320" height="200" /> '
                            f'A photo of the launch[/caption]')
            meta = (f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{post_id + 1}</wp:meta_value></wp:postmeta>")
            out.append(
                f"<item><title>Lead {i}</title><wp:post_id>{post_id + 1}</wp:post_id>"
                f"<wp:post_parent>{post_id}</wp:post_parent>"
                f"<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                f"<wp:attachment_url>{url}</wp:attachment_url>"
                f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                f"<wp:meta_value>{cdata('Lead ' + str(i))}</wp:meta_value></wp:postmeta></item>")
        if art["code"]:
            paras.insert(3, '[code lang="rust"]fn main() { println!("users: {}", 5 < 6); }[/code]')
        slug = art["slug"]
        categories = f'<category domain="category" nicename="{sections[i % 5]}">{cdata(sections[i % 5].capitalize())}</category>'
        categories += "".join(
            f'<category domain="post_tag" nicename="{t.lower()}">{cdata(t)}</category>' for t in art["tags"])
        out.append(
            f"<item><title>{html.escape(art['title'])}</title>"
            f"<link>https://old.example.com/{ymd}/{slug}/</link>"
            f"<dc:creator>{cdata(logins[art['authors'][0]])}</dc:creator>"
            f"<guid isPermaLink=\"false\">https://old.example.com/?p={post_id}</guid>"
            f"<content:encoded>{cdata(chr(10).join(p + chr(10) for p in paras))}</content:encoded>"
            f"<excerpt:encoded>{cdata('')}</excerpt:encoded>"
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{cdata(when)}</wp:post_date>"
            f"<wp:post_date_gmt>{cdata(when)}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>"
            f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>{categories}{meta}</item>")
    out.append("</channel></rss>")
    os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return path


def timed(args, cwd):
    t0 = time.perf_counter()
    p = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    stdout, stderr = p.stdout.read().decode(), p.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr}")
    return wall, usage.ru_maxrss / 1024.0, stdout.strip().splitlines()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only-export", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--gazette", default=os.path.join(HERE, "..", "target", "release", "gazette"))
    args = ap.parse_args()
    binary = os.path.abspath(args.gazette)
    folder = f"/tmp/gazette-wxr-{args.n}"
    if args.only_export:
        export(args.n, folder)
        return
    # Generated in a child process: a process forked from this one would otherwise start
    # with the generator's memory, and its peak would count it.
    subprocess.run([sys.executable, __file__, "-n", str(args.n), "--only-export"], check=True)
    xml = os.path.join(folder, "export.xml")
    print(f"{xml}: {os.path.getsize(xml) / 2**20:.1f} MiB, {args.n} posts")
    scratch = "/dev/shm" if os.path.isdir("/dev/shm") else None
    results = {"import": [], "again": [], "build": []}
    for _ in range(args.runs):
        site = tempfile.mkdtemp(prefix="gazette-wxr-site-", dir=scratch)
        try:
            with open(os.path.join(site, "config.toml"), "w") as f:
                f.write('title = "Bench News"\nbase_url = "https://example.org"\n')
            command = [binary, "import", "--from", "wordpress", xml, "--uploads",
                       os.path.join(folder, "uploads")]
            results["import"].append(timed(command, site))
            results["again"].append(timed(command, site))
            # The build cache ignores inputs younger than 2 s: age them as bench.py does.
            old = time.time() - 60
            for dirpath, _, files in os.walk(site):
                for name in files:
                    os.utime(os.path.join(dirpath, name), (old, old))
            results["build"].append(timed([binary, "build", "--future"], site))
        finally:
            shutil.rmtree(site, ignore_errors=True)
    for stage, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        said = [line for line in runs[-1][2] if line.startswith(("imported", "built"))]
        print(f"{stage:7} {wall:6.2f} s  {rss:7.1f} MiB   {said[0] if said else ''}")


if __name__ == "__main__":
    main()
