// deepphen's page script: search, filters, sort and the URL-fragment state over the
// server-rendered list. It only shows, hides, reorders and marks what the page already has;
// catalog text is only ever set as text (textContent), never parsed as HTML.
(() => {
  "use strict";
  const doc = document;
  const $ = (id) => doc.getElementById(id);
  const dataEl = $("deepphen-data");
  const form = $("controls");
  if (!dataEl || !form || !window.history || !"".normalize) return;
  const data = JSON.parse(dataEl.textContent);
  const rows = data.papers;
  const N = rows.length;
  const els = Array.from(doc.querySelectorAll(".paper"));
  if (els.length !== N) return; // not a page this script knows: leave it as it is

  // --- folding words exactly as deepphen.vocab.fold and its plural folding do ----------
  const UNDECOMPOSED = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŧ": "t", "Ŧ": "T", "ß": "ss", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
  };
  const UNDECOMPOSED_RE = /[łŁøØđĐðÐħĦıŧŦßæÆœŒþÞ]/g;
  const NON_ASCII = /[^\x00-\x7f]/;
  const fold = (text) => {
    if (NON_ASCII.test(text)) {
      text = text.replace(UNDECOMPOSED_RE, (c) => UNDECOMPOSED[c])
        .normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    }
    return text.toLowerCase().match(/[a-z0-9]+/g) || [];
  };
  const singular = (w) => {
    if (w.length <= 3 || /(ss|us|is|as)$/.test(w)) return w;
    if (/(eses|yses)$/.test(w) && w.length > 5) return w.slice(0, -2) + "is";
    if (/(sses|xes|ches|shes|iases)$/.test(w)) return w.slice(0, -2);
    if (w.endsWith("ies") && w.length > 4) return w.slice(0, -3) + "y";
    if (w.endsWith("s")) return w.slice(0, -1);
    return w;
  };
  const words = (text) => fold(text).map(singular);
  const norm = (text) => words(text).join(" ");
  // A row of data.papers: authors, key-word ids, venue, year, section index, has code,
  // ids (arXiv id, DOI), newest-first rank; titles are read from the list itself.
  const AUTHORS = 0, KEYWORDS = 1, VENUE = 2, YEAR = 3, SECTION = 4, CODE = 5, IDS = 6, RANK = 7;
  const title = (i) => { const t = els[i].querySelector(".t"); return t ? t.textContent : ""; };

  // --- the search index: deepphen.search's word matching and scoring, without digests --
  // Fields: title, key words, author surnames, other name parts, venue.
  const WEIGHTS = [1.0, 1.0, 1.0, 0.7, 0.6];
  const EXACT = 1.0, PREFIX = 0.85, MAX_PREFIX_TERMS = 40, MIN_BASE = 0.25;
  let index = null;
  const buildIndex = () => {
    if (index) return index;
    const postings = new Map();
    const memo = new Map();
    const wordsOf = (text) => {
      let w = memo.get(text);
      if (!w) memo.set(text, (w = words(text)));
      return w;
    };
    const ids = new Map();
    rows.forEach((r, i) => {
      const surnames = new Set(), names = new Set();
      for (const author of r[AUTHORS]) {
        const parts = wordsOf(author);
        if (parts.length) {
          surnames.add(parts[parts.length - 1]);
          parts.slice(0, -1).forEach((p) => names.add(p));
        }
      }
      surnames.forEach((s) => names.delete(s));
      const fields = [
        new Set(words(title(i))),
        new Set(r[KEYWORDS].flatMap((k) => wordsOf(data.keywords[k]))),
        surnames, names, new Set(wordsOf(r[VENUE])),
      ];
      fields.forEach((set, f) => set.forEach((term) => {
        let p = postings.get(term);
        if (!p) postings.set(term, (p = [[], [], [], [], []]));
        p[f].push(i);
      }));
      for (const id of r[IDS]) if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), i);
      const key = els[i].dataset.key;
      if (key && !ids.has(key.toLowerCase())) ids.set(key.toLowerCase(), i);
    });
    const terms = Array.from(postings.keys()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    index = { postings, terms, ids, expanded: new Map() };
    return index;
  };
  const lowerBound = (arr, x) => {
    let lo = 0, hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  // rapidfuzz's fuzz.ratio: the normalized Indel similarity, 2 * LCS / (len1 + len2) * 100.
  const lcsRow = new Int32Array(64);
  const ratio = (a, b) => {
    const n = b.length;
    if (n >= lcsRow.length) return 0;
    lcsRow.fill(0, 0, n + 1);
    for (let i = 0; i < a.length; i++) {
      let prev = 0;
      for (let j = 1; j <= n; j++) {
        const keep = lcsRow[j];
        lcsRow[j] = a[i] === b[j - 1] ? prev + 1 : Math.max(lcsRow[j], lcsRow[j - 1]);
        prev = keep;
      }
    }
    return (200 * lcsRow[n]) / (a.length + b.length);
  };
  const expand = (word) => {
    const ix = buildIndex();
    let found = ix.expanded.get(word);
    if (found) return found;
    found = [];
    const terms = ix.terms;
    const at = lowerBound(terms, word);
    if (terms[at] === word) found.push([word, EXACT]);
    if (word.length >= 3) {
      for (const term of terms.slice(at, at + MAX_PREFIX_TERMS + 1)) {
        if (!term.startsWith(word)) break;
        if (term !== word) found.push([term, PREFIX]);
      }
    }
    if (!found.length && word.length >= 4) {
      const scored = [];
      terms.forEach((term, i) => {
        const sum = term.length + word.length;
        // 2 * min(len) / sum bounds the ratio: skip terms too short or long to reach 75.
        if (200 * Math.min(term.length, word.length) < 75 * sum) return;
        const score = ratio(word, term);
        if (score >= 75) scored.push([score, i, term]);
      });
      scored.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
      for (const [score, , term] of scored.slice(0, 8)) found.push([term, 0.9 * (score / 100) ** 2]);
    }
    ix.expanded.set(word, found);
    return found;
  };
  const ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z]+(-[a-z]+)?(\.[a-z][a-z-]{1,15})?\/\d{7})(v\d+)?$/i;
  const idQuery = (text) => {
    let t = text.trim().replace(/^arxiv:\s*/i, "");
    const url = t.match(/^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i);
    if (url) t = url[1];
    if (ARXIV_ID.test(t)) return t.replace(/v\d+$/i, "").toLowerCase();
    return null;
  };
  // The papers a query finds (a Uint8Array of 0/1) and the catalog words to mark.
  const search = (text) => {
    const ix = buildIndex();
    const hits = new Uint8Array(N);
    const id = idQuery(text);
    const asKey = ix.ids.get(text.trim().toLowerCase());
    if (id !== null || (asKey !== undefined && !/\s/.test(text.trim()))) {
      const at = id !== null ? ix.ids.get(id) : asKey;
      if (at !== undefined) hits[at] = 1;
      return { hits, terms: new Set() };
    }
    const qwords = Array.from(new Set(words(text)));
    if (!qwords.length) return null;
    const base = new Float64Array(N);
    const marks = new Set();
    let total = 0;
    for (const word of qwords) {
      const perField = WEIGHTS.map(() => new Map());
      for (const [term, quality] of expand(word)) {
        marks.add(term);
        const p = ix.postings.get(term);
        if (!p) continue;
        p.forEach((list, f) => {
          const m = perField[f];
          for (const i of list) if (quality > (m.get(i) || 0)) m.set(i, quality);
        });
      }
      const best = new Map();
      perField.forEach((m, f) => m.forEach((q, i) => {
        best.set(i, Math.max(best.get(i) || 0, WEIGHTS[f] * q));
      }));
      const idf = Math.log(1 + N / Math.max(1, best.size));
      total += idf;
      best.forEach((value, i) => { base[i] += idf * value; });
    }
    for (let i = 0; i < N; i++) if (total && base[i] / total >= MIN_BASE) hits[i] = 1;
    return { hits, terms: marks };
  };

  // --- marking matched words (only ever as text nodes and <mark> elements) ---------------
  const TOKEN = /[\p{L}\p{N}]+/gu;
  const marked = new Set();
  const targets = (i) => {
    const el = els[i];
    if (!el._targets) {
      el._targets = Array.from(el.querySelectorAll(".t, .a, .v, .k button"));
      el._targets.forEach((t) => { t._text = t.textContent; });
    }
    return el._targets;
  };
  const markText = (el, terms) => {
    const text = el._text;
    let frag = null, last = 0;
    for (const m of text.matchAll(TOKEN)) {
      if (!fold(m[0]).some((w) => terms.has(singular(w)))) continue;
      frag = frag || doc.createDocumentFragment();
      if (m.index > last) frag.append(text.slice(last, m.index));
      const mark = doc.createElement("mark");
      mark.textContent = m[0];
      frag.append(mark);
      last = m.index + m[0].length;
    }
    if (!frag) return false;
    if (last < text.length) frag.append(text.slice(last));
    el.replaceChildren(frag);
    return true;
  };
  const unmarkAll = () => {
    marked.forEach((el) => { el.textContent = el._text; });
    marked.clear();
  };
  let markJob = 0;
  const markHits = (shownList, terms) => {
    const job = ++markJob;
    let at = 0;
    const step = (count) => {
      if (job !== markJob) return;
      for (const end = Math.min(shownList.length, at + count); at < end; at++) {
        for (const t of targets(shownList[at])) if (markText(t, terms)) marked.add(t);
      }
      if (at < shownList.length) setTimeout(() => step(400), 0);
    };
    step(150); // the first screenfuls at once, the rest without blocking typing
  };

  // --- page structure ----------------------------------------------------------------------
  const groups = Array.from(doc.querySelectorAll(".yg")).map((el) => ({ el, n: 0 }));
  let next = 0;
  for (const g of groups) {
    g.start = next;
    next += g.el.querySelector(".papers").children.length;
    g.end = next;
  }
  const sections = Array.from(doc.querySelectorAll("section.sec"));
  const tocCounts = Array.from(doc.querySelectorAll(".toc .n"));
  const homes = els.map((el) => el.parentNode);
  const flat = $("flat");
  const count = $("count");
  const empty = $("empty");
  const controls = {};
  for (const name of ["q", "section", "keyword", "since", "until", "code", "sort"]) {
    controls[name] = $(name);
  }
  const keywordCounts = new Array(data.keywords.length).fill(0);
  rows.forEach((r) => r[KEYWORDS].forEach((k) => { keywordCounts[k]++; }));
  const option = (value, label) => {
    const o = doc.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  };
  data.sections.forEach(([slug, heading], s) => {
    const n = rows.reduce((c, r) => c + (r[SECTION] === s), 0);
    controls.section.append(option(slug, `${heading} (${n})`));
  });
  data.keywords.forEach((k, i) => controls.keyword.append(option(k, `${k} (${keywordCounts[i]})`)));
  const years = rows.map((r) => r[YEAR]);
  if (N) {
    for (const c of [controls.since, controls.until]) {
      c.min = Math.min(...years);
      c.max = Math.max(...years);
    }
    controls.since.placeholder = controls.since.min;
    controls.until.placeholder = controls.until.max;
  }

  // --- state <-> URL fragment <-> controls -------------------------------------------------
  const KEYS = ["q", "section", "keyword", "since", "until", "code", "sort"];
  const clean = (raw) => {
    const s = {};
    const q = (raw.q || "").slice(0, 500);
    if (q.trim()) s.q = q;
    if (raw.section) s.section = raw.section;
    if (raw.keyword) s.keyword = raw.keyword;
    for (const k of ["since", "until"]) if (/^\d{4}$/.test(raw[k] || "")) s[k] = raw[k];
    if (raw.code === "1" || raw.code === true) s.code = "1";
    if (raw.sort === "newest" || raw.sort === "oldest") s.sort = raw.sort;
    return s;
  };
  const fromHash = () => {
    const h = location.hash.slice(1);
    if (!h) return {};
    if (!h.includes("=")) return null; // an anchor of the table of contents
    const p = new URLSearchParams(h);
    const raw = {};
    for (const k of KEYS) if (p.has(k)) raw[k] = p.get(k);
    return clean(raw);
  };
  const hashOf = (s) => {
    const p = new URLSearchParams();
    for (const k of KEYS) if (s[k]) p.set(k, s[k]);
    const text = p.toString();
    return text ? "#" + text : location.pathname + location.search;
  };
  const sectionIndex = (value) => {
    const wanted = norm(value);
    return data.sections.findIndex(([slug, heading]) =>
      slug === value || norm(slug) === wanted || norm(heading) === wanted);
  };
  const keywordIndex = (value) => {
    const i = byNorm.get(norm(value));
    return i === undefined ? -1 : i;
  };
  const byNorm = new Map(data.keywords.map((k, i) => [norm(k), i]));
  const buttonKeyword = (b) => {
    if (b._k === undefined) b._k = byNorm.has(norm(b.textContent)) ? byNorm.get(norm(b.textContent)) : -1;
    return b._k;
  };
  // A section or key word the page does not have (an old link) still filters: to nothing.
  const ensureOption = (select, value) => {
    if (!value || Array.from(select.options).some((o) => o.value === value)) return;
    select.append(option(value, `${value} (not in this page)`));
  };
  const toControls = (s) => {
    if (s.section) {
      const i = sectionIndex(s.section);
      if (i >= 0) s.section = data.sections[i][0];
      ensureOption(controls.section, s.section);
    }
    if (s.keyword) {
      const i = keywordIndex(s.keyword);
      if (i >= 0) s.keyword = data.keywords[i];
      ensureOption(controls.keyword, s.keyword);
    }
    if (doc.activeElement !== controls.q || controls.q.value !== (s.q || "")) {
      controls.q.value = s.q || "";
    }
    for (const k of ["section", "keyword", "since", "until", "sort"]) controls[k].value = s[k] || "";
    controls.code.checked = !!s.code;
  };
  const fromControls = () => clean({
    q: controls.q.value, section: controls.section.value, keyword: controls.keyword.value,
    since: controls.since.value, until: controls.until.value,
    code: controls.code.checked, sort: controls.sort.value,
  });

  // --- applying a state ---------------------------------------------------------------------
  const visible = new Uint8Array(N).fill(1);
  let layout = "";
  let pressed = -1;
  let lastQuery = null, lastResult = null;
  const setLayout = (sort) => {
    if (sort === layout) return;
    layout = sort;
    if (sort) {
      const order = Array.from(rows.keys()).sort((a, b) => rows[a][RANK] - rows[b][RANK]);
      if (sort === "oldest") order.reverse();
      const frag = doc.createDocumentFragment();
      for (const i of order) frag.append(els[i]);
      flat.append(frag);
    } else {
      els.forEach((el, i) => homes[i].append(el));
    }
    flat.hidden = !sort;
    sections.forEach((sec) => { sec.hidden = !!sort; });
  };
  const apply = (s) => {
    let found = null;
    if (s.q) {
      if (s.q !== lastQuery) { lastQuery = s.q; lastResult = search(s.q); }
      found = lastResult;
    }
    const hits = found && found.hits;
    const sec = s.section ? sectionIndex(s.section) : -1;
    const kw = s.keyword ? keywordIndex(s.keyword) : -1;
    const none = (s.section && sec < 0) || (s.keyword && kw < 0);
    const since = s.since ? +s.since : 0, until = s.until ? +s.until : 9999;
    const secCounts = new Array(data.sections.length).fill(0);
    const shownList = [];
    for (let i = 0; i < N; i++) {
      const r = rows[i];
      const ok = !none && (!hits || hits[i] === 1) && (sec < 0 || r[SECTION] === sec)
        && r[YEAR] >= since && r[YEAR] <= until && (!s.code || r[CODE] === 1)
        && (kw < 0 || r[KEYWORDS].includes(kw));
      if (visible[i] !== +ok) { els[i].hidden = !ok; visible[i] = +ok; }
      if (ok) { secCounts[r[SECTION]]++; shownList.push(i); }
    }
    setLayout(s.sort || "");
    for (const g of groups) {
      let any = false;
      for (let i = g.start; i < g.end && !any; i++) any = visible[i] === 1;
      if (g.el.hidden === any) g.el.hidden = !any;
    }
    if (!s.sort) sections.forEach((el, i) => { el.hidden = secCounts[i] === 0; });
    tocCounts.forEach((el, i) => {
      el.textContent = `(${secCounts[i]})`;
      el.parentNode.classList.toggle("z", secCounts[i] === 0);
    });
    count.textContent = `${shownList.length} of ${N} paper${N === 1 ? "" : "s"}`;
    empty.hidden = shownList.length > 0;
    if (kw !== pressed) {
      doc.querySelectorAll('.k button[aria-pressed="true"]').forEach((b) => {
        b.setAttribute("aria-pressed", "false");
      });
      if (kw >= 0) {
        els.forEach((el, i) => {
          if (!rows[i][KEYWORDS].includes(kw)) return;
          el.querySelectorAll(".k button").forEach((b) => {
            if (buttonKeyword(b) === kw) b.setAttribute("aria-pressed", "true");
          });
        });
      }
      pressed = kw;
    }
    unmarkAll();
    if (found && found.terms.size) markHits(shownList, found.terms);
    else markJob++;
  };

  let state = {};
  let typing = false;
  const commit = (s, push) => {
    const before = hashOf(state);
    state = s;
    apply(state);
    const url = hashOf(state);
    if (url === before && push) return;
    try {
      history[push ? "pushState" : "replaceState"](null, "", url);
    } catch (_) {
      if (push) location.hash = url.startsWith("#") ? url : "";
    }
  };
  const fromUrl = () => {
    const s = fromHash();
    if (s === null) return; // a jump to a heading keeps the filters
    typing = false;
    toControls(s);
    if (hashOf(s) !== hashOf(state) || !lastResult) { state = s; apply(state); }
  };

  form.addEventListener("submit", (e) => e.preventDefault());
  controls.q.addEventListener("input", () => {
    commit(fromControls(), !typing);
    typing = true;
  });
  for (const k of ["section", "keyword", "sort", "code", "since", "until"]) {
    controls[k].addEventListener("change", () => { typing = false; commit(fromControls(), true); });
  }
  for (const k of ["since", "until"]) {
    controls[k].addEventListener("input", () => {
      if (/^\d{4}$|^$/.test(controls[k].value)) commit(fromControls(), !typing);
      typing = true;
    });
  }
  form.addEventListener("reset", (e) => {
    e.preventDefault();
    typing = false;
    toControls({});
    commit({}, true);
  });
  $("clear-all").addEventListener("click", () => { toControls({}); commit({}, true); });
  doc.addEventListener("click", (e) => {
    const button = e.target.closest && e.target.closest(".k button");
    if (button) {
      const k = buttonKeyword(button);
      if (k < 0) return;
      const s = Object.assign({}, state);
      if (keywordIndex(s.keyword || "") === k) delete s.keyword;
      else s.keyword = data.keywords[k];
      typing = false;
      toControls(s);
      commit(s, true);
      return;
    }
    const a = e.target.closest && e.target.closest('.toc a[href^="#"]');
    if (a) { // jump without replacing the filters in the fragment
      const target = $(a.getAttribute("href").slice(1));
      if (target) {
        e.preventDefault();
        target.scrollIntoView();
        target.setAttribute("tabindex", "-1");
        target.focus({ preventScroll: true });
      }
    }
  });
  doc.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey
        && !/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) && !t.isContentEditable) {
      e.preventDefault();
      controls.q.focus();
      controls.q.select();
    } else if (e.key === "Escape" && t === controls.q) {
      e.preventDefault();
      if (controls.q.value) {
        controls.q.value = "";
        typing = false;
        commit(fromControls(), true);
      } else {
        controls.q.blur();
      }
    }
  });
  window.addEventListener("popstate", fromUrl);
  window.addEventListener("hashchange", fromUrl);
  // Printing shows the digests too.
  const closed = [];
  window.addEventListener("beforeprint", () => {
    doc.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; closed.push(d); });
  });
  window.addEventListener("afterprint", () => { closed.splice(0).forEach((d) => { d.open = false; }); });

  doc.documentElement.classList.add("js");
  form.hidden = false;
  const initial = fromHash() || {};
  toControls(initial);
  state = initial;
  apply(state);
  // Build the index when the page is idle, so that the first key stroke does not wait.
  (window.requestIdleCallback || ((f) => setTimeout(f, 50)))(() => buildIndex());
})();
