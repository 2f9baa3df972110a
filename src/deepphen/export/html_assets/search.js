// deepphen's page script, first part: the data, word folding and the search index.
// deepphen.export.html joins search.js, mark.js, view.js and page.js inside one function and one
// <script> (one CSP hash); catalog text is only ever set as text (textContent), never
// parsed as HTML.
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
  // The tables are vocab.py's (tests/test_fold_page.py checks, in a browser, that the two
  // fold every character alike): apostrophes join a word, other punctuation, symbols and
  // spaces split it, Greek letters are spelt out, anything else non-ASCII is dropped.
  const APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u02ca\u02cb\u0374\u055a"
    + "\u1fbd\u1fbf\u1fef\u1ffd\u2018\u2019\u201a\u201b\u2032\u2035\ua78c\uff07\uff40";
  const GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma",
    "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi",
    "ω": "omega",
  };
  const UNDECOMPOSED = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŧ": "t", "Ŧ": "T", "ß": "ss", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ẞ": "SS",
  };
  const DECOMPOSING_APOSTROPHES = /[\u00b4\u1fbd\u1fbf\u1ffd]/g; // NFKD: a space and a mark
  const SEPARATING = /^[\p{P}\p{S}\p{Z}\p{Cc}]$/u;
  const NON_ASCII = /[^\x00-\x7f]/;
  const foldChar = (c) => {
    if (APOSTROPHES.includes(c)) return "";
    const spelled = GREEK[c.toLowerCase()] || UNDECOMPOSED[c];
    if (spelled) return spelled;
    return SEPARATING.test(c) ? " " : "";
  };
  const fold = (text) => {
    if (NON_ASCII.test(text)) {
      text = text.replace(DECOMPOSING_APOSTROPHES, "").normalize("NFKD")
        .replace(/[^\x00-\x7f]/gu, foldChar);
    }
    return text.toLowerCase().replace(/['`]/g, "").match(/[a-z0-9]+/g) || [];
  };
  const ASTRAL = /[\ud800-\udbff]/;
  const singular = (w) => {
    const n = ASTRAL.test(w) ? Array.from(w).length : w.length; // code points, as Python
    if (n <= 3 || /(ss|us|is|as)$/.test(w)) return w;
    if (/(eses|yses)$/.test(w) && n > 5) return w.slice(0, -2) + "is";
    if (/(sses|xes|ches|shes|iases)$/.test(w)) return w.slice(0, -2);
    if (w.endsWith("ies") && n > 4) return w.slice(0, -3) + "y";
    if (w.endsWith("s")) return w.slice(0, -1);
    return w;
  };
  const words = (text) => fold(text).map(singular);
  const norm = (text) => words(text).join(" ");
  // --- search's words in every script, as deepphen.vocab.search_tokens reads them ------
  // Letters of other scripts are kept, case-folded, without their marks (so NFC and NFD are
  // one); a digit of any script is its ASCII value; a run of a script written without spaces
  // is read as its overlapping pairs of characters, plus its single characters (for the
  // index only). JavaScript knows no East Asian widths nor digit values: data.scripts has
  // Python's (vocab.script_tables): unspaced letters as [first, last] pairs, digit zeros.
  const SCRIPTS = data.scripts;
  const UNSPACED_ENDS = SCRIPTS.unspaced.map((c, k) => c + (k & 1)); // [first, last + 1)
  const atMost = (arr, x) => {  // how many entries of a sorted array are <= x
    let lo = 0, hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid] <= x) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
  const KEPT = /^[\p{L}\p{N}\p{Mc}]$/u, DECIMAL = /^\p{Nd}$/u;
  const readChar = new Map();
  const searchChar = (c) => {  // vocab._search_char, each character decided once
    let out = readChar.get(c);
    if (out === undefined) {
      out = foldChar(c);
      if (!out && !APOSTROPHES.includes(c)) {
        const code = c.codePointAt(0), zero = SCRIPTS.zeros[atMost(SCRIPTS.zeros, code) - 1];
        out = !DECIMAL.test(c) ? (KEPT.test(c) ? c : "")
          : code - zero < 10 ? String(code - zero) : "";  // a digit Python does not know: ""
      }
      readChar.set(c, out);
    }
    return out;
  };
  // Python's casefold is lower case but for Cherokee, whose small letters fold to capitals,
  // and Old Cyrillic letter forms, which fold to the letter (the rest NFKD has taken).
  const UNLOWERED = /[\u13f8-\u13fd\uab70-\uabbf\u1c80-\u1c88]/g;
  const casefold = (c) => (c >= "\u1c80" && c <= "\u1c88" ? c.toUpperCase().toLowerCase()
    : c.toUpperCase());
  const tokens = (text) => {  // [words, single characters of unspaced runs]
    if (!NON_ASCII.test(text)) return [fold(text), []];
    text = text.replace(DECOMPOSING_APOSTROPHES, "").normalize("NFKD")
      .replace(/[^A-Za-z0-9]/gu, searchChar).normalize("NFC").toLowerCase()
      .replace(UNLOWERED, casefold);
    const out = [], singles = [];
    let run = [];
    const endRun = () => {
      if (run.length === 1) out.push(run[0]);
      for (let k = 0; k + 1 < run.length; k++) out.push(run[k] + run[k + 1]);
      if (run.length > 1) singles.push(...run);
      run = [];
    };
    for (const word of text.split(" ")) {
      if (!NON_ASCII.test(word)) { if (word) out.push(word); continue; }
      let plain = "";
      for (const c of word) {
        if (atMost(UNSPACED_ENDS, c.codePointAt(0)) & 1) {
          if (plain) { out.push(plain); plain = ""; }
          run.push(c);
        } else {
          if (run.length) endRun();
          plain += c;
        }
      }
      if (plain) out.push(plain);
      endRun();
    }
    return [out, singles];
  };
  // Search's words (plurals folded) and single characters, and its phrase of a text.
  const searchWords = (text) => { const [w, s] = tokens(text); return [w.map(singular), s]; };
  const phraseOf = (text) => searchWords(text)[0].join(" ");
  // A row of data.papers: key-word ids, venue, year, section index, has code, ids (arXiv
  // id, DOI) other than the key, newest-first rank. Titles, authors (", "-separated) and
  // keys are read from the list itself.
  const KEYWORDS = 0, VENUE = 1, YEAR = 2, SECTION = 3, CODE = 4, IDS = 5, RANK = 6;
  const text = (i, cls) => { const t = els[i].querySelector(cls); return t ? t.textContent : ""; };
  // The title as the catalog has it: shown converted when it holds TeX math (data-tex).
  const written = (i) => {
    const t = els[i].querySelector(".t");
    return t ? (t.dataset.tex === undefined ? t.textContent : t.dataset.tex) : "";
  };

  // --- the search index: deepphen.search's word matching and scoring, without digests --
  // Fields: title, key words, author surnames, other name parts, venue, year. Weights,
  // qualities and the query's rules are deepphen.search's (page_constants), embedded.
  const Q = data.search;
  const FIELD_NAMES = ["title", "keywords", "surname", "names", "venue", "year"];
  const WEIGHTS = FIELD_NAMES.map((f) => Q.weights[f]), SURNAME = 2, NAMES = 3;
  const NAME_FIELDS = new Set([SURNAME, NAMES]);  // where a word's other forms never count
  const EXACT = Q.exact, PREFIX = Q.prefix, MAX_PREFIX_TERMS = Q.max_prefix_terms;
  let index = null;
  const buildIndex = () => {
    if (index) return index;
    const postings = new Map();
    const memo = new Map();
    const wordsOf = (text) => {
      let w = memo.get(text);
      if (!w) memo.set(text, (w = searchWords(text)));
      return w;
    };
    const both = ([w, singles]) => [...w, ...singles];
    const ids = new Map(), titles = [];
    rows.forEach((r, i) => {
      const surnames = new Set(), names = new Set();
      for (const author of text(i, ".a").split(", ")) {
        const [parts, singles] = wordsOf(author);
        if (parts.length) {
          surnames.add(parts[parts.length - 1]);
          parts.slice(0, -1).forEach((p) => names.add(p));
          singles.forEach((c) => names.add(c));
        }
      }
      surnames.forEach((s) => names.delete(s));
      // A title's words as written and as shown: "$\ell_1$" is found by "ell" as deepphen
      // search finds it, and by "l1" as the page shows it (ℓ₁).
      const shown = text(i, ".t"), asWritten = written(i);
      const seen = searchWords(shown);
      const read = asWritten === shown ? seen : searchWords(asWritten);
      titles[i] = read[0].join(" ");  // the title as a phrase, for ranking
      const fields = [
        new Set([...both(seen), ...(read === seen ? [] : both(read))]),
        new Set(r[KEYWORDS].flatMap((k) => both(wordsOf(data.keywords[k])))),
        surnames, names, new Set(both(wordsOf(r[VENUE]))),
        new Set(r[YEAR] ? [String(r[YEAR])] : []),
      ];
      fields.forEach((set, f) => set.forEach((term) => {
        let p = postings.get(term);
        if (!p) postings.set(term, (p = WEIGHTS.map(() => [])));
        p[f].push(i);
      }));
      for (const id of r[IDS]) if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), i);
      const key = els[i].dataset.key;
      if (key && !ids.has(key.toLowerCase())) ids.set(key.toLowerCase(), i);
    });
    const terms = Array.from(postings.keys()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    index = { postings, terms, ids, titles, expanded: new Map() };
    return index;
  };
  // --- acronyms the catalog defines (deepphen.acronyms, embedded by the export) ----------
  // "NTK" also finds "neural tangent kernel" in titles and key words, and the phrase spelt
  // out also finds "NTK"; deepphen.search's readings, without digests.
  const ACRONYM = Q.acronym;
  const LIGHT = new Set(Q.light);
  const acronyms = new Map(Object.entries((data.acronyms && data.acronyms.table) || {}));
  const plainWords = new Set((data.acronyms && data.acronyms.plain) || []);
  const acronymsOf = new Map();
  acronyms.forEach((phrases, key) => phrases.forEach((phrase) => {
    if (!acronymsOf.has(phrase)) acronymsOf.set(phrase, []);
    acronymsOf.get(phrase).push(key);
  }));
  const inCapitals = (token) => {
    if (token.length > 2 && token.endsWith("s") && /[A-Z]/.test(token[token.length - 2])) {
      token = token.slice(0, -1);
    }
    const letters = token.replace(/[^A-Za-z]/g, "");
    const capitals = letters.replace(/[^A-Z]/g, "").length;
    return /^[A-Z]/.test(letters) && capitals >= 2 && 2 * capitals >= letters.length;
  };
  const readings = (text, all) => {
    const out = new Map();
    if (!acronyms.size) return out;
    const add = (word, found) => {
      if (!out.has(word)) out.set(word, new Set());
      found.forEach((x) => out.get(word).add(x));
    };
    const capitals = new Set((text.match(/[A-Za-z][A-Za-z0-9]*/g) || [])
      .filter(inCapitals).map((t) => singular(t.toLowerCase())));
    const alone = new Set(all).size === 1;
    for (const word of all) {
      const found = acronyms.get(word);
      if (found && (alone || capitals.has(word) || !plainWords.has(word))) add(word, found);
    }
    for (let start = 0; start < all.length; start++) {
      for (let end = start + 2; end <= Math.min(all.length, start + Q.max_letters); end++) {
        const keys = (acronymsOf.get(all.slice(start, end).join(" ")) || [])
          .filter((k) => !plainWords.has(k));
        if (keys.length) all.slice(start, end).forEach((word) => add(word, keys));
      }
    }
    return out;
  };
  // deepphen.acronyms' variants: the phrase with one acronym spelt out, or one phrase
  // abbreviated ("ntk regime" -> "neural tangent kernel regime"), for phrase matching.
  const variants = (phrase) => {
    const ws = phrase.split(" "), out = [];
    const put = (start, end, text) => out.push([...ws.slice(0, start), text, ...ws.slice(end)]
      .join(" "));
    ws.forEach((w, at) => (acronyms.get(w) || []).forEach((e) => put(at, at + 1, e)));
    for (let start = 0; start < ws.length; start++) {
      for (let end = start + 2; end <= Math.min(ws.length, start + Q.max_letters); end++) {
        (acronymsOf.get(ws.slice(start, end).join(" ")) || []).forEach((k) => put(start, end, k));
      }
    }
    return out;
  };
  // A phrase without its leading function words (deepphen.search_query.content).
  const content = (phrase) => {
    const ws = phrase.split(" ");
    const at = ws.findIndex((w) => !LIGHT.has(w));
    return at < 0 ? "" : ws.slice(at).join(" ");
  };
  // A title's head, as deepphen.search_fields reads it: its words before a colon or a dash.
  const HEAD_END = new RegExp(Q.head_end, "u");
  const headOf = (i) => content(searchWords(written(i).split(HEAD_END)[0])[0].join(" "));
  const partsMemo = new Map();
  const keywordPhrases = [];
  const partsOf = (i) => {  // [folded title, folded key words...]
    let parts = partsMemo.get(i);
    if (!parts) {
      parts = [buildIndex().titles[i], ...rows[i][KEYWORDS].map((k) => keywordPhrases[k]
        || (keywordPhrases[k] = phraseOf(data.keywords[k])))];
      partsMemo.set(i, parts);
    }
    return parts;
  };
  // deepphen.search's _phrase: how well the title or a key word holds the query as a phrase.
  const phraseScore = (i, phrase) => {
    const [title, ...keys] = partsOf(i);
    if (phrase === title || keys.includes(phrase)) return 1;
    const padded = ` ${phrase} `;
    if (` ${title} `.includes(padded)) return Q.in_title;
    return keys.some((k) => ` ${k} `.includes(padded)) ? Q.in_keyword : 0;
  };
  // [field, papers] whose title (0) or key words (1) hold a phrase, its words in order.
  const holders = (phrase) => {
    const ix = buildIndex();
    const ws = phrase.split(" ");
    return [0, 1].map((f) => {
      let common = null;
      for (const w of ws) {
        const p = ix.postings.get(w);
        const list = p ? p[f] : [];
        common = common === null ? new Set(list) : new Set(list.filter((i) => common.has(i)));
      }
      if (ws.length > 1) {
        const padded = ` ${phrase} `;
        common = new Set([...common].filter((i) => {
          const parts = f === 0 ? partsOf(i).slice(0, 1) : partsOf(i).slice(1);
          return parts.some((part) => ` ${part} `.includes(padded));
        }));
      }
      return [f, common];
    });
  };
  // deepphen.search's compounds: a query word that is two catalog words run together
  // ("pretraining" -> "pre training", as "pre-training" folds), and two query words the
  // catalog writes as one (both "pre" and "training" -> "pretraining"); and the query's
  // words with each put in, for phrase matching (the first max_spelt).
  const COMPOUND = Q.compound;
  const compounds = (all) => {
    const ix = buildIndex();
    const out = new Map(), phrases = new Set();
    const add = (word, spelling) => {
      if (!out.has(word)) out.set(word, new Set());
      out.get(word).add(spelling);
    };
    const put = (start, end, text) => phrases.add([...all.slice(0, start), text,
      ...all.slice(end)].join(" "));
    all.forEach((word, at) => {
      const w = Array.from(word);
      for (let cut = 2; cut < w.length - 1; cut++) {
        const head = w.slice(0, cut).join(""), tail = w.slice(cut).join("");
        if (ix.postings.has(head) && ix.postings.has(tail)) {
          add(word, `${head} ${tail}`);
          put(at, at + 1, `${head} ${tail}`);
        }
      }
    });
    for (let at = 0; at + 1 < all.length; at++) {
      const joined = all[at] + all[at + 1];
      if (ix.postings.has(joined)) { add(all[at], joined); add(all[at + 1], joined); put(at, at + 2, joined); }
    }
    return [out, Array.from(phrases).slice(0, Q.max_spelt)];
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
  // Code points, as Python counts them: a string, or an array of them past the BMP.
  const points = (w) => (ASTRAL.test(w) ? Array.from(w) : w);
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
  // deepphen.vocab's american and stem: a word's other forms and British spellings match it
  // a little less than itself (deepphen.search's VARIANT and FORM).
  // Their tables are Python's (vocab.form_tables), embedded by the export.
  const AMERICAN = data.forms.american, INFLECTIONS = data.forms.inflections;
  const MIN_STEM = data.forms.min_stem, VARIANT = Q.variant, FORM = Q.form;
  const american = (w) => {
    for (const [british, us, root] of AMERICAN) {
      if (w.endsWith(british) && w.length - british.length >= root) {
        return w.slice(0, -british.length) + us;
      }
    }
    return w;
  };
  const stem = (word) => {
    let w = american(word);
    const ending = INFLECTIONS.find((e) => w.endsWith(e) && w.length - e.length >= MIN_STEM);
    if (ending) w = w.slice(0, -ending.length);
    const last = w[w.length - 1];
    if (w.length >= MIN_STEM && last === w[w.length - 2] && !"aeiousl".includes(last)) {
      w = w.slice(0, -1);
    }
    return w;
  };
  const formsOf = (ix, word) => {
    if (!ix.stems) {
      ix.stems = new Map();
      for (const t of ix.terms) {
        const k = stem(t);
        if (!ix.stems.has(k)) ix.stems.set(k, []);
        ix.stems.get(k).push(t);
      }
    }
    return (ix.stems.get(stem(word)) || []).filter((t) => t !== word)
      .map((t) => [t, american(t) === american(word) ? VARIANT : FORM]);
  };
  const expand = (word) => {
    const ix = buildIndex();
    let found = ix.expanded.get(word);
    if (found) return found;
    found = [];
    const terms = ix.terms;
    const at = lowerBound(terms, word);
    if (terms[at] === word) found.push([word, EXACT]);
    const w = points(word);
    if (w.length >= 3 && !acronyms.has(word)) {  // an acronym is a whole word
      for (const term of terms.slice(at, at + MAX_PREFIX_TERMS + 1)) {
        if (!term.startsWith(word)) break;
        if (term !== word) found.push([term, PREFIX]);
      }
    }
    // A name has no other forms ("Welling" is no "well"): deepphen.search's _is_name.
    let forms = w.length > Q.min_form && !isName(ix, word) ? formsOf(ix, word) : [];
    if (!found.length && w.length >= 4) {
      const scored = [];
      terms.forEach((term, i) => {
        const t = points(term), sum = t.length + w.length;
        // 2 * min(len) / sum bounds the ratio: skip terms too short or long to reach 75.
        if (200 * Math.min(t.length, w.length) < 75 * sum) return;
        const score = ratio(w, t);
        if (score >= 75) scored.push([score, i, term]);
      });
      scored.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
      for (const [score, , term] of scored.slice(0, 8)) found.push([term, 0.9 * (score / 100) ** 2]);
      if (found.length) {  // a typo's forms rank below its corrections
        const top = 0.95 * found[0][1];
        forms = forms.map(([t, q]) => [t, Math.min(q, top)]);
      }
    }
    // A term that is only another form of the word matches no author's name (a third item).
    const plain = new Set(found.map((t) => t[0]));
    found.push(...forms.map(([t, q]) => (plain.has(t) ? [t, q] : [t, q, true])));
    ix.expanded.set(word, found);
    return found;
  };
  // Whether a word is an author's name in the catalog (among ``fields``: surname, names).
  const isName = (ix, word, fields = [SURNAME, NAMES]) => {
    const p = ix.postings.get(word);
    return Boolean(p) && fields.some((f) => p[f].length > 0);
  };
  // The papers with a given name that a letter is the initial of, found once per letter.
  const namesOfInitial = (ix, letter) => {
    if (!ix.initials) ix.initials = new Map();
    let found = ix.initials.get(letter);
    if (!found) {
      const next = String.fromCharCode(letter.charCodeAt(0) + 1), names = new Set();
      for (const t of ix.terms.slice(lowerBound(ix.terms, letter), lowerBound(ix.terms, next))) {
        for (const i of ix.postings.get(t)[NAMES]) names.add(i);
      }
      ix.initials.set(letter, (found = Array.from(names)));
    }
    return found;
  };
  const ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z]+(-[a-z]+)?(\.[a-z][a-z-]{1,15})?\/\d{7})(v\d+)?$/i;
  const idQuery = (text) => {
    let t = text.trim().replace(/^arxiv(?::\s*|\s+)/i, "");  // "arXiv 2201.02177" too
    const url = t.match(/^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i);
    if (url) t = url[1];
    if (ARXIV_ID.test(t)) return t.replace(/v\d+$/i, "").toLowerCase();
    return null;
  };
  // What a query finds: the papers (hits, a Uint8Array of 0/1), the same ranked best first
  // as deepphen search ranks them (order), and the catalog words to mark (terms).
  const search = (text) => {
    const ix = buildIndex();
    const hits = new Uint8Array(N);
    const id = idQuery(text);
    // A catalog key names its paper, unless it is one plain word ("grokking"): a word query,
    // which finds every paper with the word, as deepphen search does.
    const key = text.trim().toLowerCase();
    const asKey = /^\p{L}+$/u.test(key) ? undefined : ix.ids.get(key);
    if (id !== null || (asKey !== undefined && !/\s/.test(key))) {
      const at = id !== null ? ix.ids.get(id) : asKey;
      if (at !== undefined) hits[at] = 1;
      return { hits, order: at === undefined ? [] : [at], terms: new Set() };
    }
    // deepphen.search_query.query_words: the first words of a long query (an abstract), and
    // its function words, which weigh little unless they are all it has.
    const all = searchWords(text)[0].slice(0, 4 * Q.max_words);
    const qwords = Array.from(new Set(all)).slice(0, Q.max_words);
    if (!qwords.length) return null;
    let light = new Set(qwords.filter((w) => LIGHT.has(w)));
    if (light.size === qwords.length) light = new Set();
    // deepphen.search: a letter is an initial written with its full stop ("S. Arora") or
    // beside a surname the catalog has ("Arora S"); else a word ("q learning").
    const initials = new Set(searchWords(  // "Æ" folds to "ae": no initial to look up
      Array.from(text.matchAll(/(?<![\p{L}\p{N}_])(\p{L})\./gu), (m) => m[1]).join(" "))[0]
      .filter((w) => points(w).length === 1));
    if (qwords.some((w) => points(w).length > 1 && isName(ix, w, [SURNAME]))) {
      qwords.filter((w) => /^\p{L}$/u.test(w)).forEach((w) => initials.add(w));
    }
    const read = readings(text, all);
    const [spelt, speltPhrases] = compounds(all);
    // Per paper, as deepphen.search sums them: the idf-weighted best matches (base) and
    // breadths, and what function words add at their whole weight (lit).
    const base = new Float64Array(N), lit = new Float64Array(N);
    const breadth = new Float64Array(N), litBreadth = new Float64Array(N);
    const corrected = new Map();  // a misspelt word -> the catalog's word, for the phrase
    const marks = new Set();
    let total = 0, totalFull = 0;
    for (const word of qwords) {
      // A function word's matches are not marked beside other words: they weigh little.
      const mark = light.has(word) ? () => {} : (w) => marks.add(w);
      const terms = expand(word).slice();
      const top = terms.reduce((t, x) => (x[1] > t[1] ? x : t), terms[0] || [word, EXACT]);
      corrected.set(word, top[1] === EXACT || top[1] === PREFIX ? word : top[0]);
      const perField = WEIGHTS.map(() => new Map());
      const raise = (f, list, quality) => {
        const m = perField[f];
        for (const i of list) if ((m.get(i) || 0) < quality) m.set(i, quality);
      };
      for (const phrase of read.get(word) || []) {
        phrase.split(" ").forEach((w) => { if (w.length > 3 || acronyms.has(w)) mark(w); });
        for (const [f, found] of holders(phrase)) raise(f, found, ACRONYM);
      }
      if (initials.has(word)) raise(NAMES, namesOfInitial(ix, word), EXACT);  // "S. Arora"
      for (const spelling of spelt.get(word) || []) {
        spelling.split(" ").forEach(mark);
        if (!spelling.includes(" ")) { terms.push([spelling, COMPOUND]); continue; }
        if (!terms.length || terms[0][1] < EXACT) corrected.set(word, spelling);
        for (const [f, list] of holders(spelling)) raise(f, list, COMPOUND);
      }
      for (const [term, quality, formOnly] of terms) {
        mark(term);
        const p = ix.postings.get(term);
        if (p) p.forEach((list, f) => { if (!(formOnly && NAME_FIELDS.has(f))) raise(f, list, quality); });
      }
      const best = new Map();  // paper -> [best weighted match, sum over its fields]
      perField.forEach((m, f) => m.forEach((q, i) => {
        const value = WEIGHTS[f] * q, b = best.get(i);
        if (!b) best.set(i, [value, value]);
        else { b[0] = Math.max(b[0], value); b[1] += value; }
      }));
      const whole = Math.log(1 + N / Math.max(1, best.size));
      const idf = light.has(word) ? whole * Q.function : whole;
      total += idf;
      totalFull += whole;
      best.forEach(([value, summed], i) => {
        const broad = Math.min(1, summed / Q.broad);
        base[i] += idf * value;
        breadth[i] += idf * broad;
        lit[i] += (whole - idf) * value;
        litBreadth[i] += (whole - idf) * broad;
      });
    }
    if (!total) return { hits, order: [], terms: marks };
    // A long query needs a smaller share of its words; function words count as the others
    // in a paper whose title or a key word holds the whole query as a phrase.
    const floor = Q.min_base * Math.min(1, Q.few_words / Math.max(1, qwords.length - light.size));
    const phrase = all.map((w) => corrected.get(w) || w).join(" ");
    const others = [...variants(phrase), ...speltPhrases], topic = content(phrase);
    const [MATCH, PHRASE, BREADTH] = Q.mix;
    const scores = new Float64Array(N), order = [];
    for (let i = 0; i < N; i++) {
      if (!base[i]) continue;
      let value = base[i] / total, broad = breadth[i] / total, own = -1;
      if (light.size && (base[i] + lit[i]) / totalFull >= floor) {
        own = phraseScore(i, phrase);
        if (own >= Q.phrase_held) {
          value = (base[i] + lit[i]) / totalFull;
          broad = (breadth[i] + litBreadth[i]) / totalFull;
        }
      }
      if (value < floor) continue;
      hits[i] = 1;
      // deepphen.search's score: words, the query as a phrase (or a variant of it), breadth;
      // 1 for the exact title alone, its head asked for next.
      const phrased = others.reduce((m, v) => Math.max(m, ACRONYM * phraseScore(i, v)), 0);
      if (own < 0) own = phraseScore(i, phrase);
      if (topic !== phrase && own < 1) own = Math.max(own, phraseScore(i, topic));
      let score = MATCH * value + PHRASE * Math.max(own, phrased) + BREADTH * broad;
      if (phrase === partsOf(i)[0]) score = 1;
      else if (own >= Q.in_title && topic === headOf(i)) score = Q.title_head;
      else score = Math.min(score, Q.near_exact);
      scores[i] = Math.round(score * 1e4) / 1e4;  // rounded as deepphen search reports it
      order.push(i);
    }
    // Best first; ties go to the newer paper.
    order.sort((a, b) => scores[b] - scores[a] || rows[a][RANK] - rows[b][RANK]);
    return { hits, order, terms: marks };
  };

