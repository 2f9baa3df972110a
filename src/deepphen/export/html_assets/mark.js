// deepphen's page script, second part (after search.js, before view.js and page.js, in the
// same function): key words made buttons, and matched words marked in what is shown.
  // Key words are labels in the page (without the script, buttons would be tab stops that do
  // nothing): here they become toggle buttons, before anything reads them.
  for (const label of doc.querySelectorAll(".k span")) {
    const button = doc.createElement("button");
    button.textContent = label.textContent;
    button.setAttribute("aria-pressed", "false");
    label.replaceWith(button);
  }
  // --- marking matched words (only ever as text nodes and <mark> elements) ---------------
  // A word as search reads one: letters and digits with their accents and invisible
  // characters, and apostrophes inside it ("Don’t" is marked whole, as "dont" matched it).
  const TOKEN = new RegExp(`[\\p{L}\\p{N}](?:[\\p{L}\\p{N}\\p{M}\\p{Cf}]|[${APOSTROPHES}]`
    + "(?=[\\p{L}\\p{N}]))*", "gu");
  const targets = (i) => {
    const el = els[i];
    if (!el._targets) {
      // Authors isolated one by one (<bdi>) are marked one by one, which keeps them apart.
      el._targets = Array.from(el.querySelectorAll(".t, .a, .v, .k button"))
        .flatMap((t) => (t.matches(".a") && t.firstElementChild ? Array.from(t.children) : [t]));
      el._targets.forEach((t) => { t._text = t.textContent; });
    }
    return el._targets;
  };
  const markText = (el, terms) => {
    const text = el._text;
    let frag = null, last = 0;
    for (const m of text.matchAll(TOKEN)) {
      const [found, singles] = searchWords(m[0]);
      if (!found.some((w) => terms.has(w)) && !singles.some((c) => terms.has(c))) continue;
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
  // Papers are marked when they come near the screen and unmarked when the query changes,
  // so a query matching thousands of papers costs no more than one matching a screenful.
  let markTerms = null, markKey = "";
  const markedPapers = new Set();
  const near = new Set();
  const syncMarks = (i) => {
    const el = els[i];
    const want = markTerms && where[i] === SHOWN ? markKey : "";
    if ((el._mk || "") === want) return;
    for (const t of targets(i)) {
      if (!want || !markText(t, markTerms)) t.textContent = t._text;
    }
    el._mk = want;
    if (want) markedPapers.add(i); else markedPapers.delete(i);
  };
  const observer = window.IntersectionObserver && new IntersectionObserver((entries) => {
    for (const e of entries) {
      const i = e.target._i;
      if (e.isIntersecting) { near.add(i); syncMarks(i); } else near.delete(i);
    }
  }, { rootMargin: "100% 0px" });
  const setMarks = (terms) => {
    markTerms = terms && terms.size ? terms : null;
    markKey = markTerms ? Array.from(markTerms).sort().join(" ") : "";
    markedPapers.forEach(syncMarks);
    near.forEach(syncMarks);
  };

