"""Texts evaluated when a module is imported (schema descriptions in decorators, help texts in
class bodies) must stay lazy: `str(_("…"))` there renders the text once, in the language of
the moment (LANGUAGE_CODE, zh-Hans), and the English API schema came out with Chinese
descriptions. This walks every module's import-time code for `str(_(...))`."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TypeGuard

import storeledger

ROOT = Path(storeledger.__file__).parent
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}


def _is_translated_str(node: ast.AST) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"str", "force_str"}
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Call)
        and isinstance(node.args[0].func, ast.Name)
        and node.args[0].func.id in GETTEXT_NAMES
    )


def import_time_renders(tree: ast.AST) -> list[int]:
    """Lines of `str(_(...))` outside function bodies (decorators and default values count:
    they run at import)."""
    found: list[int] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for part in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if part is not None:
                    visit(part)
            return  # the body runs at request time, in the request's language
        if isinstance(node, ast.Lambda):
            return
        if _is_translated_str(node):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_no_text_is_rendered_at_import_time():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line in import_time_renders(ast.parse(path.read_text(), str(path))):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []


def test_the_check_finds_a_decorator_and_a_class_body_but_not_a_function_body():
    source = """
@extend_schema(description=str(_("a")))
def view(request):
    return str(_("fine: at request time"))

class S:
    help = str(gettext_lazy("b"))
"""
    assert import_time_renders(ast.parse(source)) == [2, 7]
