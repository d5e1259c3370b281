"""The clinical core is pure: standard library only, no Django (shared/design.md)."""

import ast
import subprocess
import sys
from pathlib import Path

import kyphocare.clinical

PACKAGE = Path(kyphocare.clinical.__file__).parent
ROOT = PACKAGE.parents[1]


def test_importing_the_core_imports_no_django():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import kyphocare.clinical, sys; "
            "print(any(m.split('.')[0]=='django' for m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert proc.stdout.strip() == "False"


def imports_of(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level


def test_every_import_is_stdlib_or_the_package_itself():
    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 10
    for path in files:
        for name, level in imports_of(path):
            if level > 0:  # relative: the package itself
                continue
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("kyphocare.clinical"), (
                f"{path.name} imports {name}"
            )


def test_no_clock_and_no_io_in_the_core():
    forbidden = (
        "date.today",
        "datetime.now",
        "datetime.utcnow",
        "time.time",
        "open(",
        "print(",
        "input(",
    )
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in forbidden:
            assert word not in text, f"{path.name} uses {word}"
