// deepphen's page script, third part (after search.js and mark.js, before page.js, in the
// same function): showing a set of papers, in list order, sorted or ranked by a query. It only
// moves, shows and hides what the server-rendered page already has.
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
  const homes = els.map((el) => el.parentNode);
  els.forEach((el, i) => { el._i = i; });
  const sectionsEl = $("sections");
  const results = $("results");

  // --- views ---------------------------------------------------------------------------------
  // Unfiltered, the papers are in their places in #sections. Filtered, #sections is not
  // displayed and the matching papers are moved into #results, under copies of their section
  // and year headings (list order) or into one list (sorted). Each update moves only the
  // papers that start or stop matching: the browser's work follows the change, not the size
  // of the page (hiding thousands of papers one by one would cost it seconds).
  // Where a paper is: at home in #sections, in the view (#results), or in limbo: a view left
  // in #results but not displayed (class limbo, page.css), whose papers go home while the
  // browser is idle. At 10,000 papers, taking thousands of displayed papers out one by one
  // and putting each back in its place cost the first letter of a query 0.2 to 0.4 s: the
  // browser's work on a move follows the number of elements moved, displayed or not, and
  // hiding their view whole costs a fraction of it (docs/benchmarks.md).
  const HOME = 0, SHOWN = 1, LIMBO = 2;
  const where = new Uint8Array(N);
  // null: unfiltered; "": list order; "newest", "oldest": sorted; "rank": best match first
  let mode = null;
  let ranked = null; // the ranking the view shows (mode "rank")
  const make = (tag, text, cls) => {
    const el = doc.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (cls) el.className = cls;
    return el;
  };
  // A view: a container in #results with its empty lists, under copies of the section and
  // year headings, and its sorted list (cheap: one element per section and year group).
  const newView = () => {
    const blocks = data.sections.map(([, text]) => {
      const block = make("section", undefined, "sec");
      block.append(make("h2", text));
      return block;
    });
    const lists = groups.map((g, n) => {
      const block = make("div", undefined, "yg");
      const ul = make("ul", undefined, "papers");
      const h3 = g.querySelector("h3"); // none when the layout has no year groups
      if (h3) block.append(make("h3", h3.textContent));
      block.append(ul);
      blocks[rows[groupEnd[n] - 1][SECTION]].append(block);
      return ul;
    });
    const box = make("div", undefined, "view");
    results.append(box);
    return { box, blocks, heads: blocks.map((b) => b.firstChild), lists,
             sorted: make("ol", undefined, "papers") };
  };
  let view = newView();
  const limbo = []; // the hidden views that still hold papers
  const pageOrder = Array.from(rows.keys());
  const newest = pageOrder.slice().sort((a, b) => rows[a][RANK] - rows[b][RANK]);
  const orders = { "": pageOrder, newest, oldest: newest.slice().reverse() };
  // Papers shown per group, so that a group's heading shows once a paper is in it.
  const inGroup = new Int32Array(groups.length);
  const leave = (i, to) => {
    if (observer) observer.unobserve(els[i]);
    near.delete(i);
    where[i] = to;
    inGroup[groupOf[i]]--;
  };
  // Into its place: before the next paper of its group that is at home.
  const goHome = (i) => {
    let j = i + 1;
    const end = groupEnd[groupOf[i]];
    while (j < end && where[j] !== HOME) j++;
    homes[i].insertBefore(els[i], j < end ? els[j] : null);
    if (where[i] === SHOWN) leave(i, HOME); else where[i] = HOME;
  };
  // Papers in limbo, highest index first (each goes before a paper already home), taken home
  // while the browser is idle, HOMING at a time; then their hidden views go.
  let stray = [], strayTask = 0;
  const HOMING = 500;
  const idle = window.requestIdleCallback
    ? [(f) => requestIdleCallback(f, { timeout: 1000 }), (id) => cancelIdleCallback(id)]
    : [(f) => setTimeout(f, 50), (id) => clearTimeout(id)];
  const strayHome = (more) => {
    do {
      for (let n = 0; n < HOMING && stray.length; n++) {
        const i = stray.pop();
        if (where[i] === LIMBO) goHome(i);
      }
    } while (stray.length && more());
    if (!stray.length) limbo.splice(0).forEach((v) => v.box.remove());
  };
  // One batch a call, more while the browser says it has time to spare.
  const homing = (deadline) => {
    strayTask = 0;
    strayHome(() => !!deadline && !deadline.didTimeout && deadline.timeRemaining() > 4);
    if (stray.length) strayTask = idle[0](homing);
  };
  // The whole view into limbo at once (hidden where it is), a fresh empty view after it.
  // (A class, not the hidden attribute: display: none would take its papers out of the
  // layout at once, which is the cost page.css avoids.)
  const retire = () => {
    cancel();
    if (observer) observer.disconnect(); // no paper is shown: mark.js observes the next ones
    near.clear();
    for (let i = 0; i < N; i++) if (where[i] === SHOWN) where[i] = LIMBO;
    view.box.className = "view limbo";
    limbo.push(view);
    view = newView();
    inGroup.fill(0);
    stray = [];
    for (let i = 0; i < N; i++) if (where[i] === LIMBO) stray.push(i);
    if (!strayTask) strayTask = idle[0](homing);
  };
  // Every paper back in its place now (the full list is about to be displayed).
  const allHome = () => {
    cancel();
    if (strayTask) idle[1](strayTask);
    strayTask = 0;
    view.box.hidden = true; // hidden whole first: then each paper leaves a hidden list
    for (let i = N - 1; i >= 0; i--) if (where[i] !== HOME) goHome(i);
    stray = [];
    strayHome(() => false); // no paper is left in limbo: this only removes the hidden views
    inGroup.fill(0);
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
    view.lists.forEach((ul, n) => { ul.parentNode.hidden = inGroup[n] === 0; });
    view.blocks.forEach((b) => {
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
      if (where[order[p]] === SHOWN) { nextIn = els[order[p]]; break; }
    }
    for (let p = to - 1; p >= from; p--) {
      const i = order[p];
      const l = listOf(i);
      if (l !== list) { list = l; nextIn = null; }
      if (!keep[i]) continue;
      if (where[i] !== SHOWN) {
        l.insertBefore(els[i], nextIn);
        where[i] = SHOWN;
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
  // Every batch still due, now: printing lays the page out once, and frames do not run
  // meanwhile, so a long view would print its first papers only.
  const finish = () => {
    if (!job) return;
    step(job, N);
    cancel();
    refocus(true);
  };
  const run = () => {
    frame = 0;
    if (!job) return;
    const done = step(job, BATCH);
    if (done) cancel(); else frame = later[0](run);
    refocus(done);
  };
  // Papers that stop matching leave at once: a few go home one by one; when more leave than
  // stay, the whole view goes to limbo (unless focus is in it: a keyboard reader would lose
  // their place) and the papers that still match come back into a fresh one, as below.
  const update = (keep, order) => {
    cancel();
    let leaving = 0, staying = 0;
    for (let i = 0; i < N; i++) if (where[i] === SHOWN) { if (keep[i]) staying++; else leaving++; }
    if (leaving > FIRST && leaving > staying && !results.contains(doc.activeElement)) {
      retire();
      view.box.append(...(mode ? [view.sorted] : view.blocks));
    } else {
      for (let i = N - 1; i >= 0; i--) if (where[i] === SHOWN && !keep[i]) goHome(i);
    }
    const listOf = mode ? () => view.sorted : (i) => view.lists[groupOf[i]];
    const w = { keep, order, listOf, at: 0 };
    if (step(w, FIRST)) return;
    job = w;
    results.setAttribute("aria-busy", "true");
    frame = later[0](run);
  };
  // Another query is another order, and papers already shown keep their places: the longest
  // run of those that stay whose order holds (patience sorting) stays put, the others go home
  // to come back in their new places. When most would move, the view starts afresh instead.
  // (Laying out papers moved in costs the browser more than the search: a fresh view each
  // key stroke doubled a stroke's time at 10,000 papers.)
  const reorder = (order, keep) => {
    cancel();
    const at = new Int32Array(N).fill(-1);
    order.forEach((i, p) => { at[i] = p; });
    const staying = Array.from(view.sorted.children, (el) => el._i)
      .filter((i) => keep[i] && at[i] >= 0);
    const tails = [], tailAt = [], prev = new Int32Array(staying.length);
    staying.forEach((i, k) => {
      const p = at[i];
      let lo = 0, hi = tails.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (tails[mid] < p) lo = mid + 1; else hi = mid; }
      tails[lo] = p;
      tailAt[lo] = k;
      prev[k] = lo ? tailAt[lo - 1] : -1;
    });
    const moving = staying.length - tails.length;
    if (moving > FIRST && moving > tails.length && !results.contains(doc.activeElement)) {
      retire();
      view.box.append(view.sorted);
      return;
    }
    const put = new Uint8Array(staying.length);
    for (let k = tails.length ? tailAt[tails.length - 1] : -1; k >= 0; k = prev[k]) put[k] = 1;
    for (let k = staying.length - 1; k >= 0; k--) if (!put[k]) goHome(staying[k]);
  };
  // Show the papers `shown` (page indices): the full list when not filtering, else #results
  // in list order (""), sorted ("newest", "oldest") or, for a query without a sort, in one
  // list best match first (`rank`: the query's papers, best first).
  const show = (shown, filtering, sort, rank) => {
    const want = !filtering ? null : sort || (rank ? "rank" : "");
    if (want !== mode) {
      if (want === null) allHome(); else retire();
      if (want !== null) view.box.replaceChildren(...(want ? [view.sorted] : view.blocks));
      view.box.hidden = want === null;
      mode = want;
    }
    results.hidden = mode === null;
    sectionsEl.classList.toggle("off", mode !== null);
    if (mode === null) return;
    const keep = new Uint8Array(N);
    for (const i of shown) keep[i] = 1;
    if (mode === "rank" && rank !== ranked) reorder(rank, keep);
    ranked = mode === "rank" ? rank : null;
    update(keep, mode === "rank" ? rank : orders[mode]);
  };
