#!/usr/bin/env python3
"""dllb-extract-py: Python declarations, calls, imports and type references
of source files, through Python's own ast module, as the record stream that
codeintel/records.h describes (the same as dllb-extract-c writes).

    extract_py.py --root DIR < paths

Reads relative paths (one a line) on standard input.  A file with a syntax
error is reported (a D record) and parsed again with the offending line
replaced by `pass` (up to 50 times), then cut before it, so the
declarations the parser can still read are loaded.

Node kinds: file, class, function (module level or nested in a function),
method (defined in a class body), variable (a module-level assignment).
USRs (the linking keys) are "py:" + the dotted qualified name, the module
being named as Python imports it: the path below the first folder without
an __init__.py.
"""
import ast
import hashlib
import os
import re
import sys

MAX_FILE_BYTES = 16 * 1024 * 1024

STOP = set("""
alignas alignof an and are as asm assert async at attribute auto await be
bool break by case char class const continue def default define del do
double elif else endif enum except extern false finally float for from
global goto if ifdef ifndef import in include inline int is it lambda long
none nonlocal not null of on or pass raise register restrict return self
short signed sizeof static struct switch that the this to true try typedef
typeof union unsigned void volatile while with yield
""".split())
PART_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def embed_tokens(text):
    out = []
    for p in PART_RE.findall(text):
        if len(p) < 2 or len(p) >= 64 or p.isdigit():
            continue
        p = p.lower()
        if p not in STOP:
            out.append(p)
    return out


def esc(s):
    """A COPY text field (None is \\N)."""
    if s is None:
        return "\\N"
    s = s.replace("\x00", "")
    return (s.replace("\\", "\\\\").replace("\t", "\\t")
             .replace("\n", "\\n").replace("\r", "\\r"))


def node_id(path, kind, qname, ordinal):
    h = hashlib.sha256()
    for part in (path, kind, qname):
        h.update(part.encode("utf-8", "surrogateescape") + b"\x00")
    h.update(str(ordinal).encode())
    return int.from_bytes(h.digest()[:8], "big") & 0x7FFFFFFFFFFFFFFF


def module_name(root, path):
    """Dotted name Python would import the file by: the path below the first
    folder (going up) that has no __init__.py; and that folder."""
    folders = path.split("/")[:-1]
    n = 0
    while n < len(folders) and os.path.exists(
            os.path.join(root, *folders[:len(folders) - n], "__init__.py")):
        n += 1
    pkg = folders[len(folders) - n:]
    base = os.path.basename(path)[:-3]
    names = pkg + ([] if base == "__init__" else [base])
    return ".".join(names), "/".join(folders[:len(folders) - n])


def parse_recovering(text, path, diags):
    """ast.parse, reporting syntax errors and recovering what it can."""
    lines = text.split("\n")
    for _ in range(50):
        try:
            return ast.parse("\n".join(lines), filename=path)
        except SyntaxError as e:
            ln = e.lineno or 0
            diags.append((ln, e.offset or 0, e.msg))
            if ln < 1 or ln > len(lines):
                break
            bad = lines[ln - 1]
            indent = bad[:len(bad) - len(bad.lstrip())]
            if "indent" in (e.msg or "") or bad.strip() in ("pass", ""):
                lines[ln - 1] = ""
                if bad.strip() == "":
                    lines = lines[:ln - 1]
            else:
                lines[ln - 1] = indent + "pass"
        except (ValueError, RecursionError) as e:
            diags.append((0, 0, str(e)))
            break
    # give up on the rest: keep what parses before the last error
    while lines:
        lines = lines[:-1]
        try:
            return ast.parse("\n".join(lines), filename=path)
        except (SyntaxError, ValueError, RecursionError):
            continue
    return ast.Module(body=[], type_ignores=[])


class Extractor:
    def __init__(self, root, path, text, out):
        self.root, self.path, self.text, self.out = root, path, text, out
        self.lines = text.split("\n")
        self.module, self.import_root = module_name(root, path)
        self.file_id = node_id(path, "file", path, 0)
        self.seen = {}
        self.nodes, self.refs, self.incs = [], {}, []
        self.aliases = {}      # local name -> usr (defs, imported names)
        self.modules = {}      # local name -> module (import x as y)
        self.file_doc = None

    def ordinal(self, kind, qname):
        k = (kind, qname)
        n = self.seen.get(k, 0)
        self.seen[k] = n + 1
        return n

    def doc_of(self, node):
        doc = ast.get_docstring(node, clean=False) if isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) else None
        if doc:
            return doc
        # a comment block right above the first line (decorators included)
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        i = first - 2
        block = []
        while i >= 0 and self.lines[i].lstrip().startswith("#"):
            block.append(self.lines[i].strip())
            i -= 1
        return "\n".join(reversed(block)) if block else None

    def source(self, node):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        last = getattr(node, "end_lineno", None) or node.lineno
        return first, last, "\n".join(self.lines[first - 1:last])

    def add(self, node, kind, name, qname, parent, embed, signature=None):
        first, last, src = self.source(node)
        nid = node_id(self.path, kind, qname, self.ordinal(kind, qname))
        doc = self.doc_of(node)
        usr = "py:" + (self.module + "." + qname if self.module else qname)
        self.nodes.append((nid, parent, kind, name, qname, first, last, signature,
                           doc, src, usr, embed))
        return nid

    def ref(self, src, kind, usr, name, line):
        key = (src, kind, usr)
        if key not in self.refs:
            self.refs[key] = (name, set())
        self.refs[key][1].add(line)

    # -- name resolution ---------------------------------------------------
    def resolve_import(self, module, level):
        """Absolute dotted module name of an import in this file."""
        if level == 0:
            return module or ""
        pkg = self.module.split(".") if self.module else []
        if not self.path.endswith("__init__.py"):
            pkg = pkg[:-1]
        if level > 1:
            pkg = pkg[:len(pkg) - (level - 1)] if level - 1 <= len(pkg) else []
        return ".".join(pkg + ([module] if module else []))

    def module_path(self, dotted):
        """The tree's file for a dotted module name, or None."""
        if not dotted:
            return None
        rel = dotted.replace(".", "/")
        base = self.import_root
        for cand in (rel + ".py", rel + "/__init__.py"):
            p = os.path.join(base, cand) if base else cand
            if os.path.isfile(os.path.join(self.root, p)):
                return p
        return None

    def collect_imports(self, tree):
        for st in ast.walk(tree):
            if isinstance(st, ast.Import):
                for a in st.names:
                    self.incs.append((a.name, self.module_path(a.name), st.lineno))
                    if a.asname:
                        self.modules[a.asname] = a.name
                    else:
                        self.modules[a.name.split(".")[0]] = a.name.split(".")[0]
            elif isinstance(st, ast.ImportFrom):
                mod = self.resolve_import(st.module, st.level)
                path = self.module_path(mod)
                self.incs.append((mod or ".", path, st.lineno))
                for a in st.names:
                    if a.name == "*":
                        continue
                    local = a.asname or a.name
                    sub = (mod + "." + a.name) if mod else a.name
                    if self.module_path(sub):
                        self.modules[local] = sub
                    else:
                        self.aliases[local] = "py:" + sub

    def usr_of_call(self, func, cls_q):
        if isinstance(func, ast.Name):
            return self.aliases.get(func.id), func.id
        if isinstance(func, ast.Attribute):
            v = func.value
            if isinstance(v, ast.Name):
                if v.id in ("self", "cls") and cls_q:
                    return "py:" + (self.module + "." if self.module else "") + cls_q + "." + func.attr, func.attr
                if v.id in self.modules:
                    return "py:" + self.modules[v.id] + "." + func.attr, func.attr
            # a.b.c(): a module path
            parts = []
            while isinstance(v, ast.Attribute):
                parts.append(v.attr)
                v = v.value
            if isinstance(v, ast.Name) and v.id in self.modules:
                return "py:" + ".".join([self.modules[v.id]] + parts[::-1] + [func.attr]), func.attr
        return None, None

    def type_refs(self, owner, ann, line):
        if ann is None:
            return
        for n in ast.walk(ann):
            if isinstance(n, ast.Name) and n.id in self.aliases:
                self.ref(owner, "references_type", self.aliases[n.id], n.id, line)
            elif isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in self.modules:
                self.ref(owner, "references_type", "py:" + self.modules[n.value.id] + "." + n.attr, n.attr, line)

    # -- declarations --------------------------------------------------------
    def declare_names(self, body):
        for st in body:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.aliases[st.name] = "py:" + (self.module + "." if self.module else "") + st.name

    def signature(self, st):
        line = self.lines[st.lineno - 1].strip()
        first, last = st.lineno, getattr(st, "end_lineno", st.lineno)
        sig = []
        for l in self.lines[first - 1:last]:
            sig.append(l.strip())
            if l.rstrip().endswith(":"):
                break
        s = " ".join(sig) or line
        return s[:1000]

    def walk_body(self, body, parent, prefix, cls_q, in_class):
        for st in body:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                q = prefix + st.name
                kind = "method" if in_class else "function"
                nid = self.add(st, kind, st.name, q, parent, True, self.signature(st))
                args = st.args
                for a in args.posonlyargs + args.args + args.kwonlyargs + \
                        [x for x in (args.vararg, args.kwarg) if x]:
                    self.type_refs(nid, a.annotation, st.lineno)
                self.type_refs(nid, st.returns, st.lineno)
                for d in st.decorator_list:
                    self.calls_in(d, nid, cls_q)
                for inner in st.body:
                    self.calls_in(inner, nid, cls_q)
                self.walk_body(st.body, nid, q + ".", cls_q, False)
            elif isinstance(st, ast.ClassDef):
                q = prefix + st.name
                nid = self.add(st, "class", st.name, q, parent, True, self.signature(st))
                for b in st.bases:
                    self.type_refs(nid, b, st.lineno)
                self.walk_body(st.body, nid, q + ".", q, True)
            elif isinstance(st, (ast.Assign, ast.AnnAssign)) and not prefix:
                targets = st.targets if isinstance(st, ast.Assign) else [st.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        nid = self.add(st, "variable", t.id, t.id, parent, False)
                        if isinstance(st, ast.AnnAssign):
                            self.type_refs(nid, st.annotation, st.lineno)
            elif isinstance(st, (ast.If, ast.Try, ast.With, ast.For, ast.While)) and not in_class and not prefix:
                # module-level blocks (if TYPE_CHECKING:, try: import ...)
                for field in ("body", "orelse", "finalbody"):
                    self.walk_body(getattr(st, field, []) or [], parent, prefix, cls_q, in_class)
                for h in getattr(st, "handlers", []) or []:
                    self.walk_body(h.body, parent, prefix, cls_q, in_class)

    def calls_in(self, st, owner, cls_q):
        """Calls in a statement, not descending into nested defs/classes."""
        stack = [st]
        while stack:
            n = stack.pop()
            if n is not st and isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            if isinstance(n, ast.Call):
                usr, name = self.usr_of_call(n.func, cls_q)
                if usr:
                    self.ref(owner, "calls", usr, name, n.lineno)
            stack.extend(ast.iter_child_nodes(n))

    def run(self, diags):
        tree = parse_recovering(self.text, self.path, diags)
        self.file_doc = ast.get_docstring(tree, clean=False)
        if not self.file_doc:
            block = []
            for l in self.lines:
                if l.startswith("#!") and not block:
                    continue
                if not l.lstrip().startswith("#"):
                    break
                block.append(l.strip())
            self.file_doc = "\n".join(block) or None
        self.collect_imports(tree)
        self.declare_names(tree.body)
        self.walk_body(tree.body, self.file_id, "", None, False)

    def emit(self, errors, size, filehash):
        w = self.out.write
        w("F\t%s\tpython\t%s\t%d\t%d\n" % (esc(self.path), filehash, size, errors))
        w("N\t%d\t\\N\tfile\t%s\t%s\t1\t%d\t\\N\t%s\t\\N\t%s\t\\N\tf\n" % (
            self.file_id, esc(os.path.basename(self.path)), esc(self.path), len(self.lines),
            esc(self.file_doc), filehash))
        for (nid, parent, kind, name, qname, first, last, sig, doc, src, usr, embed) in self.nodes:
            h = hashlib.sha256(src.encode("utf-8", "surrogateescape")).hexdigest()
            w("N\t%d\t%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\tf\n" % (
                nid, parent, kind, esc(name), esc(qname), first, last, esc(sig), esc(doc),
                esc(src), h, esc(usr)))
            if embed:
                toks = embed_tokens(name) + embed_tokens(doc or "") + embed_tokens(src)
                if toks:
                    w("T\t%d\t%s\n" % (nid, " ".join(toks)))
        for (src, kind, usr) in sorted(self.refs):
            name, lines = self.refs[(src, kind, usr)]
            w("R\t%d\t%s\t%s\t%s\t{%s}\n" % (src, kind, esc(usr), esc(name),
                                             ",".join(str(l) for l in sorted(lines))))
        for spelled, path, line in self.incs:
            w("I\t%d\t%s\t%s\t%d\n" % (self.file_id, esc(spelled), esc(path), line))


def main():
    args = sys.argv[1:]
    if len(args) != 2 or args[0] != "--root":
        sys.stderr.write("usage: extract_py.py --root DIR < paths\n")
        return 2
    root = args[1].rstrip("/") or "/"
    out = sys.stdout
    sys.setrecursionlimit(10000)
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        full = os.path.join(root, path)
        try:
            if os.path.getsize(full) > MAX_FILE_BYTES:
                raise OSError("file too large")
            with open(full, "rb") as f:
                data = f.read()
        except OSError as e:
            out.write("F\t%s\tpython\t\\N\t0\t-1\n" % esc(path))
            out.write("D\t%s\t0\t0\t%s\n" % (esc(path), esc(e.strerror or str(e))))
            continue
        text = data.decode("utf-8", "replace").replace("\r\n", "\n")
        diags = []
        ex = Extractor(root, path, text, out)
        try:
            ex.run(diags)
        except RecursionError:
            diags.append((0, 0, "nesting too deep for the ast module"))
        ex.emit(len(diags), len(data), hashlib.sha256(data).hexdigest())
        for ln, col, msg in diags[:20]:
            out.write("D\t%s\t%d\t%d\t%s\n" % (esc(path), ln, col, esc(msg)))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
