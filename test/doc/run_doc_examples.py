#!/usr/bin/env python3
"""test/doc/run_doc_examples.py - the doc test: every SQL example of the
given Markdown pages runs, and prints what the page shows.

Each page runs in a database of its own, made fresh, where a superuser ran
only CREATE EXTENSION dllb; the page's examples then run as an ordinary role
(--user, the database's owner) with the default search_path, in the page's
order, in one psql session, so an example may use what an earlier one
created.

What counts as an example:
  ```sql ... ```    SQL that runs
  ```  ... ```      (no language, or "text") right after a sql block,
                    with only blank lines between: the exact output psql
                    (-X -q, aligned, VERBOSITY terse, stderr merged) must
                    print for that block.  A sql block with no output
                    block after it must run without an ERROR.
  <!-- doc-test: superuser -->   on the line before a sql block: that
                    block runs as the superuser (CREATE EXTENSION, ALTER
                    SYSTEM ...), the rest as the ordinary role.

Prints one line per page, "doc ok PAGE (N examples)" or "doc FAILED PAGE",
with the differences under a failed page; writes each page's script, output
and differences to --out.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys

FENCE = re.compile(r'^(\s*)```\s*([A-Za-z0-9_+-]*)([^\n`]*)$')
MARK = '@@dllb-doc-example-%d@@'


def parse(path):
    """[(line, sql, expected or None, superuser)] of one page"""
    lines = open(path, encoding='utf-8').read().split('\n')
    blocks = []                 # (start line, lang, text, superuser)
    i = 0
    pending_su = False
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            if lines[i].strip() == '<!-- doc-test: superuser -->':
                pending_su = True
            elif lines[i].strip():
                pending_su = False
            i += 1
            continue
        indent, lang = m.group(1), m.group(2).lower()
        start = i
        body = []
        i += 1
        while i < len(lines) and not re.match(r'^\s*```\s*$', lines[i]):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line)
            i += 1
        i += 1
        blocks.append((start + 1, lang, '\n'.join(body), pending_su, i))
        pending_su = False
    examples = []
    for n, (line, lang, text, su, end) in enumerate(blocks):
        if lang != 'sql':
            continue
        expected = None
        if n + 1 < len(blocks):
            nline, nlang, ntext, _, _ = blocks[n + 1]
            between = lines[end:nline - 1]
            if nlang in ('', 'text') and all(not x.strip() for x in between):
                expected = ntext
        examples.append((line, text, expected, su))
    return examples


def norm(text):
    out = [l.rstrip() for l in text.split('\n')]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def psql(args, base, user, db, script):
    env = dict(os.environ, PGTZ='UTC', PGDATESTYLE='ISO, YMD', PGCLIENTENCODING='UTF8')
    cmd = base + ['-U', user, '-d', db]
    p = subprocess.run(cmd, input=script, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=env, text=True, timeout=args.timeout)
    return p.returncode, p.stdout


def run_page(args, base, path):
    name = os.path.relpath(path, args.root) if args.root else os.path.basename(path)
    stem = re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')
    db = 'doc_' + stem
    examples = parse(path)
    if not examples:
        return name, True, 0, ''
    setup = ('DROP DATABASE IF EXISTS %s;\nCREATE DATABASE %s OWNER %s;\n\\c %s\n'
             'CREATE EXTENSION dllb;\n' % (db, db, args.user, db))
    rc, out = psql(args, base, args.admin, 'postgres', setup)
    if rc != 0:
        return name, False, len(examples), 'setup failed:\n' + out
    script = ['\\set VERBOSITY terse', '\\pset pager off']
    for n, (line, sql, expected, su) in enumerate(examples):
        script.append('\\echo ' + MARK % n)
        if su:
            script.append('\\c - ' + args.admin)
        script.append(sql)
        if not sql.rstrip().endswith((';', '\\gx', '\\g')) and not sql.strip().startswith('\\'):
            script.append(';')
        if su:
            script.append('\\c - ' + args.user)
    script.append('\\echo ' + MARK % len(examples))
    text = '\n'.join(script) + '\n'
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, stem + '.sql'), 'w', encoding='utf-8') as f:
        f.write(text)
    rc, out = psql(args, base, args.user, db, text)
    with open(os.path.join(args.out, stem + '.out'), 'w', encoding='utf-8') as f:
        f.write(out)
    parts = {}
    for n in range(len(examples) + 1):
        parts[n] = None
    pos = {}
    for n in range(len(examples) + 1):
        k = out.find(MARK % n)
        pos[n] = k
    problems = []
    for n, (line, sql, expected, su) in enumerate(examples):
        a, b = pos[n], pos[n + 1]
        if a < 0 or b < 0:
            problems.append('%s:%d: the session stopped before this example ended:\n%s'
                            % (name, line, out[-2000:]))
            break
        got = out[a + len(MARK % n):b]
        got_lines = norm(got)
        if expected is None:
            if any(l.startswith(('ERROR:', 'FATAL:', 'psql:')) for l in got_lines):
                problems.append('%s:%d: the example fails:\n%s' % (name, line, '\n'.join(got_lines)))
            continue
        want_lines = norm(expected)
        if got_lines != want_lines:
            diff = difflib.unified_diff(want_lines, got_lines, 'page shows', 'psql prints',
                                        lineterm='')
            problems.append('%s:%d: the output differs:\n%s' % (name, line, '\n'.join(diff)))
    # leave nothing behind
    psql(args, base, args.admin, 'postgres', 'DROP DATABASE IF EXISTS %s;\n' % db)
    report = '\n\n'.join(problems)
    with open(os.path.join(args.out, stem + '.diffs'), 'w', encoding='utf-8') as f:
        f.write(report)
    return name, not problems, len(examples), report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--psql', default='psql')
    ap.add_argument('--host', required=True)
    ap.add_argument('--port', required=True)
    ap.add_argument('--admin', required=True, help='a superuser')
    ap.add_argument('--user', required=True, help='the ordinary role that runs the examples')
    ap.add_argument('--out', required=True)
    ap.add_argument('--root', default=None, help='page names relative to this folder')
    ap.add_argument('--timeout', type=int, default=600)
    ap.add_argument('pages', nargs='+')
    args = ap.parse_args()
    if args.root is None:
        args.root = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in args.pages])
    base = [args.psql, '-X', '-q', '-h', args.host, '-p', str(args.port)]
    failed = 0
    for page in args.pages:
        name, ok, n, report = run_page(args, base, os.path.abspath(page))
        if ok:
            print('doc ok %s (%d examples)' % (name, n))
        else:
            failed += 1
            print('doc FAILED %s' % name)
            for l in report.split('\n')[:200]:
                print('    ' + l)
        sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
