"""Run pip-audit on the lock and say plainly what it checked.

    python scripts/audit_deps.py requirements.lock [--strict] [--service pypi|osv]

pip-audit prints "No known vulnerabilities found" even when it skipped every package because its
advisory service could not be reached (PyPI's JSON API answering 404, OSV's host unresolvable).
This script reads pip-audit's JSON report instead and says which of three things happened:

- it checked every package and found nothing: exit 0;
- it found vulnerabilities: they are listed, exit 1;
- it could not check some or all packages: "pip-audit could not check N of M packages (...)",
  with "NOTHING WAS CHECKED" when N == M; exit 0, or 3 with --strict (make audit-strict).

pip-audit failing for another reason (a broken lock, a crash) exits 2. The lock is hashed and fully
pinned, so pip-audit reads it with --disable-pip: nothing is downloaded or installed.
"""

# ruff: noqa: S603 (runs pip-audit from this interpreter with fixed arguments)

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

OK, FINDINGS, FAILED, UNCHECKED_STRICT = 0, 1, 2, 3

# Signs in pip-audit's stderr that the advisory service could not be reached at all.
UNREACHABLE_SIGNS = (
    "ConnectionError",
    "ConnectTimeout",
    "NameResolutionError",
    "Max retries exceeded",
    "Could not connect",
    "ReadTimeout",
    "timed out",
    "SSLError",
    "ServiceError",
)


@dataclass
class Verdict:
    exit_code: int
    lines: list[str] = field(default_factory=list)


def _reason(skip_reason: str) -> str:
    """A skip reason without the trailing ": name (version)", so that equal reasons group."""
    return re.sub(r":\s*\S+ \([^)]*\)\s*$", "", skip_reason or "no reason given").strip()


def assess(report: dict | None, returncode: int, stderr: str = "", strict: bool = False) -> Verdict:
    """Decide what pip-audit's run means. `report` is its parsed JSON output (None if there was none)."""
    unchecked_code = UNCHECKED_STRICT if strict else OK
    if report is None:
        tail = [line for line in stderr.strip().splitlines() if line.strip()][-1:] or ["(no output)"]
        if any(sign in stderr for sign in UNREACHABLE_SIGNS):
            return Verdict(
                unchecked_code,
                [
                    "pip-audit could not check any package (advisory service unreachable): NOTHING WAS CHECKED",
                    f"  pip-audit: {tail[0].strip()}",
                ],
            )
        return Verdict(FAILED, [f"pip-audit failed (exit {returncode}) without a report:", f"  {tail[0].strip()}"])

    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in checked if d.get("vulns")]
    total = len(dependencies)
    lines = []

    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            aliases = ", ".join(a for a in vuln.get("aliases", []) if a != vuln["id"])
            lines.append(
                f"VULNERABLE {dep['name']} {dep.get('version', '?')}: {vuln['id']}"
                + (f" ({aliases})" if aliases else "")
                + f"; fixed in {fixes}"
            )

    if skipped:
        reasons = {}
        for dep in skipped:
            reason = _reason(dep["skip_reason"])
            reasons[reason] = reasons.get(reason, 0) + 1
        if all("not found on PyPI" in reason for reason in reasons) and len(skipped) == total:
            why = "advisory service unreachable: PyPI's JSON API answered 'not found' for every one"
        else:
            why = "; ".join(f"{count}: {reason}" for reason, count in reasons.items())
        head = f"pip-audit could not check {len(skipped)} of {total} packages ({why})"
        if len(skipped) == total:
            lines.append(f"{head}: NOTHING WAS CHECKED")
        else:
            lines.append(f"{head}: only {len(checked)} were checked")
            names = ", ".join(sorted(d["name"] for d in skipped)[:10])
            lines.append(f"  unchecked: {names}{', ...' if len(skipped) > 10 else ''}")

    if total == 0:
        lines.append("pip-audit reported no packages at all: NOTHING WAS CHECKED")
        return Verdict(FAILED, lines)
    if vulnerable:
        count = sum(len(d["vulns"]) for d in vulnerable)
        lines.append(
            f"pip-audit found {count} known vulnerabilities in {len(vulnerable)} of {len(checked)} checked packages"
        )
        return Verdict(FINDINGS, lines)
    if checked:
        lines.append(f"pip-audit checked {len(checked)} of {total} packages: no known vulnerabilities in those")
    if skipped:
        return Verdict(unchecked_code, lines)
    if returncode not in (0, 1):
        lines.append(f"pip-audit exited {returncode}")
        return Verdict(FAILED, lines)
    return Verdict(OK, lines)


def run_pip_audit(lock: Path, service: str, timeout: int) -> tuple[dict | None, int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "pip-audit.json"
        command = [
            sys.executable, "-m", "pip_audit",
            "-r", str(lock), "--require-hashes", "--disable-pip",
            "--vulnerability-service", service, "--timeout", str(timeout),
            "--progress-spinner", "off", "--format", "json", "--output", str(output),
            "--desc", "off", "--aliases", "on",
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True)
        report = None
        if output.exists() and output.read_text().strip():
            try:
                report = json.loads(output.read_text())
            except json.JSONDecodeError:
                report = None
    return report, result.returncode, result.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", nargs="?", default="requirements.lock", type=Path)
    parser.add_argument("--strict", action="store_true", help="fail (exit 3) when packages could not be checked")
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"], help="pip-audit's advisory service")
    parser.add_argument("--timeout", type=int, default=15)
    args = parser.parse_args(argv)

    report, returncode, stderr = run_pip_audit(args.lock, args.service, args.timeout)
    verdict = assess(report, returncode, stderr, strict=args.strict)
    print(f"pip-audit ({args.service}) on {args.lock}:")
    for line in verdict.lines:
        print(line)
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
