#!/usr/bin/python3
"""test/conformance/conformance.py - play SurrealDB's language tests through dllb.query.

Usage: conformance.py --host H --port P --user U SUITE [AREA ...]

SUITE is the path of a copy of surrealdb/surrealdb's language-tests/tests
folder (never part of this repository).  Each test file's statements run
in a database of its own (a copy of a template that has only CREATE
EXTENSION dllb), one statement per dllb.query call (a BEGIN ... COMMIT |
CANCEL block in one call), so a failing statement fails alone, as in
SurrealDB.  LET runs in the call of the statement that binds it and its
value is passed on as a parameter to the calls after it.

A statement's value is rebuilt from dllb's rows (one row per record,
tagged with the statement): SELECT, CREATE, UPDATE, UPSERT, DELETE, RELATE
and INSERT give the array of their rows (ONLY: the one row, or NONE);
any other statement its one row, NONE without rows.  It passes when it
equals the expected value (record ids compare with dllb's table:key
strings, numbers by value), or when an error was expected and dllb raised
one (messages differ on purpose).  A "match" expectation is checked by
running it through dllb.query with $result bound.  A test (file) passes
when all its statements do.

Output: one line per area - tests passed/total, statements passed/total,
and "wrong": statements where dllb returned a value other than the
expected one (the silent wrong answers), with --verbose listing them.
"""
import argparse
import json
import math
import os
import re
import sys
import tomllib
from decimal import Decimal

import psycopg2

AREAS = {
    'statements': ['language/statements/create', 'language/statements/select',
                   'language/statements/update', 'language/statements/upsert',
                   'language/statements/delete', 'language/statements/insert',
                   'language/statements/relate', 'language/statements/return',
                   'language/statements/remove', 'language/statements/info',
                   'language/statements/throw', 'language/statements/for',
                   'language/statements/block'],
    'graph': ['language/graph'],
    'full-text': ['language/indexes/full_text', 'language/indexes/search',
                  'language/functions/search'],
    'vectors': ['language/indexes/knn'],
    'define': ['language/statements/define/table', 'language/statements/define/field',
               'language/statements/define/index', 'language/statements/define/analyzer'],
    'functions': ['language/functions/string', 'language/functions/array',
                  'language/functions/math', 'language/functions/type',
                  'language/functions/time', 'language/functions/rand',
                  'language/functions/object', 'language/functions/count.surql',
                  'language/constants/math'],
    'let': ['language/statements/let'],
    'if': ['language/statements/if'],
    'transactions': ['language/statements/transaction', 'language/control_flow/transaction'],
    'operators': ['language/expression/operators'],
    'udf': ['language/statements/define/function', 'language/statements/define/param',
            'language/param/define_global_param.surql'],
}

# ---- SurrealQL values ---------------------------------------------------------


class NoneV:
    def __repr__(self):
        return 'NONE'


NONE = NoneV()


class Tagged:
    """a value dllb shows as a string: record, datetime, uuid, duration, regex"""

    def __init__(self, kind, text):
        self.kind, self.text = kind, text

    def __repr__(self):
        return '%s(%s)' % (self.kind, self.text)


class Unparsable(Exception):
    pass


class ValueParser:
    def __init__(self, s):
        self.s, self.i = s, 0

    def ws(self):
        while self.i < len(self.s):
            if self.s[self.i].isspace():
                self.i += 1
            elif self.s.startswith('--', self.i) or self.s.startswith('//', self.i):
                while self.i < len(self.s) and self.s[self.i] != '\n':
                    self.i += 1
            else:
                break

    def peek(self, t):
        self.ws()
        return self.s.startswith(t, self.i)

    def eat(self, t):
        if self.peek(t):
            self.i += len(t)
            return True
        return False

    def expect(self, t):
        if not self.eat(t):
            raise Unparsable('expected %r at %d in %r' % (t, self.i, self.s))

    def string(self):
        q = self.s[self.i]
        self.i += 1
        out = []
        while self.i < len(self.s) and self.s[self.i] != q:
            c = self.s[self.i]
            if c == '\\':
                self.i += 1
                c = self.s[self.i]
                c = {'n': '\n', 't': '\t', 'r': '\r', '0': '\0'}.get(c, c)
                if c == 'u' and self.s[self.i + 1] == '{':
                    end = self.s.index('}', self.i)
                    c = chr(int(self.s[self.i + 2:end], 16))
                    self.i = end
            out.append(c)
            self.i += 1
        if self.i >= len(self.s):
            raise Unparsable('unterminated string')
        self.i += 1
        return ''.join(out)

    def ident(self):
        self.ws()
        if self.s[self.i] == '`':
            self.i += 1
            end = self.s.index('`', self.i)
            r = self.s[self.i:end]
            self.i = end + 1
            return r
        if self.s[self.i] == '⟨':
            self.i += 1
            end = self.s.index('⟩', self.i)
            r = self.s[self.i:end]
            self.i = end + 1
            return r
        m = re.compile(r'[A-Za-z_][A-Za-z0-9_]*').match(self.s, self.i)
        if not m:
            raise Unparsable('expected a name at %d in %r' % (self.i, self.s))
        self.i = m.end()
        return m.group(0)

    def value(self):
        self.ws()
        s, i = self.s, self.i
        if i >= len(s):
            raise Unparsable('end of value')
        c = s[i]
        if c == '[':
            self.i += 1
            items = []
            while not self.eat(']'):
                items.append(self.value())
                if not self.eat(','):
                    self.expect(']')
                    break
            return items
        if c == '{':
            self.i += 1
            obj = {}
            while not self.eat('}'):
                self.ws()
                if self.s[self.i] in '\'"':
                    k = self.string()
                else:
                    m = re.compile(r'[A-Za-z0-9_]+').match(self.s, self.i)
                    if m and not self.s[m.end():].lstrip().startswith(':'):
                        raise Unparsable('a set or block, not an object')
                    k = self.ident() if not (m and m.group(0)[0].isdigit()) else m.group(0)
                    if m and m.group(0)[0].isdigit():
                        self.i = m.end()
                self.expect(':')
                obj[k] = self.value()
                if not self.eat(','):
                    self.expect('}')
                    break
            return obj
        if c in '\'"':
            return self.string()
        if c in 'sdurb' and i + 1 < len(s) and s[i + 1] in '\'"':
            self.i += 1
            t = self.string()
            if c == 's':
                return t
            return Tagged({'d': 'datetime', 'u': 'uuid', 'r': 'record', 'b': 'bytes'}[c], t)
        if c == '(':
            # a geometry point (x, y): dllb's value is its GeoJSON object
            self.i += 1
            x = self.value()
            self.expect(',')
            y = self.value()
            self.expect(')')
            return {'type': 'Point', 'coordinates': [x, y]}
        if c == '/':
            # a regex: dllb's value is the string of its text, /pattern/
            j = i + 1
            while j < len(s) and s[j] != '/':
                j += 2 if s[j] == '\\' else 1
            if j >= len(s):
                raise Unparsable('unterminated regex')
            self.i = j + 1
            return Tagged('regex', s[i:j + 1])
        m = re.compile(r'-?(\d+(\.\d+)?([eE][-+]?\d+)?)(dec|f)?(?![A-Za-z0-9_])').match(s, i)
        if m:
            self.i = m.end()
            t = m.group(0)
            if t.endswith('dec'):
                return Decimal(t[:-3])
            if t.endswith('f') or '.' in m.group(1) or 'e' in m.group(1).lower():
                return float(t.rstrip('f'))
            return int(t)
        m = re.compile(r'(\d+(y|w|d|h|ms|m|s|us|µs|ns))+').match(s, i)
        if m:
            self.i = m.end()
            return Tagged('duration', m.group(0))
        for word, v in (('NONE', NONE), ('NULL', None), ('true', True), ('false', False),
                        ('NaN', float('nan')), ('-Infinity', float('-inf')),
                        ('Infinity', float('inf')), ('None', NONE)):
            if re.compile(re.escape(word) + r'(?![A-Za-z0-9_:])').match(s, i):
                self.i += len(word)
                return v
        if c == '-' or c.isdigit():
            raise Unparsable('number at %d in %r' % (i, s))
        # a record id: table:key
        tb = self.ident()
        if not self.eat(':'):
            raise Unparsable('a bare name %r' % tb)
        self.ws()
        c = self.s[self.i]
        if c in '[{':
            key = self.value()
            t = Tagged('record', '%s:%s' % (tb, json.dumps(key, sort_keys=True, default=str)))
            t.key = key
            return t
        if c == 'u' and self.s[self.i + 1] in '\'"':
            self.i += 1
            return Tagged('record', '%s:%s' % (tb, self.string()))
        m = re.compile(r'-?\d+(?![A-Za-z0-9_])').match(self.s, self.i)
        if m:
            self.i = m.end()
            return Tagged('record', '%s:%s' % (tb, m.group(0)))
        m = re.compile(r'[A-Za-z0-9_]+').match(self.s, self.i)
        if m and self.s[self.i] not in '`⟨':
            self.i = m.end()
            return Tagged('record', '%s:%s' % (tb, m.group(0)))
        return Tagged('record', '%s:%s' % (tb, self.ident()))


def parse_value(text):
    p = ValueParser(text)
    v = p.value()
    p.ws()
    if p.i != len(p.s):
        raise Unparsable('trailing text in %r' % text)
    return v


def record_key(text):
    """table:key of a dllb record string, the key unquoted"""
    tb, _, key = text.partition(':')
    if key.startswith('⟨') and key.endswith('⟩'):
        key = key[1:-1].replace('\\⟩', '⟩')
    elif key.startswith('`') and key.endswith('`'):
        key = key[1:-1]
    return tb, key


def equal(exp, act, cfg):
    if exp is NONE:
        return act is NONE
    if act is NONE:
        return False
    if isinstance(exp, Tagged):
        if not isinstance(act, str):
            return False
        if exp.kind == 'record':
            et, ek = record_key(exp.text)
            at, ak = record_key(act)
            if cfg.get('skip-record-id-key'):
                return et == at
            if getattr(exp, 'key', None) is not None:
                # an array or object key: dllb prints it in SurrealQL
                try:
                    return et == at and equal(exp.key, texts_of(parse_value(ak)), cfg)
                except (Unparsable, ValueError, IndexError):
                    return False
            return et == at and ek == ak
        if exp.kind == 'datetime' and cfg.get('skip-datetime'):
            return True
        if exp.kind == 'uuid' and cfg.get('skip-uuid'):
            return True
        return exp.text == act
    if isinstance(exp, bool) or isinstance(act, bool):
        return type(exp) is type(act) and exp == act
    if isinstance(exp, (int, float, Decimal)):
        if not isinstance(act, (int, float, Decimal)) and not (
                isinstance(exp, float) and not math.isfinite(exp)):
            return False
        if isinstance(exp, float) and not math.isfinite(exp):
            # dllb writes NaN and the infinities as the JSON strings
            # "NaN", "Infinity" and "-Infinity" (doc/dialect.md)
            if isinstance(act, str):
                return act == {'nan': 'NaN', 'inf': 'Infinity', '-inf': '-Infinity'}[str(exp)]
            if math.isnan(exp):
                return isinstance(act, float) and math.isnan(act)
        e, a = float(exp), float(act)
        if e == a:
            return True
        tol = 1e-6 if cfg.get('float-roughly-eq') or cfg.get('decimal-roughly-eq') else 1e-12
        return abs(e - a) <= tol * max(abs(e), abs(a))
    if isinstance(exp, str):
        return isinstance(act, str) and exp == act
    if exp is None:
        return act is None
    if isinstance(exp, list):
        return isinstance(act, list) and len(exp) == len(act) and \
            all(equal(e, a, cfg) for e, a in zip(exp, act))
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            return False
        ek = {k for k, v in exp.items() if v is not NONE}
        return ek == set(act.keys()) and all(equal(exp[k], act[k], cfg) for k in ek)
    return False


def texts_of(v):
    """a parsed value with its records, datetimes ... as dllb's strings"""
    if isinstance(v, Tagged):
        return v.text
    if isinstance(v, list):
        return [texts_of(x) for x in v]
    if isinstance(v, dict):
        return {k: texts_of(x) for k, x in v.items()}
    return v


def from_json(v):
    if isinstance(v, float) and v == int(v) and abs(v) < 2**53:
        return v
    return v

# ---- test files -----------------------------------------------------------------


def test_config(text):
    parts = re.findall(r'/\*\*(.*?)\*/', text, re.S)
    parts += [m for m in re.findall(r'^//!(.*)$', text, re.M)]
    return tomllib.loads('\n'.join(parts)) if parts else {}


def split_statements(text):
    """the top-level statements of a SurrealQL script, comments dropped"""
    text = re.sub(r'/\*\*.*?\*/', '', text, flags=re.S)
    out, cur, depth, i = [], [], 0, 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            cur.append(' ')
            continue
        if text.startswith('--', i) or text.startswith('//', i) or c == '#':
            while i < n and text[i] != '\n':
                i += 1
            continue
        if c in '\'"`' or c == '⟨':
            close = '⟩' if c == '⟨' else c
            j = i + 1
            while j < n and text[j] != close:
                j += 2 if text[j] == '\\' else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        if c == ';' and depth <= 0:
            st = ''.join(cur).strip()
            if st:
                out.append(st)
            cur = []
            depth = 0
        else:
            cur.append(c)
        i += 1
    st = ''.join(cur).strip()
    if st:
        out.append(st)
    return out


RECORD_STMTS = ('SELECT', 'CREATE', 'UPDATE', 'UPSERT', 'DELETE', 'RELATE', 'INSERT')


def first_word(st):
    m = re.match(r'\s*([A-Za-z]+)', st)
    return m.group(1).upper() if m else ''


def is_only(st):
    w = first_word(st)
    if w == 'SELECT':
        return re.search(r'\bFROM\s+ONLY\b', st, re.I) is not None
    return re.match(r'\s*\w+\s+ONLY\b', st, re.I) is not None


def statement_value(st, rows):
    w = first_word(st)
    vals = [r if r is NONE else from_json(r) for r in rows]
    if w in RECORD_STMTS and not is_only(st):
        return vals
    if not vals:
        return NONE
    if len(vals) == 1:
        return vals[0]
    return vals


class Runner:
    def __init__(self, args):
        self.args = args
        self.admin = psycopg2.connect(host=args.host, port=args.port, user=args.user,
                                      dbname='postgres')
        self.admin.autocommit = True
        cur = self.admin.cursor()
        cur.execute("DROP DATABASE IF EXISTS dllb_conformance_tpl")
        cur.execute("CREATE DATABASE dllb_conformance_tpl")
        c = psycopg2.connect(host=args.host, port=args.port, user=args.user,
                             dbname='dllb_conformance_tpl')
        c.autocommit = True
        c.cursor().execute("CREATE EXTENSION dllb")
        c.close()

    def fresh_db(self):
        cur = self.admin.cursor()
        cur.execute("DROP DATABASE IF EXISTS dllb_conformance")
        cur.execute("CREATE DATABASE dllb_conformance TEMPLATE dllb_conformance_tpl")
        c = psycopg2.connect(host=self.args.host, port=self.args.port, user=self.args.user,
                             dbname='dllb_conformance')
        c.autocommit = True
        c.cursor().execute("SET statement_timeout = '20s'")
        return c

    def call(self, conn, q, params):
        cur = conn.cursor()
        try:
            cur.execute("SELECT stmt, result::text FROM dllb.query(%s, %s::jsonb)",
                        (q, json.dumps(params)))
            # a result that is SQL NULL is NONE, JSON null is NULL
            rows = [(st, NONE if r is None else json.loads(r)) for st, r in cur.fetchall()]
            return rows, None
        except psycopg2.Error as e:
            return None, (e.pgcode, (e.pgerror or str(e)).strip().split('\n')[0])

    def play(self, conn, stmts, params, results):
        """run stmts; append (value | ('error', msg)) for each to results"""
        i = 0
        while i < len(stmts):
            st = stmts[i]
            w = first_word(st)
            if w == 'BEGIN':
                j = i + 1
                while j < len(stmts) and first_word(stmts[j]) not in ('COMMIT', 'CANCEL'):
                    j += 1
                block = stmts[i:j + 1]
                rows, err = self.call(conn, ';\n'.join(block), params)
                results.append(NONE)
                for k, s in enumerate(block[1:], start=2):
                    if err or (block[-1].upper().startswith('CANCEL') and k < len(block)):
                        results.append(('error', err[1] if err else 'cancelled'))
                    elif k == len(block):
                        results.append(NONE)
                    else:
                        results.append(statement_value(s, [r[1] for r in rows if r[0] == k]))
                i = j + 1
                continue
            m = re.match(r'\s*LET\s+\$(\w+)', st, re.I)
            if m:
                rows, err = self.call(conn, st + ';\nRETURN $' + m.group(1), params)
                if err:
                    results.append(('error', err[1]))
                else:
                    params[m.group(1)] = rows[0][1] if rows and rows[0][1] is not NONE else None
                    results.append(NONE)
                i += 1
                continue
            rows, err = self.call(conn, st, params)
            results.append(('error', err[1]) if err else
                           statement_value(st, [r[1] for r in rows]))
            i += 1

    def check_match(self, conn, expr, value):
        rows, err = self.call(conn, 'RETURN ' + expr, {'result': value})
        return err is None and rows and rows[0][1] is True

    def run_file(self, path):
        text = open(path, encoding='utf-8').read()
        try:
            cfg = test_config(text)
        except Exception as e:
            return None
        test = cfg.get('test', {})
        if not test.get('run', True) or test.get('wip'):
            return None
        expected = test.get('results')
        if not isinstance(expected, list):
            return None
        conn = self.fresh_db()
        params = {}
        try:
            for imp in cfg.get('env', {}).get('imports', []):
                ip = os.path.join(os.path.dirname(path) if imp.startswith('.') else
                                  self.args.suite, imp)
                if not os.path.exists(ip):
                    return [(False, False, '', {'error': 'import'}, ('missing import', imp))]
                self.play(conn, split_statements(open(ip, encoding='utf-8').read()), params, [])
            results = []
            stmts = split_statements(text)
            self.play(conn, stmts, params, results)
            outcome = []
            for k, exp in enumerate(expected):
                act = results[k] if k < len(results) else ('error', 'no such statement')
                st = stmts[k] if k < len(stmts) else ''
                if isinstance(exp, str):
                    exp = {'value': exp}
                is_err = isinstance(act, tuple)
                if 'error' in exp and 'value' not in exp and 'match' not in exp:
                    ok = is_err if exp['error'] is not False else not is_err
                    outcome.append((ok, False, st, exp, act))
                    continue
                if 'match' in exp:
                    # a match on $error expects an error (messages differ)
                    if exp.get('error') or '$error' in exp['match']:
                        ok = is_err
                    else:
                        ok = not is_err and self.check_match(conn, exp['match'], jsonable(act))
                    outcome.append((ok, False, st, exp, act))
                    continue
                try:
                    ev = parse_value(exp['value'])
                except (Unparsable, ValueError, IndexError) as e:
                    outcome.append((False, False, st, exp, ('unparsable', str(e))))
                    continue
                ok = not is_err and equal(ev, act, exp)
                outcome.append((ok, not ok and not is_err, st, exp, act))
            if len(results) > len(expected) and expected:
                pass
            return outcome
        finally:
            conn.close()


def jsonable(v):
    if v is NONE:
        return None
    return v


def files_of(suite, prefix):
    p = os.path.join(suite, prefix)
    if os.path.isfile(p):
        return [p]
    out = []
    for d, _, fs in os.walk(p):
        out += [os.path.join(d, f) for f in fs if f.endswith('.surql')]
    return sorted(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--host', required=True)
    ap.add_argument('--port', required=True)
    ap.add_argument('--user', required=True)
    ap.add_argument('--verbose', '-v', action='store_true')
    ap.add_argument('suite')
    ap.add_argument('areas', nargs='*')
    args = ap.parse_args()
    r = Runner(args)
    areas = args.areas or list(AREAS)
    tot = [0, 0, 0, 0, 0]
    print('%-13s %16s %18s %6s' % ('area', 'tests', 'statements', 'wrong'))
    for area in areas:
        t_ok = t_all = s_ok = s_all = wrong = 0
        for prefix in AREAS[area]:
            for f in files_of(args.suite, prefix):
                out = r.run_file(f)
                if out is None:
                    continue
                t_all += 1
                t_ok += all(o[0] for o in out)
                s_all += len(out)
                s_ok += sum(o[0] for o in out)
                wrong += sum(o[1] for o in out)
                if args.verbose:
                    rel = os.path.relpath(f, args.suite)
                    for ok, bad, st, exp, act in out:
                        if not ok:
                            print('  %s %s: %s\n      expected %s\n      got      %s' % (
                                'WRONG' if bad else 'fail ', rel, ' '.join(st.split())[:160],
                                exp.get('value', exp.get('match', exp.get('error'))),
                                str(act)[:300]), file=sys.stderr)
        pct = lambda a, b: 100.0 * a / b if b else 0.0
        print('%-13s %4d/%-4d %5.1f%% %5d/%-5d %5.1f%% %6d' % (
            area, t_ok, t_all, pct(t_ok, t_all), s_ok, s_all, pct(s_ok, s_all), wrong))
        sys.stdout.flush()
        for k, v in enumerate((t_ok, t_all, s_ok, s_all, wrong)):
            tot[k] += v
    print('%-13s %4d/%-4d %5.1f%% %5d/%-5d %5.1f%% %6d' % (
        'total', tot[0], tot[1], 100.0 * tot[0] / max(tot[1], 1), tot[2], tot[3],
        100.0 * tot[2] / max(tot[3], 1), tot[4]))


if __name__ == '__main__':
    main()
