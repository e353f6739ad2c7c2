/* protokol search: reads the static index (soeg/indeks/, or search/index/
 * on an English site) lazily.
 *
 * Plain JavaScript, no framework, no WebAssembly, no eval and no inline
 * script: it runs under a strict Content-Security-Policy. The query
 * analysis below is a port of the build's (src/search/analyzer.rs and
 * tantivy's Danish Snowball stemmer); tests run both over the whole
 * vocabulary and compare the CLI's results with this file's.
 *
 * In node, `require()` gives the engine without the page code.
 */
(function (global) {
  'use strict';

  var FORMAT = 4;
  var MAX_TOKEN_BYTES = 40;

  /* ---------------- UTF-8 helpers ---------------- */

  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  function utf8(s) {
    return encoder.encode(s);
  }

  /* ---------------- Danish Snowball stemmer ----------------
   * A line-by-line port of danish_stemmer.rs (Snowball 3.1.1, as shipped
   * by the frostem crate tantivy uses) and of its SnowballEnv, working on
   * UTF-8 bytes exactly as the Rust code does. */

  function Among(s, sub, result) {
    this.s = utf8(s);
    this.sub = sub;
    this.result = result;
  }

  var A_0 = [
    ['hed', -1, 1], ['ethed', 0, 1], ['ered', -1, 1], ['e', -1, 1], ['erede', 3, 1],
    ['ende', 3, 1], ['erende', 5, 1], ['ene', 3, 1], ['erne', 3, 1], ['ere', 3, 1],
    ['en', -1, 1], ['heden', 10, 1], ['eren', 10, 1], ['er', -1, 1], ['heder', 13, 1],
    ['erer', 13, 1], ['s', -1, 2], ['heds', 16, 1], ['es', 16, 1], ['endes', 18, 1],
    ['erendes', 19, 1], ['enes', 18, 1], ['ernes', 18, 1], ['eres', 18, 1], ['ens', 16, 1],
    ['hedens', 24, 1], ['erens', 24, 1], ['ers', 16, 1], ['ets', 16, 1], ['erets', 28, 1],
    ['et', -1, 1], ['eret', 30, 1]
  ].map(function (a) { return new Among(a[0], a[1], a[2]); });
  var A_1 = [['gd', -1, -1], ['dt', -1, -1], ['gt', -1, -1], ['kt', -1, -1]]
    .map(function (a) { return new Among(a[0], a[1], a[2]); });
  var A_2 = [['ig', -1, 1], ['lig', 0, 1], ['elig', 1, 1], ['els', -1, 1], ['løst', -1, 2]]
    .map(function (a) { return new Among(a[0], a[1], a[2]); });

  var G_undouble_c = [53, 94, 7];
  var G_v = [17, 65, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48, 0, 128];
  var G_s_ending = [1, 0, 0, 0, 0, 0, 0, 188, 251, 171, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64];

  function Env(word) {
    this.b = Array.prototype.slice.call(utf8(word));
    this.cursor = 0;
    this.limit = this.b.length;
    this.limit_backward = 0;
    this.bra = 0;
    this.ket = 0;
  }

  Env.prototype.boundary = function (i) {
    if (i === 0) return true;
    if (i > this.b.length) return false;
    if (i === this.b.length) return true;
    return (this.b[i] & 0xc0) !== 0x80;
  };

  /* The code point starting at byte i. */
  Env.prototype.charAt = function (i) {
    var b = this.b;
    var c = b[i];
    if (c < 0x80) return c;
    if (c < 0xe0) return ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
    if (c < 0xf0) return ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
    return ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
  };

  Env.prototype.nextChar = function () {
    this.cursor += 1;
    while (!this.boundary(this.cursor)) this.cursor += 1;
  };

  Env.prototype.previousChar = function () {
    this.cursor -= 1;
    while (!this.boundary(this.cursor)) this.cursor -= 1;
  };

  Env.prototype.startsWithAt = function (at, s) {
    if (at < 0 || at + s.length > this.b.length) return false;
    for (var i = 0; i < s.length; i++) if (this.b[at + i] !== s[i]) return false;
    return true;
  };

  Env.prototype.eq_s = function (str) {
    var s = utf8(str);
    if (this.cursor >= this.limit) return false;
    if (this.startsWithAt(this.cursor, s)) {
      this.cursor += s.length;
      while (!this.boundary(this.cursor)) this.cursor += 1;
      return true;
    }
    return false;
  };

  Env.prototype.eq_s_b = function (s) {
    if (typeof s === 'string') s = utf8(s);
    if (this.cursor - this.limit_backward < s.length) return false;
    if (!this.boundary(this.cursor - s.length) || !this.startsWithAt(this.cursor - s.length, s)) return false;
    this.cursor -= s.length;
    return true;
  };

  function inSet(g, min, max, ch) {
    if (ch > max || ch < min) return false;
    ch -= min;
    return (g[ch >> 3] & (1 << (ch & 7))) !== 0;
  }

  Env.prototype.hop = function (delta) {
    var res = this.cursor;
    while (delta > 0) {
      delta -= 1;
      if (res >= this.limit) return false;
      res += 1;
      while (res < this.limit && !this.boundary(res)) res += 1;
    }
    this.cursor = res;
    return true;
  };

  Env.prototype.go_out_grouping = function (g, min, max) {
    while (this.cursor < this.limit) {
      if (inSet(g, min, max, this.charAt(this.cursor))) return true;
      this.nextChar();
    }
    return false;
  };

  Env.prototype.go_in_grouping = function (g, min, max) {
    while (this.cursor < this.limit) {
      if (!inSet(g, min, max, this.charAt(this.cursor))) return true;
      this.nextChar();
    }
    return false;
  };

  Env.prototype.in_grouping_b = function (g, min, max) {
    if (this.cursor <= this.limit_backward) return false;
    var c = this.cursor;
    this.previousChar();
    if (!inSet(g, min, max, this.charAt(this.cursor))) {
      this.cursor = c;
      return false;
    }
    return true;
  };

  Env.prototype.replace_s = function (bra, ket, s) {
    var adjustment = s.length - (ket - bra);
    var args = [bra, ket - bra];
    for (var i = 0; i < s.length; i++) args.push(s[i]);
    Array.prototype.splice.apply(this.b, args);
    this.limit += adjustment;
    if (this.cursor >= ket) this.cursor += adjustment;
    else if (this.cursor > bra) this.cursor = bra;
    return adjustment;
  };

  Env.prototype.slice_from = function (str) {
    var s = typeof str === 'string' ? utf8(str) : str;
    this.replace_s(this.bra, this.ket, s);
    this.ket = this.bra + s.length;
  };

  Env.prototype.slice_del = function () {
    this.slice_from([]);
  };

  Env.prototype.slice_to = function () {
    return this.b.slice(this.bra, this.ket);
  };

  Env.prototype.find_among_b = function (amongs) {
    var i = 0;
    var j = amongs.length;
    var c = this.cursor;
    var lb = this.limit_backward;
    var common_i = 0;
    var common_j = 0;
    var first_key_inspected = false;
    for (;;) {
      var k = i + ((j - i) >> 1);
      var diff = 0;
      var common = common_i < common_j ? common_i : common_j;
      var w = amongs[k];
      for (var lvar = w.s.length - common - 1; lvar >= 0; lvar--) {
        if (c - common === lb) {
          diff = -1;
          break;
        }
        diff = this.b[c - common - 1] - w.s[lvar];
        if (diff !== 0) break;
        common += 1;
      }
      if (diff < 0) {
        j = k;
        common_j = common;
      } else {
        i = k;
        common_i = common;
      }
      if (j - i <= 1) {
        if (i > 0) break;
        if (j === i) break;
        if (first_key_inspected) break;
        first_key_inspected = true;
      }
    }
    for (;;) {
      var x = amongs[i];
      if (common_i >= x.s.length) {
        this.cursor = c - x.s.length;
        return x.result;
      }
      i = x.sub;
      if (i < 0) return 0;
    }
  };

  Env.prototype.byteBefore = function () {
    return this.b[this.cursor - 1];
  };

  function r_consonant_pair(env, ctx) {
    var v_1 = env.limit - env.cursor;
    if (env.cursor < ctx.p1) return false;
    var v_2 = env.limit_backward;
    env.limit_backward = ctx.p1;
    env.ket = env.cursor;
    if (env.cursor - 1 <= env.limit_backward || (env.byteBefore() !== 100 && env.byteBefore() !== 116)) {
      env.limit_backward = v_2;
      return false;
    }
    if (env.find_among_b(A_1) === 0) {
      env.limit_backward = v_2;
      return false;
    }
    env.bra = env.cursor;
    env.limit_backward = v_2;
    env.cursor = env.limit - v_1;
    if (env.cursor <= env.limit_backward) return false;
    env.previousChar();
    env.bra = env.cursor;
    env.slice_del();
    return true;
  }

  function stemEnv(env) {
    var ctx = { p1: env.limit };
    var among_var;
    var v_1 = env.cursor;
    lab0: {
      lab1: {
        var v_2 = env.cursor;
        lab2: {
          for (;;) {
            if (env.eq_s("'")) break;
            if (env.cursor >= env.limit) break lab2;
            env.nextChar();
          }
          break lab1;
        }
        env.cursor = v_2;
        if (!env.go_out_grouping(G_v, 97, 248)) break lab0;
        env.nextChar();
        if (!env.go_in_grouping(G_v, 97, 248)) break lab0;
        env.nextChar();
      }
      ctx.p1 = env.cursor;
    }
    env.cursor = v_1;
    var v_3 = env.cursor;
    if (!env.hop(3)) return;
    if (ctx.p1 < env.cursor) ctx.p1 = env.cursor;
    env.cursor = v_3;
    env.limit_backward = env.cursor;
    env.cursor = env.limit;
    var v_4 = env.limit - env.cursor;
    lab6: {
      if (env.cursor < ctx.p1) break lab6;
      var v_5 = env.limit_backward;
      env.limit_backward = ctx.p1;
      env.ket = env.cursor;
      if (env.cursor <= env.limit_backward || env.byteBefore() >> 5 !== 3 || ((1851440 >> (env.byteBefore() & 0x1f)) & 1) === 0) {
        env.limit_backward = v_5;
        break lab6;
      }
      among_var = env.find_among_b(A_0);
      if (among_var === 0) {
        env.limit_backward = v_5;
        break lab6;
      }
      env.bra = env.cursor;
      env.limit_backward = v_5;
      if (among_var === 1) {
        env.slice_del();
      } else if (among_var === 2) {
        if (!env.in_grouping_b(G_s_ending, 39, 229)) break lab6;
        env.slice_del();
      }
    }
    env.cursor = env.limit - v_4;
    var v_6 = env.limit - env.cursor;
    r_consonant_pair(env, ctx);
    env.cursor = env.limit - v_6;
    var v_7 = env.limit - env.cursor;
    lab7: {
      var v_8 = env.limit - env.cursor;
      lab8: {
        env.ket = env.cursor;
        if (!env.eq_s_b('st')) break lab8;
        env.bra = env.cursor;
        if (!env.eq_s_b('ig')) break lab8;
        env.slice_del();
      }
      env.cursor = env.limit - v_8;
      if (env.cursor < ctx.p1) break lab7;
      var v_9 = env.limit_backward;
      env.limit_backward = ctx.p1;
      env.ket = env.cursor;
      if (env.cursor - 1 <= env.limit_backward || env.byteBefore() >> 5 !== 3 || ((1572992 >> (env.byteBefore() & 0x1f)) & 1) === 0) {
        env.limit_backward = v_9;
        break lab7;
      }
      among_var = env.find_among_b(A_2);
      if (among_var === 0) {
        env.limit_backward = v_9;
        break lab7;
      }
      env.bra = env.cursor;
      env.limit_backward = v_9;
      if (among_var === 1) {
        env.slice_del();
        var v_10 = env.limit - env.cursor;
        r_consonant_pair(env, ctx);
        env.cursor = env.limit - v_10;
      } else if (among_var === 2) {
        env.slice_from('løs');
      }
    }
    env.cursor = env.limit - v_7;
    var v_11 = env.limit - env.cursor;
    lab9: {
      if (env.cursor < ctx.p1) break lab9;
      var v_12 = env.limit_backward;
      env.limit_backward = ctx.p1;
      env.ket = env.cursor;
      if (!env.in_grouping_b(G_undouble_c, 98, 116)) {
        env.limit_backward = v_12;
        break lab9;
      }
      env.bra = env.cursor;
      var ch = env.slice_to();
      env.limit_backward = v_12;
      if (!env.eq_s_b(ch)) break lab9;
      env.slice_del();
    }
    env.cursor = env.limit - v_11;
    env.ket = env.cursor;
    if (!env.eq_s_b("'")) return;
    env.bra = env.cursor;
    env.slice_del();
    env.cursor = env.limit_backward;
  }

  function stem(word) {
    var env = new Env(word);
    stemEnv(env);
    return decoder.decode(new Uint8Array(env.b));
  }

  /* ---------------- Analysis (src/search/analyzer.rs) ---------------- */

  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var NUMERIC = /\p{N}/u;
  var SPACE = /\p{White_Space}+/u;

  /* SimpleTokenizer: runs of alphanumeric characters, with their offsets
   * (in UTF-16 units) in `text`. */
  function tokenize(text) {
    var out = [];
    var start = -1;
    var i = 0;
    while (i < text.length) {
      var cp = text.codePointAt(i);
      var len = cp > 0xffff ? 2 : 1;
      var ch = String.fromCodePoint(cp);
      if (ALNUM.test(ch)) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        out.push({ text: text.slice(start, i), from: start, to: i });
        start = -1;
      }
      i += len;
    }
    if (start >= 0) out.push({ text: text.slice(start), from: start, to: text.length });
    return out;
  }

  /* LowerCaser: each character on its own, as tantivy does (no final
   * sigma rule). */
  function lower(s) {
    var out = '';
    for (var ch of s) out += ch.toLowerCase();
    return out;
  }

  /* RemoveLongFilter → LowerCaser → "aa" as "å": the word as typed. */
  function surface(token) {
    if (utf8(token).length >= MAX_TOKEN_BYTES) return null;
    return lower(token).split('aa').join('å');
  }

  var NEGATIONS = ['ikke', 'ej'];
  var ONLY_SPACE = /^\p{White_Space}+$/u;

  /* Two words stand together across white space or a compound's hyphen. */
  function beside(gap) {
    return gap === '-' || ONLY_SPACE.test(gap);
  }

  /* The terms of `text`; after a word beside a negation (see `beside`),
   * the pair of them, the negation's stem first ("ikk godkend"), as
   * NegationPairs does. */
  function analyze(text) {
    var out = [];
    var source = text.normalize('NFC');
    var prev = null;
    tokenize(source).forEach(function (t) {
      var s = surface(t.text);
      if (s === null) return;
      var term = stem(s);
      var negation = NEGATIONS.indexOf(lower(t.text)) >= 0;
      out.push(term);
      if (prev && prev.negation !== negation && beside(source.slice(prev.to, t.from))) {
        out.push(negation ? term + ' ' + prev.term : prev.term + ' ' + term);
      }
      prev = { to: t.to, term: term, negation: negation };
    });
    return out;
  }

  function isNegationPair(key) {
    return key.indexOf(' ') >= 0;
  }

  function caseTerm(word) {
    var out = '';
    var sep = false;
    for (var ch of word.normalize('NFC')) {
      if (ALNUM.test(ch)) {
        if (sep && out.length > 0) out += '-';
        sep = false;
        out += ch.toLowerCase();
      } else {
        sep = true;
      }
    }
    return out;
  }

  function looksLikeCase(word) {
    var digit = false;
    for (var ch of word) if (NUMERIC.test(ch)) digit = true;
    return digit && caseTerm(word).indexOf('-') >= 0;
  }

  /* Rust compares strings by UTF-8 bytes, which is code point order. */
  function compareKeys(a, b) {
    var ia = a[Symbol.iterator]();
    var ib = b[Symbol.iterator]();
    for (;;) {
      var x = ia.next();
      var y = ib.next();
      if (x.done) return y.done ? 0 : -1;
      if (y.done) return 1;
      var d = x.value.codePointAt(0) - y.value.codePointAt(0);
      if (d !== 0) return d;
    }
  }

  /* ---------------- Binary reader ---------------- */

  function Reader(bytes) {
    this.b = bytes;
    this.p = 0;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  Reader.prototype.var = function () {
    var v = 0;
    var mul = 1;
    for (;;) {
      var x = this.b[this.p++];
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
  };

  Reader.prototype.f32 = function () {
    var v = this.view.getFloat32(this.p, true);
    this.p += 4;
    return v;
  };

  Reader.prototype.str = function () {
    var n = this.var();
    var s = decoder.decode(this.b.subarray(this.p, this.p + n));
    this.p += n;
    return s;
  };

  Reader.prototype.rawBytes = function (n) {
    var s = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return s;
  };

  function readMeta(r) {
    var number = r.var();
    var flags = r.var();
    var m = {
      doc: number,
      kind: ['item', 'closed', 'case'][flags & 3],
      decisionAnchor: (flags & 4) !== 0,
      hasDecision: (flags & 8) !== 0,
      status: ['agenda', 'minutes', 'cancelled'][(flags >> 4) & 3],
      committee: r.var(),
      days: r.var()
    };
    m.title = r.str();
    m.url = r.str();
    m.caseNumber = r.str();
    m.decision = r.str();
    m.recommendation = r.str();
    m.body = r.str();
    return m;
  }

  /* Documents of groups [from, to) from their encoded bytes. A group's
     flag is the decision for a word, the case page for a case number
     (`flag` in src/search/export.rs). */
  function decodeGroups(term, bytes, from, to, out) {
    var r = new Reader(bytes);
    var isCase = term.key[0] === '#';
    for (var g = from; g < to; g++) {
      var group = term.groups[g];
      var prev = 0;
      for (var i = 0; i < group.size; i++) {
        var d = i === 0 ? r.var() : prev - r.var();
        out.push({ doc: d, score: group.score, dec: group.dec && !isCase, casePage: group.dec && isCase });
        prev = d;
      }
    }
    return out;
  }

  /* A key of a sorted list: bytes shared with the previous key, then the
   * rest. */
  function readKey(r, prev) {
    var shared = r.var();
    var suffix = r.rawBytes(r.var());
    var keyBytes = new Uint8Array(shared + suffix.length);
    keyBytes.set(prev.subarray(0, shared));
    keyBytes.set(suffix, shared);
    return keyBytes;
  }

  function parseShard(bytes) {
    var r = new Reader(bytes);
    var n = r.var();
    var terms = [];
    var prev = utf8('');
    for (var t = 0; t < n; t++) {
      prev = readKey(r, prev);
      var term = { key: decoder.decode(prev), df: r.var(), groups: [] };
      var ng = r.var();
      for (var g = 0; g < ng; g++) {
        var score = r.f32();
        var x = r.var();
        term.groups.push({ score: score, size: Math.floor(x / 2), dec: (x & 1) === 1 });
      }
      term.inlineGroups = r.var();
      term.postingsLength = r.var();
      term.tail = r.var() - 1;
      var nm = r.var();
      term.metaDocs = [];
      for (var m = 0; m < nm; m++) term.metaDocs.push(r.var());
      terms.push(term);
    }
    var nMeta = r.var();
    terms.forEach(function (term) {
      term.inline = r.rawBytes(term.postingsLength);
    });
    var meta = new Map();
    for (var i = 0; i < nMeta; i++) {
      var rec = readMeta(r);
      meta.set(rec.doc, rec);
    }
    var byKey = new Map();
    terms.forEach(function (term) {
      byKey.set(term.key, term);
    });
    return { terms: byKey, meta: meta };
  }

  /* The search delta (src/search/delta.rs): documents edited since the
   * full export the manifest describes, scored with its statistics. */
  function parseDelta(bytes) {
    var r = new Reader(bytes);
    var d = { base: r.str(), first: r.var(), removed: new Set(), docs: [], meta: new Map(), keys: new Set(), words: [] };
    var n = r.var();
    var prev = 0;
    for (var i = 0; i < n; i++) {
      prev += r.var();
      d.removed.add(prev);
    }
    n = r.var();
    for (var j = 0; j < n; j++) {
      var meta = readMeta(r);
      var terms = new Map();
      var nt = r.var();
      var key = utf8('');
      for (var t = 0; t < nt; t++) {
        key = readKey(r, key);
        var k = decoder.decode(key);
        var score = r.f32();
        terms.set(k, { score: score, dec: r.var() === 1 });
        d.keys.add(k);
      }
      d.docs.push({ meta: meta, terms: terms });
      d.meta.set(meta.doc, meta);
    }
    n = r.var();
    for (var w = 0; w < n; w++) d.words.push(r.str());
    return d;
  }

  function fromBase64(text) {
    var bin = atob(text);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function parseDocSet(bytes) {
    var r = new Reader(bytes);
    var n = r.var();
    var set = new Set();
    var prev = 0;
    for (var i = 0; i < n; i++) {
      var d = i === 0 ? r.var() : prev + r.var();
      set.add(d);
      prev = d;
    }
    return set;
  }

  function parseStrings(bytes) {
    var r = new Reader(bytes);
    var n = r.var();
    var out = [];
    for (var i = 0; i < n; i++) out.push(r.str());
    return out;
  }

  function hexOf(s) {
    return Array.prototype.map.call(utf8(s), function (b) {
      return (b < 16 ? '0' : '') + b.toString(16);
    }).join('');
  }

  async function gunzip(buffer) {
    var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  /* ---------------- The engine ---------------- */

  /* `base`: URL of the index folder, ending in "/". `fetchBytes(url,
   * fresh)`: resolves to an ArrayBuffer (the browser's fetch by default). */
  function Engine(base, fetchBytes) {
    this.base = base;
    this.fetchBytes = fetchBytes || defaultFetch;
    this.files = new Map();
    this.manifest = null;
    this.delta = null;
  }

  async function defaultFetch(url, fresh) {
    var res = await fetch(url, fresh ? { cache: 'no-cache' } : {});
    if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
    return res.arrayBuffer();
  }

  Engine.prototype.loadManifest = function () {
    var self = this;
    if (!this.manifestPromise) {
      this.manifestPromise = this.fetchBytes(this.base + 'manifest.json', true).then(function (buf) {
        var m = JSON.parse(decoder.decode(new Uint8Array(buf)));
        if (m.format !== FORMAT) throw new Error('search index format ' + m.format + ', expected ' + FORMAT);
        // Shard starts come as gaps.
        Object.keys(m.views).forEach(function (k) {
          var at = 0;
          m.views[k] = m.views[k].map(function (gap) { return (at += gap); });
        });
        m.commonIndex = new Map(m.common.map(function (w, i) { return [w, i]; }));
        self.manifest = m;
        return self.loadDelta(m);
      });
      this.manifestPromise.catch(function () {
        self.manifestPromise = null;
      });
    }
    return this.manifestPromise;
  };

  /* The edits since the export, when the manifest names them: inlined
   * (no request more) or in a file named by its hash. A delta made for
   * another export than this manifest's is not used. */
  Engine.prototype.loadDelta = async function (m) {
    var ref = m.delta;
    var delta = null;
    if (ref && ref.inline) {
      delta = parseDelta(await gunzip(fromBase64(ref.inline)));
    } else if (ref && ref.file) {
      delta = await this.file(ref.file, parseDelta);
    }
    this.delta = delta && delta.base === m.version && delta.first === m.docs ? delta : null;
    return m;
  };

  /* A parsed file, fetched once. */
  Engine.prototype.file = function (name, parse) {
    var self = this;
    var url = this.base + name.replace('{v}', this.manifest.version);
    if (!this.files.has(url)) {
      var p = this.fetchBytes(url, false).then(gunzip).then(parse);
      p.catch(function () {
        self.files.delete(url);
      });
      this.files.set(url, p);
    }
    return this.files.get(url);
  };

  Engine.prototype.shardOf = function (key) {
    var shards = this.manifest.shards;
    var lo = 0;
    var hi = shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (compareKeys(shards[mid], key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  /* The dictionary entry of `key` (with its shard), or null: from the
   * shards of `view` (a committee's "c<n>" or a year's "y<year>"), which
   * hold only that view's documents, or from the global shards. */
  Engine.prototype.lookup = async function (key, view) {
    if (this.manifest.shards.length === 0) return null;
    var n = this.shardOf(key);
    var prefix = '';
    if (view) {
      // The view's shard that starts at or before the global shard n.
      var starts = this.manifest.views[view[0]];
      var i = 0;
      while (i + 1 < starts.length && starts[i + 1] <= n) i++;
      prefix = view + '-';
      n = i;
    }
    var shard = await this.file('t-{v}-' + prefix + n + '.bin', parseShard);
    var term = shard.terms.get(key);
    return term ? { term: term, shard: shard, view: prefix } : null;
  };

  /* All documents of a term, by document number. */
  Engine.prototype.allPostings = async function (entry) {
    var term = entry.term;
    var list = decodeGroups(term, term.inline, 0, term.inlineGroups, []);
    if (term.tail >= 0) {
      var tail = await this.file('p-{v}-' + entry.view + term.tail + '.bin', function (b) { return b; });
      decodeGroups(term, tail, term.inlineGroups, term.groups.length, list);
    }
    list.sort(function (a, b) { return a.doc - b.doc; });
    return list;
  };

  /* The query's terms, as src/search/query.rs parses them. */
  Engine.prototype.terms = async function (query) {
    var self = this;
    var words = query.normalize('NFC').split(SPACE).filter(function (w) { return w.length > 0; });
    var caseKeys = words.map(function (w) { return looksLikeCase(w) ? '#' + caseTerm(w) : null; });
    var found = await Promise.all(caseKeys.map(function (k) { return k ? self.lookup(k) : null; }));
    var keys = [];
    var delta = this.delta;
    words.forEach(function (w, i) {
      if (found[i] || (caseKeys[i] && delta && delta.keys.has(caseKeys[i]))) keys.push(caseKeys[i]);
      else analyze(w).forEach(function (t) { if (!isNegationPair(t)) keys.push(t); });
    });
    keys.sort(compareKeys);
    return keys.filter(function (k, i) { return i === 0 || keys[i - 1] !== k; });
  };

  /* The view whose shards answer a search with `filters`, as file names
   * have it: the year's ("y2024", the smaller), else the committee's
   * ("c3"), else none (the global shards). Its shards hold only its
   * documents, with the metadata of each word's best ones there. */
  Engine.prototype.viewOf = function (filters) {
    var m = this.manifest;
    if (filters.year) {
      var y = Number(filters.year);
      return m.years.indexOf(y) >= 0 ? 'y' + y : null;
    }
    if (filters.committee) {
      var c = m.committees.findIndex(function (x) { return x[0] === filters.committee; });
      if (c >= 0) return 'c' + c;
    }
    return null;
  };

  /* A test of the filters that the shards of `view` (if any) do not do
   * already, or null. */
  Engine.prototype.filterSet = async function (filters, view) {
    var m = this.manifest;
    var tests = [];
    if (filters.committee && (!view || view[0] !== 'c')) {
      var c = m.committees.find(function (x) { return x[0] === filters.committee; });
      var lo = c ? c[2] : 0;
      var hi = c ? c[3] : 0;
      tests.push(function (d) { return d >= lo && d < hi; });
    }
    if (filters.year && !view) {
      var y = Number(filters.year);
      if (m.years.indexOf(y) < 0) {
        tests.push(function () { return false; });
      } else {
        var years = await this.file('y-{v}-' + y + '.bin', parseDocSet);
        tests.push(function (d) { return years.has(d); });
      }
    }
    if (filters.decisions) {
      var decided = await this.file('d-{v}.bin', parseDocSet);
      tests.push(function (d) { return decided.has(d); });
    }
    if (tests.length === 0) return null;
    return function (d) {
      for (var i = 0; i < tests.length; i++) if (!tests[i](d)) return false;
      return true;
    };
  };

  /* The negation pairs of the query, sorted: as src/search/query.rs
   * `parse`, those of the whole query. */
  function negationPairs(query) {
    var pairs = analyze(query).filter(isNegationPair).sort(compareKeys);
    return pairs.filter(function (k, i) { return i === 0 || pairs[i - 1] !== k; });
  }

  /* Runs a query: { terms, total, hits: [{doc, score, dec, negations}] } with
   * every match ranked (or, for one word without filters, at least
   * `want`). */
  Engine.prototype.match = async function (query, filters, want) {
    await this.loadManifest();
    var self = this;
    var keys = await this.terms(query);
    if (keys.length === 0) return { terms: [], total: 0, hits: [], entries: [] };
    var negations = negationPairs(query);
    // Case numbers are only in the global shards: with one, no view.
    var view = keys.some(function (k) { return k[0] === '#'; }) ? null : this.viewOf(filters || {});
    var lookups = Promise.all(keys.map(function (k) { return self.lookup(k, view); }));
    // Pair files hold first pages without the year and decisions filters.
    var pairFile = filters && (filters.decisions || filters.year) ? null : this.pairFile(keys, view);
    var pairing = pairFile ? this.file(pairFile, parsePairFile).catch(function () { return null; }) : null;
    // The negation pairs that documents hold, looked up when needed: a
    // negation's page in the pair file spares it (two words have one
    // negation pair at most).
    var negationLookup = null;
    var negationEntries = function () {
      if (!negationLookup) {
        negationLookup = Promise.all(negations.map(function (k) { return self.lookup(k, view); }))
          .then(function (found) { return found.filter(Boolean); });
      }
      return negationLookup;
    };
    if (!pairFile) negationEntries();
    var keep = await this.filterSet(filters || {}, view);
    var entries = await lookups;
    // Case keys sort first.
    var cases = keys.filter(function (k) { return k[0] === '#'; }).length;
    var caseEntries = entries.slice(0, cases);
    var pairs = pairing ? await pairing : null;
    var pageKey = keys[0] + '\u0000' + keys[1] + '\u0000';
    var negationPage = pairs && negations.length === 1 ? pairs.pages.get(pageKey + negations[0]) : null;
    // Negation pairs no document holds rank nothing: without others, the
    // ranking is by score, as the shortcuts below have it.
    var negated = negationPage ? null : await negationEntries();
    var byScore = !negationPage && negated.length === 0;
    var pair = negationPage || (byScore && pairs ? pairs.pages.get(pageKey) : null);
    // The hits' scores hold the negation pairs already.
    var ranked = false;
    var delta = this.delta;
    var removed = delta ? delta.removed : new Set();
    var hits = [];
    var total = 0;
    var one = entries.length === 1 ? entries[0] && entries[0].term : null;
    if (entries.some(function (e) { return !e; })) {
      // No document of the export matches; edited ones still may.
      entries = entries.filter(Boolean);
    } else if (one && byScore && !keep && removed.size === 0 && (one.tail < 0 || countBefore(one, one.inlineGroups) >= want)) {
      // The best documents of one word are all in its shard.
      hits = decodeGroups(one, one.inline, 0, one.inlineGroups, []);
      total = one.df;
    } else if (pair && !keep && removed.size === 0 && (pair.hits.length >= want || pair.hits.length === pair.total)) {
      // The first page of two words that share a title, or of a negation
      // and its word: in its pair file, negation pairs counted.
      hits = pair.hits.slice();
      total = pair.total;
      ranked = true;
    } else {
      var lists = await Promise.all(entries.map(function (e) { return self.allPostings(e); }));
      hits = intersect(lists);
      hits = hits.filter(function (h) { return !removed.has(h.doc) && (!keep || keep(h.doc)); });
      total = hits.length;
    }
    if (cases > 0 && cases < keys.length && caseEntries.every(Boolean)) {
      // As src/search/query.rs `run`: with words, the case page of the
      // case numbers matches too.
      var caseLists = await Promise.all(caseEntries.map(function (e) { return self.allPostings(e); }));
      var found = new Set(hits.map(function (h) { return h.doc; }));
      casePages(caseLists).forEach(function (h) {
        if (!found.has(h.doc) && !removed.has(h.doc) && (!keep || keep(h.doc))) {
          hits.push(h);
          total += 1;
        }
      });
    }
    if (!ranked) {
      if (!negated) negated = await negationEntries();
      addNegations(hits, await Promise.all(negated.map(function (e) { return self.allPostings(e); })));
    }
    if (delta) {
      var edited = deltaHits(delta, keys, cases, negations, this.deltaFilter(filters || {}));
      hits = hits.concat(edited);
      total += edited.length;
    }
    hits.sort(rank);
    return {
      terms: keys.concat(negations),
      total: total,
      hits: hits,
      entries: entries.concat(negated || []),
      pairFile: pairFile
    };
  };

  /* The filters as a test of a document's metadata (edited documents are
   * numbered after the export's, outside its committee ranges and filter
   * files). */
  Engine.prototype.deltaFilter = function (filters) {
    var committee = -1;
    if (filters.committee) {
      committee = this.manifest.committees.findIndex(function (x) { return x[0] === filters.committee; });
    }
    var year = filters.year ? Number(filters.year) : null;
    return function (meta) {
      if (filters.committee && meta.committee !== committee) return false;
      if (year !== null && dateOf(meta.days).year !== year) return false;
      return !filters.decisions || meta.hasDecision;
    };
  };

  /* Edited documents holding every key, scored as `intersect` scores:
   * their terms' scores added in the keys' sorted order (the `cases` case
   * keys first); and, as `casePages` finds them, edited case pages of the
   * case keys, which need none of the words. Then the negation pairs
   * they hold, as `match` adds them. */
  function deltaHits(delta, keys, cases, negations, keep) {
    var out = [];
    delta.docs.forEach(function (d) {
      if (!keep(d.meta)) return;
      var hit = { doc: d.meta.doc, score: 0, dec: false, negations: 0 };
      var page = cases > 0;
      for (var c = 0; c < cases; c++) {
        var k = d.terms.get(keys[c]);
        if (!k) return;
        hit.score += k.score;
        page = page && k.dec;
      }
      var caseScore = hit.score;
      for (var i = cases; i < keys.length; i++) {
        var t = d.terms.get(keys[i]);
        if (!t) {
          if (!page) return;
          hit.score = caseScore;
          hit.dec = false;
          break;
        }
        hit.score += t.score;
        hit.dec = hit.dec || t.dec;
      }
      negations.forEach(function (k) {
        var t = d.terms.get(k);
        if (t) {
          hit.score += t.score;
          hit.negations += 1;
        }
      });
      out.push(hit);
    });
    return out;
  }

  /* The negation pairs' postings `lists` (in key order) added to the
   * hits that hold them: their scores, and their count, which ranks first. */
  function addNegations(hits, lists) {
    lists.forEach(function (list) {
      var scores = new Map(list.map(function (p) { return [p.doc, p.score]; }));
      hits.forEach(function (h) {
        if (scores.has(h.doc)) {
          h.score += scores.get(h.doc);
          h.negations = (h.negations || 0) + 1;
        }
      });
    });
  }

  /* The documents that are the case page in every one of `lists` (case
   * keys' postings), scored as `intersect` scores. */
  function casePages(lists) {
    return intersect(lists.map(function (l) { return l.filter(function (p) { return p.casePage; }); }));
  }

  function countBefore(term, groups) {
    var n = 0;
    for (var g = 0; g < groups; g++) n += term.groups[g].size;
    return n;
  }

  /* Negation pairs held, score, then the higher document number
   * (src/search/query.rs `rank`). */
  function rank(a, b) {
    var negations = (b.negations || 0) - (a.negations || 0);
    if (negations !== 0) return negations;
    if (a.score !== b.score) return b.score - a.score;
    return b.doc - a.doc;
  }

  /* Each list sorted by document; scores added in the lists' order. */
  function intersect(lists) {
    var hits = lists[0].map(function (p) { return { doc: p.doc, score: p.score, dec: p.dec }; });
    for (var l = 1; l < lists.length; l++) {
      var list = lists[l];
      var out = [];
      var j = 0;
      for (var i = 0; i < hits.length; i++) {
        var h = hits[i];
        while (j < list.length && list[j].doc < h.doc) j++;
        if (j < list.length && list[j].doc === h.doc) {
          out.push({ doc: h.doc, score: h.score + list[j].score, dec: h.dec || list[j].dec });
        }
      }
      hits = out;
    }
    return hits;
  }

  /* A bundle (or the end of a pair file): a count, then that many
   * metadata records. */
  function parseMetaList(bytes) {
    var r = new Reader(bytes);
    var n = r.var();
    var map = new Map();
    for (var i = 0; i < n; i++) {
      var rec = readMeta(r);
      map.set(rec.doc, rec);
    }
    return map;
  }

  /* A pair file: the first pages of its pairs, by "a\0b", and the
   * metadata of their documents that the words' shards lack. */
  function parsePairFile(bytes) {
    var r = new Reader(bytes);
    var n = r.var();
    var pages = new Map();
    for (var i = 0; i < n; i++) {
      // The two words, and the negation pair of a negation's page or "".
      var key = r.str() + '\u0000' + r.str();
      var negation = r.str();
      key += '\u0000' + negation;
      var page = { total: r.var(), hits: [] };
      var size = r.var();
      for (var j = 0; j < size; j++) {
        var d = r.var();
        // Added as `match` adds them: the first word's score first, then
        // the second's, then the negation pair's.
        var score = r.f32();
        score += r.f32();
        var hit = { doc: Math.floor(d / 2), score: score, dec: d % 2 === 1 };
        if (negation) {
          var held = r.f32();
          hit.score += held;
          hit.negations = held > 0 ? 1 : 0;
        }
        page.hits.push(hit);
      }
      pages.set(key, page);
    }
    var rest = parseMetaList(bytes.subarray(r.p));
    return { pages: pages, meta: rest };
  }

  /* The pair file (src/search/pairs.rs) that holds the first page of a
   * search of the words `keys` in `view` if their titles share them, or
   * both are common words, or null. A committee's pages of two common
   * words are in the file of the first word's group. */
  Engine.prototype.pairFile = function (keys, view) {
    if (keys.length !== 2 || keys[0][0] === '#' || keys[1][0] === '#') return null;
    if (view && view[0] !== 'c') return null;
    var m = this.manifest;
    var first = m.commonIndex.get(keys[0]);
    if (view && first !== undefined && m.commonIndex.has(keys[1])) {
      var groups = m.groups[Number(view.slice(1))];
      return groups ? 'q-{v}-' + view + '-g' + (first % groups) + '.bin' : null;
    }
    var buckets = m.pairs[view ? 1 + Number(view.slice(1)) : 0];
    if (!buckets) return null;
    var bytes = encoder.encode(keys[0] + '\u0000' + keys[1]);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return 'q-{v}-' + (view ? view + '-' : '') + ((h >>> 0) % buckets) + '.bin';
  };

  /* Metadata of documents: from the query's shards when they hold it,
   * then from its pair file, else from the bundles. */
  Engine.prototype.meta = async function (docs, entries, pairFile) {
    var self = this;
    var out = new Map();
    var missing = [];
    var delta = this.delta;
    docs.forEach(function (d) {
      if (delta && delta.meta.has(d)) {
        out.set(d, delta.meta.get(d));
        return;
      }
      for (var i = 0; i < entries.length; i++) {
        var rec = entries[i].shard.meta.get(d);
        if (rec) {
          out.set(d, rec);
          return;
        }
      }
      missing.push(d);
    });
    if (missing.length > 0 && pairFile) {
      var pairs = await this.file(pairFile, parsePairFile).catch(function () { return null; });
      missing = missing.filter(function (d) {
        var rec = pairs && pairs.meta.get(d);
        if (rec) out.set(d, rec);
        return !rec;
      });
    }
    var size = this.manifest.bundle;
    var bundles = Array.from(new Set(missing.map(function (d) { return Math.floor(d / size); })));
    var parsed = await Promise.all(bundles.map(function (b) {
      return self.file('m-{v}-' + b + '.bin', parseMetaList);
    }));
    missing.forEach(function (d) {
      var rec = parsed[bundles.indexOf(Math.floor(d / size))].get(d);
      if (rec) out.set(d, rec);
    });
    return out;
  };

  /* A search as a visitor sees it: the count and results [from, to). */
  Engine.prototype.search = async function (query, filters, from, to) {
    var m = await this.match(query, filters, to);
    var page = m.hits.slice(from, to);
    var meta = await this.meta(page.map(function (h) { return h.doc; }), m.entries, m.pairFile);
    var wordTerms = new Set(m.terms.filter(function (t) { return t[0] !== '#'; }));
    var self = this;
    var results = page.map(function (h) {
      var rec = meta.get(h.doc);
      var committee = self.manifest.committees[rec.committee] || ['', ''];
      return {
        doc: h.doc,
        score: h.score,
        title: rec.title,
        url: h.dec && rec.decisionAnchor ? rec.url + '#beslutning' : rec.url,
        kind: rec.kind,
        status: rec.status,
        committee: committee[1],
        committeeSlug: committee[0],
        date: dateOf(rec.days),
        caseNumber: rec.caseNumber,
        inDecision: h.dec,
        snippet: snippet(rec, h.dec, wordTerms)
      };
    });
    return { terms: m.terms, total: m.total, results: results };
  };

  function dateOf(days) {
    var d = new Date(days * 86400000);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }

  /* The passage to show, as [{text, mark}] parts: the decision when a word
   * matched there, else the passage with most matched words. */
  function snippet(rec, inDecision, terms) {
    var passages = [rec.decision, rec.recommendation, rec.body].filter(function (p) { return p; });
    if (passages.length === 0) return [];
    var best = null;
    var bestCount = -1;
    passages.forEach(function (p, i) {
      var parts = highlight(p, terms);
      var count = parts.filter(function (x) { return x.mark; }).length;
      if (inDecision && p === rec.decision) count += 1000;
      if (count > bestCount) {
        best = parts;
        bestCount = count;
      }
    });
    return best;
  }

  function highlight(text, terms) {
    var parts = [];
    var at = 0;
    tokenize(text).forEach(function (t) {
      var s = surface(t.text);
      if (s !== null && terms.has(stem(s))) {
        if (t.from > at) parts.push({ text: text.slice(at, t.from), mark: false });
        parts.push({ text: text.slice(t.from, t.to), mark: true });
        at = t.to;
      }
    });
    if (at < text.length) parts.push({ text: text.slice(at), mark: false });
    return parts;
  }

  /* ---- Snippets from the item's page ----
   * A document's stored passages are the start of its decision,
   * recommendation and body. When a word of the query is in neither
   * the title nor those, the visitor cannot see why the item was found:
   * the item's own page (what a click on it opens next, so the browser
   * may keep it) holds the text, and the snippet becomes its passage
   * with the most such words. */

  var SNIPPET_CHARS = 240;
  var SNIPPET_BEFORE = 50;
  var BLOCK_END = /<\/(?:p|li|h[1-6]|tr|td|th|blockquote|pre|dt|dd)>|<br\s*\/?>/i;
  var ENTITY = /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos|nbsp));/gi;
  var NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  var SENTENCE_END = /[.!?]\s+(?=\p{Lu}|\p{N})/gu;

  /* The query's terms that `parts` (highlighted text) show. */
  function shownTerms(parts, terms) {
    var shown = new Set();
    parts.forEach(function (p) {
      if (!p.mark) return;
      var s = surface(p.text);
      if (s !== null && terms.has(stem(s))) shown.add(stem(s));
    });
    return shown;
  }

  /* The words of the query a result's title does not show. */
  function unexplained(r, terms) {
    var shown = shownTerms(highlight(r.title, terms), terms);
    var words = [];
    terms.forEach(function (t) {
      if (t[0] !== '#' && t.indexOf(' ') < 0 && !shown.has(t)) words.push(t);
    });
    return words;
  }

  function textOf(html) {
    return html
      .replace(/<[^>]*>/g, '')
      .replace(ENTITY, function (_, dec, hex, name) {
        if (name) return NAMED[name.toLowerCase()];
        var cp = dec ? parseInt(dec, 10) : parseInt(hex, 16);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      })
      .replace(/\s+/g, ' ')
      .trim();
  }

  /* The texts of an item page a snippet may show, as { text, anchor }:
   * the paragraphs, list entries and table cells of its sections (anchor:
   * the section's id), and its attachments' titles (anchor: the list's
   * heading). Read from the default theme's `<section id>`, `<div
   * class="prose">` and `<section class="attachments">`; a theme without
   * them keeps the stored snippets. */
  function pageTexts(html) {
    var out = [];
    var anchor = '';
    var first = null;
    var push = function (h) {
      var t = textOf(h);
      // The first section starts the page: no anchor needed to reach it.
      if (t) out.push({ text: t, anchor: anchor === first ? '' : anchor });
    };
    var re = /<section id="([^"]*)"|<div class="prose">([\s\S]*?)<\/div>|<section([^>]*class="attachments"[^>]*)>([\s\S]*?)<\/section>/g;
    var m;
    while ((m = re.exec(html))) {
      if (m[1] !== undefined) {
        anchor = m[1];
        if (first === null) first = anchor;
      } else if (m[2] !== undefined) {
        m[2].split(BLOCK_END).forEach(push);
      } else {
        // The list's heading, which the section names.
        var heading = /aria-labelledby="([^"]*)"/.exec(m[3]);
        anchor = heading ? heading[1] : '';
        (m[4].match(/<a\b[^>]*>[\s\S]*?<\/a>/g) || []).forEach(push);
      }
    }
    return out;
  }

  /* The passage of a page (its HTML) with the most distinct `wanted`
   * terms close together, highlighted for all `terms`, as { count, parts,
   * anchor }; null when it holds none. */
  function pageSnippet(html, terms, wanted) {
    var best = null;
    pageTexts(html).forEach(function (p) {
      var found = [];
      var words = tokenize(p.text);
      words.forEach(function (t) {
        var s = surface(t.text);
        if (s !== null && wanted.has(stem(s))) found.push({ from: t.from, to: t.to, term: stem(s) });
      });
      found.forEach(function (f, i) {
        var seen = new Set();
        // `around` starts at most 2 * SNIPPET_BEFORE before `f`.
        var end = f.from + SNIPPET_CHARS - 2 * SNIPPET_BEFORE;
        for (var j = i; j < found.length && found[j].to <= end; j++) seen.add(found[j].term);
        if (!best || seen.size > best.count) best = { passage: p, words: words, at: f.from, count: seen.size };
      });
    });
    return best && {
      count: best.count,
      parts: around(best.passage.text, best.words, best.at, terms),
      anchor: best.passage.anchor
    };
  }

  /* About SNIPPET_CHARS of `text` (its `words`, as `tokenize` gives
   * them) from shortly before `at`: from the start of its sentence when
   * that is near, else from a word, with "…" where text is left out. */
  function around(text, words, at, terms) {
    // The start of the sentence that holds `at`.
    var sentence = 0;
    SENTENCE_END.lastIndex = 0;
    var m;
    while ((m = SENTENCE_END.exec(text)) && m.index + m[0].length <= at) sentence = m.index + m[0].length;
    var from = sentence;
    if (at - sentence > 2 * SNIPPET_BEFORE) {
      var word = words.find(function (t) { return t.from >= at - SNIPPET_BEFORE; });
      from = word ? word.from : at;
    }
    var to = text.length;
    if (to - from > SNIPPET_CHARS) {
      var inside = words.filter(function (t) { return t.from >= from && t.to <= from + SNIPPET_CHARS; });
      to = inside.length ? inside[inside.length - 1].to : from + SNIPPET_CHARS;
    }
    var parts = highlight(text.slice(from, to), terms);
    if (from !== sentence) parts.unshift({ text: '… ', mark: false });
    if (to < text.length) parts.push({ text: ' …', mark: false });
    return parts;
  }

  /* Gives result `r` a snippet from its page, fetched from `root` (the
   * site's root URL), when its title and stored snippet leave words of
   * the query unexplained and the page explains more of them; its URL
   * then leads to the section of the snippet, as it leads to the decision
   * when a word matched there. Resolves to whether the result changed. */
  Engine.prototype.deepen = async function (r, terms, root) {
    // Closed items and case pages have no such page.
    if (r.kind !== 'item') return false;
    var wanted = new Set(unexplained(r, terms));
    var before = shownTerms(r.snippet, wanted).size;
    if (before === wanted.size) return false;
    var page = r.url.split('#')[0];
    var buf = await this.fetchBytes(root + page, false);
    var found = pageSnippet(decoder.decode(new Uint8Array(buf)), terms, wanted);
    if (!found || found.count <= before) return false;
    r.snippet = found.parts;
    if (found.anchor) r.url = page + '#' + found.anchor;
    return true;
  };

  /* Typeahead: frequent words of the archive starting with `prefix`. */
  Engine.prototype.suggest = async function (prefix, max) {
    // `prefix` is the visitor's last word; at least two letters are needed.
    await this.loadManifest();
    var p = surface(prefix.normalize('NFC'));
    if (!p) return [];
    var chars = Array.from(p);
    if (chars.length < 2) return [];
    var key = chars[0] + chars[1];
    var words = [];
    if (this.manifest.suggest.indexOf(key) >= 0) {
      words = await this.file('s-{v}-' + hexOf(key) + '.bin', parseStrings);
    }
    // Words of edited documents after the archive's frequent ones.
    if (this.delta) words = words.concat(this.delta.words.filter(function (w) { return words.indexOf(w) < 0; }));
    return words.filter(function (w) { return w.startsWith(p) && w !== p; }).slice(0, max || 8);
  };

  var api = {
    Engine: Engine,
    analyze: analyze,
    negationPairs: negationPairs,
    stem: stem,
    tokenize: tokenize,
    caseTerm: caseTerm,
    looksLikeCase: looksLikeCase,
    compareKeys: compareKeys,
    highlight: highlight,
    parseShard: parseShard
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }

  /* ---------------- The page ----------------
   * Configuration comes from data- attributes (no inline script): every
   * form with data-search-index gets typeahead; #search-app is the search
   * page. */

  var engines = new Map();

  function engineAt(url) {
    if (!engines.has(url)) engines.set(url, new Engine(url));
    return engines.get(url);
  }

  function supported() {
    return typeof DecompressionStream === 'function' && typeof Blob === 'function' && typeof Response === 'function';
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) {
      return k in values ? String(values[k]) : '';
    });
  }

  function number(n, t) {
    var s = String(n);
    var out = '';
    while (s.length > 3) {
      out = t.thousands + s.slice(-3) + out;
      s = s.slice(0, -3);
    }
    return s + out;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  /* Text with <mark>s, built as nodes: content never becomes HTML. */
  function marked(parts) {
    var frag = document.createDocumentFragment();
    parts.forEach(function (p) {
      frag.appendChild(p.mark ? el('mark', { text: p.text }) : document.createTextNode(p.text));
    });
    return frag;
  }

  /* attrs, with the content's language when the page says it is not the
     interface's: words and texts from the archive are then read with the
     right voice (WCAG 3.1.2). */
  function inContent(attrs, lang) {
    if (lang) attrs.lang = lang;
    return attrs;
  }

  function lastWord(value) {
    var m = /(\S*)$/u.exec(value);
    return m ? m[1] : '';
  }

  var comboCount = 0;

  /* An accessible combobox (WAI-ARIA 1.2 pattern) over a search input. */
  function typeahead(input, engine, t, contentLang) {
    if (!input) return;
    comboCount += 1;
    var listId = (input.id || 'search') + '-forslag-' + comboCount;
    var list = el('ul', { id: listId, role: 'listbox', className: 'typeahead', 'aria-label': t.suggestions });
    list.hidden = true;
    var live = el('span', { className: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    var wrap = el('div', { className: 'typeahead-wrap' });
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(live);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);
    var items = [];
    var active = -1;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.textContent = '';
      items = [];
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    /* A click completes the word, for a query of more words; Enter on a
       suggestion searches for it, as Enter in a search box does. */
    function choose(word, search) {
      var v = input.value;
      input.value = v.slice(0, v.length - lastWord(v).length) + word + (search ? '' : ' ');
      close();
      input.focus();
      if (search && input.form) {
        if (input.form.requestSubmit) input.form.requestSubmit();
        else input.form.submit();
      }
    }

    function show(words) {
      close();
      if (words.length === 0) return;
      items = words.map(function (w, i) {
        var li = el('li', inContent({ id: listId + '-' + i, role: 'option', 'aria-selected': 'false', text: w }, contentLang));
        li.addEventListener('mousedown', function (e) {
          e.preventDefault();
          choose(w);
        });
        list.appendChild(li);
        return li;
      });
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      live.textContent = format(words.length === 1 ? t.suggestions_one : t.suggestions_many, { n: words.length });
    }

    function move(delta) {
      if (items.length === 0) return;
      if (active >= 0) items[active].setAttribute('aria-selected', 'false');
      active = (active + delta + items.length) % items.length;
      items[active].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', items[active].id);
    }

    input.addEventListener('input', function () {
      var word = lastWord(input.value);
      var ask = ++asked;
      if (Array.from(word).length < 2 || !supported()) {
        close();
        return;
      }
      engine.suggest(word, 8).then(function (words) {
        if (ask === asked) show(words);
      }, close);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && items.length) {
        e.preventDefault();
        move(1);
      } else if (e.key === 'ArrowUp' && items.length) {
        e.preventDefault();
        move(-1);
      } else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        choose(items[active].textContent, true);
      } else if (e.key === 'Escape' && items.length) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener('blur', close);
    if (input.form) {
      input.form.addEventListener('submit', function () {
        asked += 1;
        close();
      });
    }
  }

  function runSearchPage(app, form, engine, t, contentLang) {
    var status = document.getElementById('search-status');
    var list = document.getElementById('search-results');
    var more = document.getElementById('search-more');
    var root = app.getAttribute('data-root') || '/';
    var q = form.elements.q;
    var committee = form.elements.udvalg;
    var year = form.elements.aar;
    var decisions = form.elements.beslutning;
    var state = null;
    var run = 0;

    function readUrl() {
      var p = new URLSearchParams(window.location.search);
      q.value = p.get('q') || '';
      if (committee) committee.value = p.get('udvalg') || '';
      if (year) year.value = p.get('aar') || '';
      if (decisions) decisions.checked = p.get('beslutning') === '1';
    }

    function params() {
      var p = new URLSearchParams();
      if (q.value.trim()) p.set('q', q.value.trim());
      if (committee && committee.value) p.set('udvalg', committee.value);
      if (year && year.value) p.set('aar', year.value);
      if (decisions && decisions.checked) p.set('beslutning', '1');
      return p;
    }

    function dateText(d) {
      return format(t.date, { d: d.day, m: t.months[d.month - 1], y: d.year });
    }

    /* Where a result's title turns to content, or -1 where it does not: a
       case page's title starts with the interface's "Case 24/277: ", and
       a closed item without a public title has the interface's label. */
    function contentFrom(r) {
      if (r.kind === 'case') {
        var at = r.caseNumber ? r.title.indexOf(r.caseNumber + ': ') : -1;
        return at < 0 ? -1 : at + r.caseNumber.length + 2;
      }
      return r.kind === 'closed' && r.title === t.closed_item ? -1 : 0;
    }

    function renderResult(r, terms) {
      var from = contentLang ? contentFrom(r) : -1;
      var title = el('a', inContent({ href: root + r.url }, from === 0 ? contentLang : ''));
      if (from > 0) {
        title.appendChild(marked(highlight(r.title.slice(0, from), terms)));
        title.appendChild(el('span', { lang: contentLang }, [marked(highlight(r.title.slice(from), terms))]));
      } else {
        title.appendChild(marked(highlight(r.title, terms)));
      }
      var about = [dateText(r.date)];
      if (r.kind === 'case') about.push(t.case_page);
      else if (r.kind === 'closed') about.push(t.closed_item);
      else about.push(t.status[r.status] || '');
      if (r.inDecision) about.push(t.decision_match);
      var meta = r.committee ? [el('span', inContent({ text: r.committee }, contentLang)), ' · '] : [];
      meta.push(about.filter(Boolean).join(' · '));
      var li = el('li', { className: 'search-result' + (r.kind === 'closed' ? ' is-closed' : '') }, [
        el('h3', { className: 'search-result-title' }, [title]),
        el('p', { className: 'search-result-meta' }, meta)
      ]);
      setSnippet(li, r.snippet);
      return li;
    }

    /* The paragraph stays when its text changes: a screen reader reading
       the list keeps its place. */
    function setSnippet(li, parts) {
      var p = li.querySelector('.search-result-snippet');
      if (!parts.length) return;
      if (p) {
        p.textContent = '';
      } else {
        p = el('p', inContent({ className: 'search-result-snippet' }, contentLang));
        li.appendChild(p);
      }
      p.appendChild(marked(parts));
    }

    /* A snippet from the result's page, when that explains more of the
       query (see Engine.deepen); the stored one stays if the page fails.
       `data-snippets` on the app counts the pages still coming. */
    var pending = 0;
    function deepen(li, r, terms) {
      app.setAttribute('data-snippets', ++pending);
      engine.deepen(r, terms, root).then(function (changed) {
        if (!changed) return;
        setSnippet(li, r.snippet);
        li.querySelector('h3 a').setAttribute('href', root + r.url);
      }).catch(function () {}).then(function () {
        if (--pending > 0) app.setAttribute('data-snippets', pending);
        else app.removeAttribute('data-snippets');
      });
    }

    function say(text) {
      status.textContent = text;
    }

    async function search(from) {
      var mine = ++run;
      var query = q.value.trim();
      if (!query) {
        list.textContent = '';
        more.hidden = true;
        say('');
        app.setAttribute('data-state', 'empty');
        return;
      }
      if (!supported()) {
        say(t.unsupported);
        app.setAttribute('data-state', 'error');
        return;
      }
      var filters = {
        committee: committee ? committee.value : '',
        year: year ? year.value : '',
        decisions: decisions ? decisions.checked : false
      };
      app.setAttribute('aria-busy', 'true');
      app.setAttribute('data-state', 'searching');
      if (from === 0) say(t.searching);
      try {
        var res = await engine.search(query, filters, from, from + t.page_size);
        if (mine !== run) return;
        var terms = new Set(res.terms.filter(function (k) { return k[0] !== '#'; }));
        if (from === 0) list.textContent = '';
        var first = null;
        res.results.forEach(function (r) {
          var li = renderResult(r, terms);
          list.appendChild(li);
          deepen(li, r, terms);
          if (!first) first = li.querySelector('a');
        });
        state = { shown: from + res.results.length, total: res.total };
        more.hidden = state.shown >= state.total;
        if (res.total === 0) say(format(t.none, { q: query }));
        else if (state.shown < res.total && from > 0) say(format(t.showing, { shown: number(state.shown, t), total: number(res.total, t), q: query }));
        else say(format(res.total === 1 ? t.count_one : t.count_many, { n: number(res.total, t), q: query }));
        if (from > 0 && first) first.focus();
        app.setAttribute('data-state', 'done');
      } catch (e) {
        if (mine === run) {
          say(t.error);
          app.setAttribute('data-state', 'error');
        }
      } finally {
        if (mine === run) app.removeAttribute('aria-busy');
      }
    }

    // A new history entry only for a new search: Back then leads to the
    // search before, not to the same one again.
    function go() {
      var p = params().toString();
      var url = p ? '?' + p : window.location.pathname;
      if (url !== (window.location.search || window.location.pathname)) {
        window.history.pushState(null, '', url);
      }
      search(0);
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      go();
    });
    // A filter changed after a search applies at once, as the visitor
    // expects from what the form shows; the count is announced as always.
    [committee, year, decisions].forEach(function (f) {
      if (f) {
        f.addEventListener('change', function () {
          if (q.value.trim()) go();
        });
      }
    });
    more.addEventListener('click', function () {
      if (state) search(state.shown);
    });
    window.addEventListener('popstate', function () {
      readUrl();
      search(0);
    });
    readUrl();
    search(0);
  }

  function startPage() {
    var forms = document.querySelectorAll('form[data-search-index]');
    Array.prototype.forEach.call(forms, function (form) {
      var t;
      try {
        t = JSON.parse(form.getAttribute('data-search-i18n'));
      } catch (e) {
        return;
      }
      var engine = engineAt(new URL(form.getAttribute('data-search-index'), window.location.href).href);
      var contentLang = form.getAttribute('data-content-lang') || '';
      typeahead(form.elements.q, engine, t, contentLang);
      var app = document.getElementById('search-app');
      if (app && form.id === 'search-form') runSearchPage(app, form, engine, t, contentLang);
    });
  }
  // Last: the page code above must be initialised first.
  if (typeof document !== 'undefined') {
    global.protokolSearch = api;
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', startPage);
    } else {
      startPage();
    }
  }
})(typeof window !== 'undefined' ? window : globalThis);
