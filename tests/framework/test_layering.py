"""framework/ is generic: it never imports the OpenDental domain or the generator."""

from __future__ import annotations

import ast
from pathlib import Path

import ibis_models.framework

FRAMEWORK = Path(ibis_models.framework.__file__).parent


def test_framework_never_imports_the_domain():
    offenders = []
    for path in FRAMEWORK.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith(("ibis_models.opendental", "ibis_models.synthetic", "ibis_models.cli"))
            ]
    assert offenders == []
