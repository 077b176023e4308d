"""scripts/audit_deps.py's reading of pip-audit's JSON report (samples, no network)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_deps.py"
spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def skipped(name, version):
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})"}


ALL_SKIPPED = {"dependencies": [skipped("django", "5.2.19"), skipped("wagtail", "8.0.1")], "fixes": []}
CLEAN = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {"name": "wagtail", "version": "8.0.1", "vulns": []},
    ],
    "fixes": [],
}
VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.1",
            "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": ["CVE-2025-0001"]}],
        },
        {"name": "wagtail", "version": "8.0.1", "vulns": []},
    ],
    "fixes": [],
}
SOME_SKIPPED = {"dependencies": [*CLEAN["dependencies"], skipped("celery", "5.7.0")], "fixes": []}
OSV_UNREACHABLE = (
    "Traceback (most recent call last):\n  ...\nrequests.exceptions.ConnectionError: HTTPSConnectionPool("
    "host='api.osv.dev', port=443): Max retries exceeded with url: /v1/query (Caused by NameResolutionError(...))\n"
)


def test_all_skipped_says_nothing_was_checked():
    verdict = audit_deps.assess(ALL_SKIPPED, returncode=0)
    text = "\n".join(verdict.lines)
    assert "could not check 2 of 2 packages" in text
    assert "advisory service unreachable" in text
    assert "NOTHING WAS CHECKED" in text
    assert "no known vulnerabilities" not in text.lower()
    assert verdict.exit_code == 0


def test_all_skipped_fails_when_strict():
    assert audit_deps.assess(ALL_SKIPPED, returncode=0, strict=True).exit_code == audit_deps.UNCHECKED_STRICT


def test_service_unreachable_without_a_report():
    verdict = audit_deps.assess(None, returncode=1, stderr=OSV_UNREACHABLE)
    assert "NOTHING WAS CHECKED" in verdict.lines[0]
    assert verdict.exit_code == 0
    assert audit_deps.assess(None, returncode=1, stderr=OSV_UNREACHABLE, strict=True).exit_code != 0


def test_other_failure_without_a_report_is_an_error():
    verdict = audit_deps.assess(None, returncode=1, stderr="ERROR: invalid requirement: 'django=='\n")
    assert verdict.exit_code == audit_deps.FAILED
    assert "invalid requirement" in "\n".join(verdict.lines)


def test_vulnerabilities_are_listed_and_fail():
    verdict = audit_deps.assess(VULNERABLE, returncode=1)
    text = "\n".join(verdict.lines)
    assert "django 5.2.1: PYSEC-2025-1 (CVE-2025-0001); fixed in 5.2.2" in text
    assert "1 known vulnerabilities in 1 of 2 checked packages" in text
    assert verdict.exit_code == audit_deps.FINDINGS


def test_clean_report():
    verdict = audit_deps.assess(CLEAN, returncode=0)
    assert verdict.exit_code == 0
    assert verdict.lines == ["pip-audit checked 2 of 2 packages: no known vulnerabilities in those"]
    assert "NOTHING" not in "\n".join(verdict.lines)


@pytest.mark.parametrize("strict, code", [(False, 0), (True, 3)])
def test_partly_skipped_names_the_gap(strict, code):
    verdict = audit_deps.assess(SOME_SKIPPED, returncode=0, strict=strict)
    text = "\n".join(verdict.lines)
    assert "could not check 1 of 3 packages" in text
    assert "only 2 were checked" in text
    assert "unchecked: celery" in text
    assert "NOTHING WAS CHECKED" not in text
    assert verdict.exit_code == code


def test_an_empty_report_is_not_a_pass():
    assert audit_deps.assess({"dependencies": [], "fixes": []}, returncode=0).exit_code == audit_deps.FAILED
