"""Read the code: a source file of the package as highlighted HTML, each name it imports
from nnzoo a link to where that name is defined (found by reading, never importing, the
source), so that the library functions an experiment calls are one click away."""

from __future__ import annotations

import ast
import html
import io
import keyword
import tokenize
from pathlib import Path

import nnzoo
from nnzoo.serve.files import Refused

PACKAGE = Path(nnzoo.__file__).resolve().parent


def source_path(rel: str) -> Path:
    """The .py file `rel` (e.g. "nn/mlp.py") of the package, checked to be inside it."""
    path = (PACKAGE / rel).resolve()
    if Path(rel).is_absolute() or PACKAGE not in path.parents or path.suffix != ".py" \
            or not path.is_file():
        raise Refused(f"no source file {rel!r} in the nnzoo package")
    return path


def module_file(module: str) -> Path | None:
    """The file of module `module` (nnzoo.x.y) inside the package, or None."""
    parts = module.split(".")
    if parts[0] != "nnzoo":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def definition(module: str, name: str, depth: int = 4) -> tuple[Path, int] | None:
    """(file, line) where `name` of `module` is defined: a def, a class or an assignment in
    it, followed through the package's own re-exports (`from .mlp import MLP`), or the
    submodule called `name`."""
    path = module_file(module)
    if path is None or depth == 0:
        return None
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.name == name:
            return path, node.lineno
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return path, node.lineno
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name
                                                    for a in node.names):
            source = _absolute(node, module, path)
            original = next(a.name for a in node.names if (a.asname or a.name) == name)
            if source:
                return definition(source, original, depth - 1)
    sub = module_file(f"{module}.{name}")
    return (sub, 1) if sub else None


def _absolute(node: ast.ImportFrom, module: str, path: Path) -> str | None:
    if not node.level:
        return node.module
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def links(path: Path) -> dict[str, str]:
    """name -> URL of its definition, for every name the file imports from nnzoo."""
    module = "nnzoo." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    module = module.removesuffix(".__init__")
    found = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, path)
            if not source or not source.startswith("nnzoo"):
                continue
            for alias in node.names:
                where = definition(source, alias.name)
                if where:
                    found[alias.asname or alias.name] = _url(*where)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nnzoo.") and module_file(alias.name):
                    found[alias.asname or alias.name] = _url(module_file(alias.name), 1)
    return found


def _url(path: Path, line: int) -> str:
    return f"/source/{path.relative_to(PACKAGE).as_posix()}#L{line}"


def highlight(text: str, names: dict[str, str] | None = None) -> str:
    """`text` (Python) as HTML lines with classes kw, str, com, num, def and links for
    `names`; each line an anchor L<n>. Text that does not tokenize is shown plain."""
    names = names or {}
    lines = text.splitlines(keepends=True)
    spans: dict[int, list] = {}  # line -> [(start col, end col, class, link)]
    link_at: dict[tuple[int, int], str] = {}
    try:
        previous = None
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            cls = None
            if tok.type == tokenize.NAME:
                if keyword.iskeyword(tok.string):
                    cls = "kw"
                elif previous in ("def", "class"):
                    cls = "def"
                elif tok.string in names:
                    cls = "lib"
                    link_at[tok.start] = names[tok.string]
            elif tok.type == tokenize.STRING or tok.type in _fstring_types():
                cls = "str"
            elif tok.type == tokenize.COMMENT:
                cls = "com"
            elif tok.type == tokenize.NUMBER:
                cls = "num"
            if tok.type != tokenize.NL:
                previous = tok.string
            if cls:
                (r0, c0), (r1, c1) = tok.start, tok.end
                for r in range(r0, r1 + 1):
                    spans.setdefault(r, []).append(
                        (c0 if r == r0 else 0, c1 if r == r1 else len(lines[r - 1]), cls,
                         link_at.get(tok.start) if r == r0 else None))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        spans = {}
    out = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        parts, at = [], 0
        for c0, c1, cls, href in sorted(spans.get(n, [])):
            if c0 < at:
                continue
            parts.append(html.escape(line[at:c0]))
            inner = html.escape(line[c0:c1])
            parts.append(f'<a class="{cls}" href="{html.escape(href)}">{inner}</a>' if href
                         else f'<span class="{cls}">{inner}</span>')
            at = c1
        parts.append(html.escape(line[at:]))
        out.append(f'<span class="line" id="L{n}"><a class="ln" href="#L{n}">{n}</a>'
                   f'{"".join(parts)}</span>')
    return "\n".join(out)


def _fstring_types() -> tuple[int, ...]:
    return tuple(getattr(tokenize, t) for t in ("FSTRING_START", "FSTRING_MIDDLE",
                                                "FSTRING_END") if hasattr(tokenize, t))
