"""Every translatable string of the code with its context and the app (module) it is used in: from
Python source (the gettext family of calls) and from templates (through Django's own
``templatize``, the step makemessages runs before xgettext). No GNU gettext needed."""

from __future__ import annotations

import ast
import io
import tokenize
from collections import defaultdict
from pathlib import Path

from django.utils.translation.template import templatize

SRC = Path(__file__).resolve().parents[2] / "src" / "schoolpoort"
PLAIN = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _app(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else "project"


def _from_python(text: str):
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        strings = [arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                   for arg in node.args]
        if name in PLAIN and strings and strings[0] is not None:
            yield None, strings[0]
        elif name in CONTEXT and len(strings) > 1 and None not in strings[:2]:
            yield strings[0], strings[1]


def _from_template(text: str, origin: str):
    code = "\n".join(line.lstrip() for line in templatize(text, origin=origin).splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    for index, token in enumerate(tokens[:-2]):
        if token.type != tokenize.NAME or token.string not in {"gettext", "pgettext", "ngettext", "npgettext"}:
            continue
        if tokens[index + 1].string != "(":
            continue
        strings = []
        for following in tokens[index + 2:]:
            if following.type == tokenize.STRING:
                strings.append(ast.literal_eval(following.string))
            elif following.string != ",":
                break
        if token.string.startswith("p") and len(strings) > 1:
            yield strings[0], strings[1]
        elif not token.string.startswith("p") and strings:
            yield None, strings[0]


def msgids_by_app() -> dict[tuple[str | None, str], set[str]]:
    """(context, msgid) → the apps whose code or templates use it."""
    found: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for path in sorted(SRC.rglob("*")):
        if "migrations" in path.parts or "locale" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            pairs = _from_python(path.read_text(encoding="utf-8"))
        elif path.suffix in {".html", ".txt"} and "templates" in path.parts:
            pairs = _from_template(path.read_text(encoding="utf-8"), str(path))
        else:
            continue
        for pair in pairs:
            found[pair].add(_app(path))
    return found
