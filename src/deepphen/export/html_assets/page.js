// deepphen's page script, third part (after search.js and mark.js, in the same function):
// filters, sort, the URL-fragment state and the keyboard. It only moves, shows, hides and
// marks what the server-rendered page already has.
  // --- page structure ----------------------------------------------------------------------
  // Year groups (.yg) hold consecutive papers; groupOf[i] is paper i's group.
  const groups = Array.from(doc.querySelectorAll(".yg"));
  const groupOf = new Int32Array(N);
  const groupEnd = [];
  let next = 0;
  groups.forEach((g, n) => {
    const end = next + g.querySelector(".papers").children.length;
    groupOf.fill(n, next, end);
    groupEnd.push((next = end));
  });
  const tocCounts = Array.from(doc.querySelectorAll(".toc .n"));
  const homes = els.map((el) => el.parentNode);
  els.forEach((el, i) => { el._i = i; });
  const sectionsEl = $("sections");
  const results = $("results");
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
  // A key word's identity, as vocab.keyword_key: its folded form, and the letters folding
  // drops (other scripts), so that "深度学习" and "强化学习" are not one key word.
  const LETTER = /[\p{L}\p{N}]/u;
  const keywordKey = (text) => {
    const dropped = Array.from(text.replace(DECOMPOSING_APOSTROPHES, "").normalize("NFKD"))
      .filter((c) => NON_ASCII.test(c) && LETTER.test(c) && !APOSTROPHES.includes(c)
        && !foldChar(c)).join("");
    const key = norm(text) + (dropped ? "\0" + dropped.toLowerCase() : "");
    return key || text.trim().toLowerCase();
  };
  const keywordIndex = (value) => {
    const i = byKey.get(keywordKey(value));
    return i === undefined ? -1 : i;
  };
  const byKey = new Map(data.keywords.map((k, i) => [keywordKey(k), i]));
  const buttonKeyword = (b) => {
    if (b._k === undefined) b._k = keywordIndex(b.textContent);
    return b._k;
  };
  // A section or key word the page does not have (an old link) still filters: to nothing,
  // and has its option while it is chosen (no longer: the option goes).
  const ensureOption = (select, value) => {
    for (const o of Array.from(select.options)) if (o._added && o.value !== value) o.remove();
    if (!value || Array.from(select.options).some((o) => o.value === value)) return;
    const added = option(value, `${value} (not in this page)`);
    added._added = true;
    select.append(added);
  };
  const ensureOptions = (s) => {
    ensureOption(controls.section, s.section);
    ensureOption(controls.keyword, s.keyword);
  };
  const toControls = (s) => {
    if (s.section) {
      const i = sectionIndex(s.section);
      if (i >= 0) s.section = data.sections[i][0];
    }
    if (s.keyword) {
      const i = keywordIndex(s.keyword);
      if (i >= 0) s.keyword = data.keywords[i];
    }
    ensureOptions(s);
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
  // Unfiltered, the papers are in their places in #sections. Filtered, #sections is not
  // displayed and the matching papers are moved into #results, under copies of their section
  // and year headings (list order) or into one list (sorted). Each update moves only the
  // papers that start or stop matching: the browser's work follows the change, not the size
  // of the page (hiding thousands of papers one by one would cost it seconds).
  const inResults = new Uint8Array(N);
  let pressed = -1;
  let lastQuery = null, lastResult = null;
  let mode = null; // null: unfiltered; "": list order; "newest", "oldest": sorted
  const make = (tag, text, cls) => {
    const el = doc.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (cls) el.className = cls;
    return el;
  };
  const sectionBlocks = data.sections.map(([, text]) => {
    const block = make("section", undefined, "sec");
    block.append(make("h2", text));
    return block;
  });
  const sectionHeads = sectionBlocks.map((b) => b.firstChild);
  const groupLists = groups.map((g, n) => {
    const block = make("div", undefined, "yg");
    const ul = make("ul", undefined, "papers");
    const h3 = g.querySelector("h3"); // none when the layout has no year groups
    if (h3) block.append(make("h3", h3.textContent));
    block.append(ul);
    sectionBlocks[rows[groupEnd[n] - 1][SECTION]].append(block);
    return ul;
  });
  const sortedList = make("ol", undefined, "papers");
  const pageOrder = Array.from(rows.keys());
  const newest = pageOrder.slice().sort((a, b) => rows[a][RANK] - rows[b][RANK]);
  const orders = { "": pageOrder, newest, oldest: newest.slice().reverse() };
  // Papers shown per group, so that a group's heading shows once a paper is in it.
  const inGroup = new Int32Array(groups.length);
  const leave = (i) => {
    if (observer) observer.unobserve(els[i]);
    near.delete(i);
    inResults[i] = 0;
    inGroup[groupOf[i]]--;
  };
  const goHome = (i) => {
    let j = i + 1;
    while (j < groupEnd[groupOf[i]] && inResults[j]) j++;
    homes[i].insertBefore(els[i], j < groupEnd[groupOf[i]] ? els[j] : null);
    leave(i);
  };
  const sendHome = () => { // every paper in #results back to its place, last first
    for (let i = N - 1; i >= 0; i--) if (inResults[i]) goHome(i);
  };
  // A filtered view shows its first FIRST papers at once (more than a screenful) and the
  // rest in batches of BATCH, one batch per animation frame, in display order; the next
  // update cancels what is left. Laying out thousands of papers at once took the browser
  // hundreds of milliseconds; a reader sees the top of the list, and the count is exact at
  // once. While papers are still to come, #results has aria-busy="true".
  const FIRST = 150, BATCH = 250;
  let job = null; // {keep, order, listOf, at}: the display positions from `at` on are to do
  let frame = 0;
  const later = window.requestAnimationFrame
    ? [(f) => requestAnimationFrame(f), (id) => cancelAnimationFrame(id)]
    : [(f) => setTimeout(f, 16), (id) => clearTimeout(id)];
  const showGroups = () => {
    if (mode !== "") return;
    groupLists.forEach((ul, n) => { ul.parentNode.hidden = inGroup[n] === 0; });
    sectionBlocks.forEach((b) => {
      b.hidden = !Array.from(b.children).some((c) => c.tagName === "DIV" && !c.hidden);
    });
  };
  // Bring display positions [from, to) up to date (a paper that matches goes into its list
  // before the next matching paper already there), walking them last first.
  const fill = (w, from, to) => {
    const { keep, order, listOf } = w;
    let list = to < order.length ? listOf(order[to]) : null;
    let nextIn = null;
    for (let p = to; p < order.length && listOf(order[p]) === list; p++) {
      if (inResults[order[p]]) { nextIn = els[order[p]]; break; }
    }
    for (let p = to - 1; p >= from; p--) {
      const i = order[p];
      const l = listOf(i);
      if (l !== list) { list = l; nextIn = null; }
      if (!keep[i]) continue;
      if (!inResults[i]) {
        l.insertBefore(els[i], nextIn);
        inResults[i] = 1;
        inGroup[groupOf[i]]++;
        if (observer) observer.observe(els[i]);
      }
      nextIn = els[i];
    }
  };
  // Take up to `count` matching papers from w.at on.
  const step = (w, count) => {
    const { keep, order } = w;
    let to = w.at;
    while (to < order.length && count > 0) if (keep[order[to++]]) count--;
    fill(w, w.at, to);
    w.at = to;
    showGroups();
    return to >= order.length;
  };
  const cancel = () => {
    if (frame) later[1](frame);
    frame = 0;
    job = null;
    results.removeAttribute("aria-busy");
  };
  // Moving a paper takes it out of the document for a moment, and the browser then gives
  // focus to <body>: a reader on a key word or a title would lose their place (the next Tab
  // went to the footer). The element that had focus gets it back once it is displayed again,
  // at once or when its batch comes in, unless the reader has gone elsewhere meanwhile.
  let lost = null;
  const refocus = (last) => {
    const el = lost;
    if (!el) return;
    const active = doc.activeElement;
    if (active && active !== el && active !== doc.body) lost = null;
    else if (el.isConnected && el.getClientRects().length) {
      lost = null;
      if (active !== el) el.focus();
    } else if (last) lost = null;
  };
  const run = () => {
    frame = 0;
    if (!job) return;
    const done = step(job, BATCH);
    if (done) cancel(); else frame = later[0](run);
    refocus(done);
  };
  // A paper that stops matching leaves at once (#sections is not displayed, so that costs
  // little); the papers that start matching come in as above.
  const update = (keep, order, listOf) => {
    cancel();
    let leaving = 0, staying = 0;
    for (let i = 0; i < N; i++) if (inResults[i]) { if (keep[i]) staying++; else leaving++; }
    // Many papers leaving: take the view out of the page while they go, which the browser
    // does far faster than taking each out of the displayed tree.
    // (Not when focus is in it: a keyboard reader would lose their place.)
    const detach = leaving > FIRST && leaving > staying && !results.contains(doc.activeElement);
    const blocks = detach ? Array.from(results.children) : null;
    if (detach) results.replaceChildren();
    for (let i = N - 1; i >= 0; i--) if (inResults[i] && !keep[i]) goHome(i);
    if (detach) results.replaceChildren(...blocks);
    const w = { keep, order, listOf, at: 0 };
    if (step(w, FIRST)) return;
    job = w;
    results.setAttribute("aria-busy", "true");
    frame = later[0](run);
  };
  const show = (shown, filtering, sort) => {
    const want = filtering ? sort : null;
    if (want !== mode) {
      cancel();
      sendHome();
      results.replaceChildren(...(want === null ? [] : want ? [sortedList] : sectionBlocks));
      mode = want;
    }
    results.hidden = mode === null;
    sectionsEl.classList.toggle("off", mode !== null);
    if (mode === null) return;
    const keep = new Uint8Array(N);
    for (const i of shown) keep[i] = 1;
    if (mode) update(keep, orders[mode], () => sortedList);
    else update(keep, pageOrder, (i) => groupLists[groupOf[i]]);
  };
  const main = $("main");
  const apply = (s) => {
    const active = doc.activeElement;
    if (active && active !== main && main.contains(active)) lost = active;
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
    const shown = [];
    for (let i = 0; i < N; i++) {
      const r = rows[i];
      if (!none && (!hits || hits[i] === 1) && (sec < 0 || r[SECTION] === sec)
          && r[YEAR] >= since && r[YEAR] <= until && (!s.code || r[CODE] === 1)
          && (kw < 0 || r[KEYWORDS].includes(kw))) {
        secCounts[r[SECTION]]++;
        shown.push(i);
      }
    }
    const filtering = KEYS.some((k) => s[k]);
    show(shown, filtering, s.sort || "");
    tocCounts.forEach((el, i) => {
      el.textContent = `(${secCounts[i]})`;
      el.parentNode.classList.toggle("z", secCounts[i] === 0);
    });
    count.textContent = `${shown.length} of ${N} paper${N === 1 ? "" : "s"}`;
    empty.hidden = shown.length > 0;
    if (kw !== pressed) {
      doc.querySelectorAll('.k button[aria-pressed="true"]').forEach((b) => {
        b.setAttribute("aria-pressed", "false");
      });
      if (kw >= 0) {
        rows.forEach((r, i) => {
          if (!r[KEYWORDS].includes(kw)) return;
          els[i].querySelectorAll(".k button").forEach((b) => {
            if (buttonKeyword(b) === kw) b.setAttribute("aria-pressed", "true");
          });
        });
      }
      pressed = kw;
    }
    setMarks(found && found.terms);
    if (!observer && markTerms) shown.slice(0, 200).forEach(syncMarks);
    refocus(!job);
  };

  let state = {};
  let typing = false;
  const commit = (s, push) => {
    const before = hashOf(state);
    state = s;
    ensureOptions(state); // a menu's own choice drops an option added for an old link
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
    const a = e.target.closest && e.target.closest('.toc a[href^="#"], a.skip');
    if (a) { // jump without replacing the filters in the fragment
      const n = a.parentNode.querySelector(".n");
      const copy = n && sectionHeads[+n.dataset.s];
      const target = a.classList.contains("skip") || !sectionsEl.classList.contains("off")
        ? $(a.getAttribute("href").slice(1)) : copy && copy.isConnected && copy;
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
