"""Every third-party package the code imports is declared in requirements.txt or requirements-dev.txt.

A package that only arrives as someone else's dependency (or happens to be in one machine's venv)
disappears the day that dependency drops it; declaring it keeps `make lock` honest.
"""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["core", "courses", "mentors", "incubator", "tests", "bench", "scripts", "conftest.py", "manage.py"]
REQUIREMENT_FILES = ["requirements.txt", "requirements-dev.txt"]


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def python_files():
    for source in SOURCES:
        path = ROOT / source
        if path.is_file():
            yield path
        else:
            yield from (p for p in path.rglob("*.py") if ".venv" not in p.parts)


def first_party_modules():
    """Top-level packages and modules of this repository (scripts/ runs with itself on sys.path)."""
    names = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    names |= {p.stem for p in ROOT.glob("*.py")}
    names |= {p.stem for p in (ROOT / "scripts").glob("*.py")}
    return names


def imported_modules():
    """{top-level module name: [files importing it]} for absolute imports."""
    found = {}
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], []).append(str(path.relative_to(ROOT)))
    return found


def declared_distributions(filename, seen=None):
    seen = set() if seen is None else seen
    if filename in seen:
        return set()
    seen.add(filename)
    names = set()
    for raw in (ROOT / filename).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            names |= declared_distributions(line.split(None, 1)[1].strip(), seen)
            continue
        if line.startswith("-"):
            continue
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
        if match:
            names.add(normalise(match.group(0)))
    return names


def test_declared_requirement_parsing():
    declared = set()
    for filename in REQUIREMENT_FILES:
        declared |= declared_distributions(filename)
    assert {"django", "wagtail", "django-allauth", "celery", "pytest"} <= declared


def test_every_imported_third_party_package_is_declared():
    declared = set()
    for filename in REQUIREMENT_FILES:
        declared |= declared_distributions(filename)
    module_to_dists = importlib.metadata.packages_distributions()
    local = first_party_modules()

    undeclared = {}
    unknown = {}
    for module, files in sorted(imported_modules().items()):
        if module in sys.stdlib_module_names or module in local or module == "__future__":
            continue
        dists = {normalise(d) for d in module_to_dists.get(module, [])}
        if not dists:
            unknown[module] = files[:3]
        elif not dists & declared:
            undeclared[" or ".join(sorted(dists))] = files[:3]

    assert not undeclared, "imported but not declared in requirements*.txt: " + "; ".join(
        f"{dist} (imported in {', '.join(files)})" for dist, files in undeclared.items()
    )
    assert not unknown, "imported modules no installed distribution provides: " + "; ".join(
        f"{module} ({', '.join(files)})" for module, files in unknown.items()
    )


def locked_distributions(filename):
    """{name: (version, number of hashes)} of a lock compiled with --generate-hashes."""
    text = (ROOT / filename).read_text(encoding="utf-8")
    entries = re.split(r"^(?=[A-Za-z0-9])", text, flags=re.M)
    pins = {}
    for entry in entries:
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", entry)
        if match:
            pins[normalise(match.group(1))] = (match.group(2), entry.count("--hash=sha256:"))
    return pins


def test_the_locks_pin_every_declared_requirement_with_hashes():
    """Catches a requirements*.txt edit without `make lock` (the locks are what `make install` installs)."""
    for source, lock in [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]:
        pins = locked_distributions(lock)
        missing = declared_distributions(source) - set(pins)
        assert not missing, f"{', '.join(sorted(missing))} in {source} but not in {lock}: run make lock"
        unhashed = [name for name, (_, hashes) in pins.items() if not hashes]
        assert not unhashed, f"{lock} pins {', '.join(unhashed)} without hashes: run make lock"
    runtime, dev = locked_distributions("requirements.lock"), locked_distributions("requirements-dev.lock")
    differing = {name for name in runtime if dev.get(name, (None,))[0] != runtime[name][0]}
    assert not differing, f"requirements-dev.lock pins {', '.join(sorted(differing))} differently: run make lock"
