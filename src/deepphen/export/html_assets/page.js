// deepphen's page script, last part (after search.js, mark.js and view.js, in the same
// function): the controls, filters, the URL-fragment state and the keyboard.
  const tocCounts = Array.from(doc.querySelectorAll(".toc .n"));
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
    const q = (raw.q || "").slice(0, Q.max_query);  // deepphen search refuses longer
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
  let pressed = -1;
  const listOrder = controls.sort.options[0];
  let lastQuery = null, lastResult = null;
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
    show(shown, filtering, s.sort || "", found && found.order);
    // Without a sort, a query's papers come best match first: the sort menu says so.
    listOrder.textContent = found ? "Best match" : "List order";
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
  // While typing, the URL (one history entry per query) is written in the key stroke, so a
  // reload or Back just after typing keeps it. history.replaceState grows with the page
  // (12 to 17 ms a stroke at 10,000 papers): past URL_DEFER_AT papers the address is written
  // URL_WAIT ms after the first stroke not yet written, when the browser is next idle (a loss
  // bounded while typing goes on),
  // and at once before anything writes history or leaves or reads the address: a new entry,
  // a link followed, the window losing focus (the address bar), the pointer leaving the page
  // (for the toolbar), a reload or history key, the page hidden or left.
  let urlDue = null, urlTask = 0, urlIdle = 0;
  const URL_DEFER_AT = 2000, URL_WAIT = 400; // papers, ms
  const urlDeferred = rows.length > URL_DEFER_AT;
  const urlWaits = () => {
    if (urlTask) clearTimeout(urlTask);
    if (urlIdle) idle[1](urlIdle);
    urlTask = urlIdle = 0;
  };
  const writeUrl = () => {
    urlWaits();
    const url = urlDue;
    urlDue = null;
    if (url !== null) try { history.replaceState(null, "", url); } catch (_) { /* kept as is */ }
  };
  const commit = (s, push) => {
    const before = hashOf(state);
    state = s;
    ensureOptions(state); // a menu's own choice drops an option added for an old link
    apply(state);
    const url = hashOf(state);
    if (!push) {
      urlDue = url;
      if (!urlDeferred) writeUrl();
      else if (!urlTask && !urlIdle) {
        urlTask = setTimeout(() => { urlTask = 0; urlIdle = idle[0](writeUrl); }, URL_WAIT);
      }
      return;
    }
    writeUrl(); // the entry being left keeps its own query
    if (url === before) return;
    try {
      history.pushState(null, "", url);
    } catch (_) {
      location.hash = url.startsWith("#") ? url : "";
    }
  };
  window.addEventListener("blur", writeUrl);
  window.addEventListener("pagehide", writeUrl);
  doc.documentElement.addEventListener("mouseleave", writeUrl);
  doc.addEventListener("visibilitychange", () => { if (doc.hidden) writeUrl(); });
  doc.addEventListener("click", (e) => {
    if (e.target.closest && e.target.closest("a[href]")) writeUrl();
  }, true);
  // A reload (F5, Ctrl/Cmd+R) or a history key (Alt+arrows, Cmd+[ ]) reads the address
  // before any page event: written at the key.
  doc.addEventListener("keydown", (e) => {
    const mod = e.ctrlKey || e.metaKey;  // the R key by its place: "к" on a Russian layout
    if (e.key === "F5" || (mod && (e.code === "KeyR" || /^[rR]$/.test(e.key)))
        || (e.altKey && /^Arrow(Left|Right)$/.test(e.key))
        || (e.metaKey && /^[[\]]$/.test(e.key)) || e.key === "BrowserBack"
        || e.key === "BrowserForward" || e.key === "BrowserRefresh") writeUrl();
  }, true);
  // A mouse's back and forward buttons (3, 4) read the address as those keys do.
  doc.addEventListener("mousedown", (e) => { if (e.button === 3 || e.button === 4) writeUrl(); },
                       true);
  const fromUrl = () => {
    // Back, Forward or an anchor: the due URL was the entry left behind's, not this one's.
    urlDue = null;
    urlWaits();
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
      const copy = n && view.heads[+n.dataset.s];
      // Sorted or ranked, the view has no headings: the section's first paper in it.
      const first = () => Array.from(view.sorted.children)
        .find((el) => rows[el._i][SECTION] === +n.dataset.s);
      const target = a.classList.contains("skip") || !sectionsEl.classList.contains("off")
        ? $(a.getAttribute("href").slice(1)) : copy && copy.isConnected ? copy : n && first();
      // No paper of the section in the view: nothing to jump to, and following the link
      // would put "#section" in place of the query and filters in the address.
      e.preventDefault();
      if (target) {
        target.scrollIntoView();
        target.setAttribute("tabindex", "-1");
        target.focus({ preventScroll: true });
      }
    }
  });
  // "/" is a one-character shortcut: WCAG 2.1.4 wants a way to turn it off, which is the
  // checkbox under the search box. The choice is kept in the browser's storage when it allows
  // (one setting for every deepphen page), else for this visit: storage refused leaves it on
  // and never stops the page.
  const SLASH_OFF = "deepphen.slash-key-off";
  const slashBox = $("slash-key");
  const store = (use) => {
    try { return use(window.localStorage); } catch (_) { return null; }
  };
  const slashOn = () => slashBox.checked;
  const showSlash = () => {
    if (slashOn()) controls.q.setAttribute("aria-keyshortcuts", "/");
    else controls.q.removeAttribute("aria-keyshortcuts");
  };
  slashBox.checked = store((s) => s.getItem(SLASH_OFF)) !== "1";
  showSlash();
  slashBox.addEventListener("change", () => {
    store((s) => (slashOn() ? s.removeItem(SLASH_OFF) : s.setItem(SLASH_OFF, "1")));
    showSlash();
  });
  doc.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.key === "/" && slashOn() && !e.ctrlKey && !e.metaKey && !e.altKey
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
  // Printing shows the whole view (the batches still due, at once) and the digests too.
  const closed = [];
  window.addEventListener("beforeprint", () => {
    finish();
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
