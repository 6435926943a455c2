#!/usr/bin/env bash
# test/bench/fulltext/make_text_corpus.sh - build a deterministic full-text
# corpus and query set from files already present on a Debian bookworm
# machine (no downloads).  Adapted from the team's shared data scripts
# (shared/data/make_text_corpus.sh) for the full-text benchmark; run.sh
# calls it once and caches the output under .dllb/bench/fulltext.
#
# Usage: make_text_corpus.sh OUTDIR
#
# Needs only Debian packages: python3, wordnet-base (/usr/share/wordnet),
# postgresql-15 (its english.stop list), apt lists (apt-get update).
#
# Sources (all local):
#   pkg   - `apt-cache dumpavail` (one doc per binary package: name, short
#           description, section, debtags); long description taken from
#           /var/lib/dpkg/status when the package is installed
#   wn    - WordNet 3.0 synsets (/usr/share/wordnet/data.{noun,verb,adj,adv}):
#           one doc per synset, title = lemmas, body = gloss
#   man   - every English man page under /usr/share/man/man[1-9] (regular
#           files only; `.so` redirects and gcloud alpha/beta pages skipped),
#           roff/mdoc markup stripped by a small Python de-roffer, split at
#           .SH/.Sh headings, long sections chunked to <= ~250 words
#   chlog - /usr/share/doc/*/changelog.Debian.gz split into one doc per entry
#
# Output:
#   OUTDIR/corpus.tsv   id <TAB> src <TAB> title <TAB> body   (COPY text format)
#   OUTDIR/queries.tsv  qid <TAB> band <TAB> query-text
#   OUTDIR/stats.txt    per-source counts
#
# Determinism: LC_ALL=C, sorted file lists, fixed RNG seed. The result depends
# only on the set of installed packages and the apt lists of the machine
# (installing one package with a man page changes the corpus slightly), so the
# package set is written to OUTDIR/manifest_packages.txt; compare md5sums of
# corpus.tsv only between runs with identical manifests.
set -euo pipefail
export LC_ALL=C LANG=C TZ=UTC
OUT=${1:?usage: make_text_corpus.sh OUTDIR}
PY=/usr/bin/python3
STOP=${STOPWORDS:-/usr/share/postgresql/15/tsearch_data/english.stop}
mkdir -p "$OUT"
WORK="$OUT/work"
rm -rf "$WORK"; mkdir -p "$WORK"

# ---- 1. package metadata -------------------------------------------------
apt-cache dumpavail > "$WORK/dumpavail.txt"
cp /var/lib/dpkg/status "$WORK/dpkg_status.txt"
# record the input package set: the corpus is a function of it
dpkg-query -W -f '${Package} ${Version}\n' | sort > "$OUT/manifest_packages.txt"

# ---- 2. man page list (rendered to text by a small roff stripper below;
#      groff was too slow for ~12k pages on 2 cores)
# gcloud_alpha_* / gcloud_beta_* pages are near-duplicates of the GA gcloud
# pages and would dominate the corpus, so they are left out.
find /usr/share/man/man[1-9] -maxdepth 1 -type f -name '*.gz' \
     ! -name 'gcloud_alpha_*' ! -name 'gcloud_beta_*' | sort > "$WORK/manlist.txt"

# ---- 3. assemble corpus + queries ----------------------------------------
"$PY" - "$OUT" "$WORK" "$STOP" <<'PYEOF'
import sys, os, re, gzip, glob, random, collections
out, work, stopfile = sys.argv[1], sys.argv[2], sys.argv[3]
docs = []   # (src, title, body)

def clean(s):
    s = (s.replace('\u2010', '-').replace('\u2212', '-').replace('\u2011', '-')
          .replace('\u2018', "'").replace('\u2019', "'")
          .replace('\u201c', '"').replace('\u201d', '"'))
    return re.sub(r'\s+', ' ', s).strip()

# --- pkg
def parse_stanzas(path):
    with open(path, encoding='utf-8', errors='replace') as fh:
        cur, key = {}, None
        for line in fh:
            line = line.rstrip('\n')
            if not line:
                if cur: yield cur
                cur, key = {}, None
                continue
            if line[0] in ' \t' and key:
                cur[key] += '\n' + line
            else:
                k, _, v = line.partition(':')
                key = k; cur[k] = v.strip()
        if cur: yield cur
longdesc = {}
for st in parse_stanzas(os.path.join(work, 'dpkg_status.txt')):
    d = st.get('Description', '')
    if '\n' in d:
        body = '\n'.join(l[1:] if l.startswith(' ') else l for l in d.split('\n'))
        longdesc[st['Package']] = body.replace('\n.\n', '\n')
seen = set()
for st in parse_stanzas(os.path.join(work, 'dumpavail.txt')):
    p = st.get('Package')
    if not p or p in seen: continue
    seen.add(p)
    desc = longdesc.get(p, st.get('Description', ''))
    tags = st.get('Tag', '').replace('\n', ' ')
    body = '%s. Section: %s. Tags: %s' % (desc, st.get('Section', ''), tags)
    docs.append(('pkg', p, clean(body)))
n_pkg = len(docs)

# --- wordnet
for pos in ('noun', 'verb', 'adj', 'adv'):
    with open('/usr/share/wordnet/data.' + pos, encoding='latin-1') as fh:
        for line in fh:
            if line.startswith('  '): continue
            head, _, gloss = line.partition(' | ')
            f = head.split()
            wcnt = int(f[3], 16)
            words = [f[4 + 2 * i].replace('_', ' ') for i in range(wcnt)]
            docs.append(('wn', ', '.join(words), clean(gloss)))
n_wn = len(docs) - n_pkg

# --- man pages: strip roff/mdoc markup, split at .SH/.Sh headings
DROP = set('TH Dd Dt Os PP LP P RS RE sp br nf fi ft ne ti in ll na ad hy nh '
           'ps vs ce bp ta tr so mso ds nr rm rn als am as cc ec eo lf pc '
           'UC DT PD HP Bl El Bd Ed Ns No Pp Lp Sm Bk Ek It Oo Oc Po Pc Bo Bc '
           'Do Dc Qo Qc So Sc Eo Ec Ft Fo Fc Rs Re YS SY OP EE EX ME MT UE UR '
           'co cs cu fc fl hc hw hla hpf lc lg ls mk nm nn ns os pl pm pn rj rt '
           'ss sv tc tl tm uf wh ch dt it'.split())
MDOC_WORD = re.compile(r'^(?:[A-Z][a-z][a-z]?|[A-Z]{2})$')
ESC = [
    (re.compile(r'\\f(?:\[[^\]]*\]|\(..|.)'), ''),
    (re.compile(r'\\s[-+]?\d+|\\s\(\d\d|\\s\[[^\]]*\]'), ''),
    (re.compile(r'\\\*(?:\[[^\]]*\]|\(..|.)'), ''),
    (re.compile(r'\\\((?:em|en|hy|mi)'), '-'),
    (re.compile(r'\\\((?:lq|rq|oq|cq|dq)'), '"'),
    (re.compile(r'\\\(..'), ' '),
    (re.compile(r'\\\[[^\]]*\]'), ' '),
    (re.compile(r'\\[nkgw]\S?(?:\[[^\]]*\]|\(..|.)'), ''),
    (re.compile(r'\\[hvlLDoxXNbCZ]\'[^\']*\''), ' '),
    (re.compile(r'\\[-]'), '-'),
    (re.compile(r'\\[e\\]'), '\\\\'),
    (re.compile(r'\\[&|^%:c0tdu{}!/,~ ]'), ' '),
    (re.compile(r'\\"(.*)$'), ''),
    (re.compile(r'\\(.)'), r'\1'),
]
def deroff(t):
    for rx, rep in ESC:
        t = rx.sub(rep, t)
    return t
def man_sections(text):
    secs, cur_h, cur = [], 'PREAMBLE', []
    skip_until = None
    for line in text.split('\n'):
        if skip_until is not None:
            if line.startswith('..'): skip_until = None
            continue
        if line.startswith(('.\\"', "'\\\"", '.\\#')) or line.strip() in ('.', "'"):
            continue
        if line[:1] in ('.', "'"):
            parts = line[1:].strip().split(None, 1)
            if not parts: continue
            mac, arg = parts[0], (parts[1] if len(parts) > 1 else '')
            if mac in ('de', 'de1', 'ig', 'am', 'TS', 'EQ'):
                skip_until = '..' if mac in ('de', 'de1', 'ig', 'am') else None
                continue
            if mac in ('SH', 'Sh'):
                if cur: secs.append((cur_h, cur))
                cur_h, cur = deroff(arg).replace('"', '').strip().upper() or 'SECTION', []
                continue
            if mac in DROP or mac.startswith(('if', 'ie', 'el', 'TE', 'EN', 'T&')):
                continue
            words = [w for w in arg.replace('"', ' ').split()
                     if not MDOC_WORD.match(w)]
            if mac in ('TP', 'IP'):
                words = words[:1] if mac == 'IP' else []
            cur.append(deroff(' '.join(words)))
        else:
            cur.append(deroff(line))
    if cur: secs.append((cur_h, cur))
    return secs
def chunks(words, maxw=250):
    if len(words) <= maxw * 1.3:
        yield words; return
    for i in range(0, len(words), maxw):
        yield words[i:i + maxw]
for path in open(os.path.join(work, 'manlist.txt')).read().split('\n'):
    if not path: continue
    try:
        raw = gzip.open(path).read()
    except OSError:
        continue
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError:
        text = raw.decode('latin-1')
    if text.lstrip().startswith('.so '): continue
    sec = os.path.basename(os.path.dirname(path))[3:]
    name = os.path.basename(path)[:-3]
    for h, body in man_sections(text):
        words = clean(' '.join(body)).split(' ')
        words = [w for w in words if w]
        if len(words) < 3: continue
        for k, ch in enumerate(chunks(words)):
            t = '%s(%s) %s' % (name, sec, h) + (' #%d' % (k + 1) if k else '')
            docs.append(('man', t, ' '.join(ch)))
n_man = len(docs) - n_pkg - n_wn

# --- changelog entries
ent = re.compile(r'^(\S+) \(([^)]+)\) .*urgency=')
for path in sorted(glob.glob('/usr/share/doc/*/changelog.Debian.gz')):
    try:
        with gzip.open(path, 'rt', encoding='utf-8', errors='replace') as fh:
            text = fh.read()
    except OSError:
        continue
    title, body = None, []
    for l in text.split('\n'):
        m = ent.match(l)
        if m:
            title, body = '%s %s' % (m.group(1), m.group(2)), []
        elif l.startswith(' -- ') and title:
            b = clean('\n'.join(body))
            if len(b.split()) >= 3:
                docs.append(('chlog', title, b))
            title, body = None, []
        elif title:
            body.append(l)
n_chlog = len(docs) - n_pkg - n_wn - n_man

def esc(s):
    return s.replace('\\', '\\\\').replace('\t', ' ').replace('\n', ' ').replace('\r', ' ')
with open(os.path.join(out, 'corpus.tsv'), 'w', encoding='utf-8') as fo:
    for i, (src, t, b) in enumerate(docs, 1):
        fo.write('%d\t%s\t%s\t%s\n' % (i, src, esc(t), esc(b)))

# --- query set: sample by document frequency bands (surface words,
#     lowercased, alphabetic, PG english stopwords removed)
stop = set(open(stopfile).read().split())
tok = re.compile(r'[a-z][a-z]+')
df = collections.Counter()
doc_terms = []
for src, t, b in docs:
    ts = set(w for w in tok.findall((t + ' ' + b).lower()) if w not in stop and len(w) <= 20)
    df.update(ts)
    doc_terms.append((src, t, b))
rng = random.Random(20240601)
def band(lo, hi):
    return sorted(w for w, c in df.items() if lo <= c <= hi)
rare, mid, common = band(5, 30), band(300, 3000), band(8000, 10**9)
queries = []
for w in rng.sample(rare, 40): queries.append(('rare1', w))
for w in rng.sample(mid, 40): queries.append(('mid1', w))
for w in rng.sample(common, min(30, len(common))): queries.append(('common1', w))
# multi-term: consecutive non-stopword words from titles/bodies of random docs
def phrase(n):
    while True:
        src, t, b = doc_terms[rng.randrange(len(doc_terms))]
        ws = [w for w in tok.findall(b.lower()) if w not in stop and df[w] >= 2]
        if len(ws) < n: continue
        i = rng.randrange(len(ws) - n + 1)
        q = ws[i:i + n]
        if len(set(q)) == n: return ' '.join(q)
for n, cnt in ((2, 30), (3, 30), (4, 30)):
    for _ in range(cnt): queries.append(('multi%d' % n, phrase(n)))
with open(os.path.join(out, 'queries.tsv'), 'w') as fo:
    for i, (bnd, q) in enumerate(queries, 1):
        fo.write('%d\t%s\t%s\n' % (i, bnd, q))
with open(os.path.join(out, 'stats.txt'), 'w') as fo:
    fo.write('pkg %d\nwn %d\nman %d\nchlog %d\ntotal %d\nqueries %d\n'
             % (n_pkg, n_wn, n_man, n_chlog, len(docs), len(queries)))
    fo.write('band sizes: rare(5-30)=%d mid(300-3000)=%d common(>=8000)=%d\n'
             % (len(rare), len(mid), len(common)))
PYEOF
rm -rf "$WORK"
cat "$OUT/stats.txt"
