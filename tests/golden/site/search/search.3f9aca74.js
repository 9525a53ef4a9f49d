// Gazette's search client: reads the index `gazette build` writes under search/ (see
// src/search/part.rs for its files) and shows results on the search page. It fetches only
// files of the site: the list of parts, one word chunk per part for each word typed, the
// fragments of the results shown and, when the reader filters or sorts, each part's table.
// Words are split and lowercased exactly as src/search/text.rs does.
(() => {
  "use strict";
  const box = document.getElementById("search");
  if (!box) return;
  const form = box.querySelector("form");
  const input = form.querySelector("input[name=q]");
  const status = box.querySelector(".search-status");
  const list = box.querySelector(".search-results");
  const more = box.querySelector(".search-more");
  const details = box.querySelector(".search-filters");
  const controls = box.querySelector(".search-controls");
  const indexUrl = new URL(box.dataset.index, location.href);
  const siteRoot = new URL(box.dataset.root, location.href);
  const PAGE = 10;
  const WORD = /[\p{Alphabetic}\p{N}]+/gu;
  const NOT_WORD = /[^\p{Alphabetic}\p{N}]+/u;
  // A result is identified by its part and its place in it.
  const SPAN = 1 << 20;
  // Fragments per file (FRAGMENTS_PER_FILE in part.rs).
  const PER_FILE = 2;

  const fetched = new Map();
  const json = (url) => {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url}: ${r.status}`);
        return r.json();
      }));
    }
    return fetched.get(url);
  };
  const at = (part, name) => new URL(`${part.dir}/${name}`, indexUrl).href;

  const words = (text) =>
    text.split(NOT_WORD).filter((w) => w && [...w].length <= 40).map((w) => w.toLowerCase());
  const key = (word) => [...word].slice(0, 4).join("");
  const MASK = (1n << 64n) - 1n;
  const fnv1a = (text) => {
    let hash = 0xcbf29ce484222325n;
    for (const byte of new TextEncoder().encode(text)) {
      hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK;
    }
    return hash;
  };
  const chunkOf = (part, word) => Number(fnv1a(key(word)) % BigInt(part.chunks));
  const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // Postings from their text (see `encode` in part.rs): [doc, weight] pairs.
  const decode = (text) => {
    const numbers = [];
    let n = 0;
    let shift = 0;
    for (const c of text) {
      const digit = DIGITS.indexOf(c);
      n += (digit & 31) * 2 ** shift;
      shift += 5;
      if ((digit & 32) === 0) {
        numbers.push(n);
        n = 0;
        shift = 0;
      }
    }
    const pairs = [];
    let doc = -1;
    for (let i = 0; i + 1 < numbers.length; i += 2) {
      doc += numbers[i];
      pairs.push([doc, numbers[i + 1]]);
    }
    return pairs;
  };

  let manifest = null;
  let current = null; // {query, ids, family, shown}
  let tables = null;

  // The stems of `chunk` a query word finds: its own word's; else, for a word no article
  // has, the longest stem beginning it ("launch" for "launches": the index was stemmed,
  // the query is not); else, for the word being typed, those of the words it begins.
  // `how` says which: "word", "stem" or "prefix", the first that finds any in some part.
  function stemsOf(chunk, term, how) {
    const stems = new Set();
    if (how === "word") {
      if (Object.hasOwn(chunk.words, term)) stems.add(chunk.words[term]);
    } else if (how === "stem") {
      let best = -1;
      chunk.roots.forEach((root, i) => {
        const rest = term.length - root.length;
        if (root.length >= 3 && rest > 0 && rest <= 4 && term.startsWith(root)
          && (best < 0 || root.length > chunk.roots[best].length)) best = i;
      });
      if (best >= 0) stems.add(best);
    } else {
      for (const [word, stem] of Object.entries(chunk.words)) {
        if (word.startsWith(term)) stems.add(stem);
      }
    }
    return stems;
  }

  // The articles holding every word of `query` (or a word of its stem), best first.
  async function find(query) {
    manifest ??= await json(indexUrl.href);
    const terms = [...new Set(words(query))];
    if (terms.length === 0) return null;
    const found = await Promise.all(terms.map(async (term, t) => {
      const chunks = await Promise.all(
        manifest.parts.map((part) => json(at(part, `c${chunkOf(part, term)}.json`))));
      const ways = ["word", "stem"];
      if (t === terms.length - 1 && [...term].length >= 4) ways.push("prefix");
      const how = ways.find((way) => chunks.some((c) => stemsOf(c, term, way).size > 0));
      const weights = new Map();
      const family = new Set();
      chunks.forEach((chunk, p) => {
        const stems = how ? stemsOf(chunk, term, how) : new Set();
        for (const [word, stem] of Object.entries(chunk.words)) {
          if (stems.has(stem)) family.add(word);
        }
        for (const stem of stems) {
          for (const [d, weight] of decode(chunk.stems[stem])) {
            const id = p * SPAN + d;
            weights.set(id, Math.max(weights.get(id) ?? 0, weight));
          }
        }
      });
      return { weights, family };
    }));
    let ids = [...found[0].weights.keys()];
    for (const term of found.slice(1)) ids = ids.filter((id) => term.weights.has(id));
    const n = manifest.articles;
    const score = new Map(ids.map((id) => [id, 0]));
    for (const { weights } of found) {
      const idf = Math.log(1 + (n - weights.size + 0.5) / (weights.size + 0.5));
      for (const id of ids) score.set(id, score.get(id) + idf * weights.get(id));
    }
    ids.sort((a, b) => score.get(b) - score.get(a) || a - b);
    const family = new Set(found.flatMap((f) => [...f.family]));
    return { query, ids, family };
  }

  const FACETS = ["author", "tag", "section"];

  // The part tables (dates and filters), fetched once a reader opens "Filter and sort",
  // and turned around: for each article of a part, its values of each facet (a common
  // word's thousands of results are then counted and filtered in one pass).
  async function loadTables() {
    if (tables) return tables;
    const loaded = await Promise.all(manifest.parts.map((part) => json(at(part, "docs.json"))));
    tables = loaded.map((table) => {
      const byDoc = { days: table.days };
      for (const facet of FACETS) {
        const values = new Map();
        for (const [value, docs] of Object.entries(table[facet])) {
          for (const d of docs) {
            if (!values.has(d)) values.set(d, []);
            values.get(d).push(value);
          }
        }
        byDoc[facet] = values;
      }
      return byDoc;
    });
    return tables;
  }
  const valuesOf = (id, facet) => tables[part(id)][facet].get(doc(id)) ?? [];

  const part = (id) => Math.floor(id / SPAN);
  const doc = (id) => id % SPAN;

  // The results after the reader's filters and order.
  function chosen() {
    let ids = current.ids;
    if (!tables) return ids;
    for (const select of controls.querySelectorAll("select[data-facet]")) {
      if (!select.value) continue;
      const facet = select.dataset.facet;
      ids = ids.filter((id) => valuesOf(id, facet).includes(select.value));
    }
    const order = controls.querySelector("select[data-order]");
    if (order && order.value === "newest") {
      const day = (id) => tables[part(id)].days[doc(id)];
      ids = [...ids].sort((a, b) => day(b) - day(a) || a - b);
    }
    return ids;
  }

  function label(text, control) {
    const wrap = document.createElement("label");
    wrap.append(text, " ", control);
    return wrap;
  }

  // Sort order and one select per facet, listing the values the results have, most
  // frequent first.
  function buildControls() {
    controls.replaceChildren();
    const order = document.createElement("select");
    order.dataset.order = "";
    order.append(new Option("Best match", "best"), new Option("Newest first", "newest"));
    controls.append(label("Order", order));
    const names = { author: "Author", tag: "Topic", section: "Section" };
    for (const facet of FACETS) {
      const counts = new Map();
      for (const id of current.ids) {
        for (const value of valuesOf(id, facet)) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      if (counts.size === 0) continue;
      const select = document.createElement("select");
      select.dataset.facet = facet;
      select.append(new Option("Any", ""));
      const values = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      for (const [value, count] of values) select.append(new Option(`${value} (${count})`, value));
      controls.append(label(names[facet], select));
    }
  }

  // The part of `text` around the most words found, those words marked.
  function excerpt(text, family, fallback) {
    const spans = [...text.matchAll(WORD)];
    const hit = spans.map((m) => family.has(m[0].toLowerCase()));
    const LENGTH = 30;
    let start = 0;
    let best = -1;
    let inWindow = 0;
    for (let i = 0; i < spans.length; i++) {
      inWindow += hit[i] ? 1 : 0;
      if (i >= LENGTH) inWindow -= hit[i - LENGTH] ? 1 : 0;
      if (inWindow > best) {
        best = inWindow;
        start = Math.max(0, i - LENGTH + 1);
      }
    }
    const p = document.createElement("p");
    p.className = "excerpt";
    if (best <= 0 && fallback) {
      p.textContent = fallback;
      return p;
    }
    const end = Math.min(spans.length, start + LENGTH);
    if (start > 0) p.append("… ");
    let from = spans.length ? spans[start].index : 0;
    for (let i = start; i < end; i++) {
      const m = spans[i];
      if (!hit[i]) continue;
      p.append(text.slice(from, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      p.append(mark);
      from = m.index + m[0].length;
    }
    const stop = end < spans.length ? spans[end - 1].index + spans[end - 1][0].length : text.length;
    p.append(text.slice(from, stop));
    if (end < spans.length) p.append(" …");
    return p;
  }

  function result(fragment) {
    const li = document.createElement("li");
    li.className = "search-result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = new URL(fragment.url, siteRoot).href;
    link.textContent = fragment.title;
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "byline";
    const time = document.createElement("time");
    time.dateTime = fragment.date;
    time.textContent = fragment.display_date;
    meta.append(time);
    const by = [fragment.authors.join(", "), fragment.section].filter(Boolean);
    if (by.length) meta.append(` · ${by.join(" · ")}`);
    li.append(heading, meta, excerpt(fragment.text, current.family, fragment.description));
    if (fragment.image) {
      const img = document.createElement("img");
      img.src = new URL(fragment.image.src, siteRoot).href;
      img.width = fragment.image.width;
      img.height = fragment.image.height;
      img.alt = fragment.image.alt;
      img.loading = "lazy";
      li.prepend(img);
    }
    return li;
  }

  // Shows the next page of results (from the start with `fresh`).
  async function show(fresh) {
    const ids = chosen();
    if (fresh) {
      list.replaceChildren();
      current.shown = 0;
    }
    const page = ids.slice(current.shown, current.shown + PAGE);
    const mine = current;
    const fragments = await Promise.all(page.map(async (id) => {
      const file = Math.floor(doc(id) / PER_FILE);
      const group = await json(at(manifest.parts[part(id)], `f${file}.json`));
      return group[doc(id) % PER_FILE];
    }));
    if (mine !== current) return;
    const items = fragments.map(result);
    list.append(...items);
    current.shown += page.length;
    const quoted = `“${current.query.trim()}”`;
    status.textContent = ids.length === 0
      ? `No results for ${quoted}.`
      : `${ids.length} ${ids.length === 1 ? "result" : "results"} for ${quoted}.`;
    more.hidden = current.shown >= ids.length;
    details.hidden = current.ids.length === 0;
    if (!fresh && items.length) items[0].querySelector("a").focus();
  }

  async function run(query) {
    const url = new URL(location.href);
    if (query.trim()) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!query.trim()) {
      current = null;
      list.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      details.hidden = true;
      return;
    }
    try {
      const found = await find(query);
      if (input.value !== query) return; // a newer query is on its way
      current = found;
      if (tables) buildControls();
      await show(true);
    } catch (error) {
      status.textContent = "Search is unavailable: its index could not be loaded.";
      console.error(error);
    }
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 150);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  more.addEventListener("click", () => show(false));
  details.addEventListener("toggle", async () => {
    if (!details.open || !current) return;
    try {
      await loadTables();
      buildControls();
    } catch (error) {
      status.textContent = "Filters are unavailable: the index could not be loaded.";
      console.error(error);
    }
  });
  controls.addEventListener("change", () => show(true));
  const query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    run(query);
  }
  box.classList.add("search-ready");
})();
