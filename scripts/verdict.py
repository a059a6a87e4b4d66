"""Verdict of a `make test` run, from pytest's JUnit report and Odoo's log files.

Odoo exits 0 in several cases where something is wrong (an error logged during a
passing test, a browser test skipped, no test at all), so the verdict reads the
logs too. It prints the closing `N passed, N failed` line and exits 1 when red.
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

LOG_PROBLEM = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")
PYTEST_NO_TESTS = 5


def junit_counts(path):
    """(passed, failed, skipped) from a JUnit XML report, zeros when absent."""
    if not os.path.exists(path):
        return 0, 0, 0
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def log_problems(paths):
    """ERROR and CRITICAL records of Odoo's log files."""
    problems = []
    for path in paths:
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as log:
                problems += [line.rstrip() for line in log if LOG_PROBLEM.match(line)]
    return problems


def verdict(install_rc, pytest_rc, counts, problems):
    """(failed count, reasons): any reason turns the run red."""
    passed, failed, skipped = counts
    reasons = []
    if failed:
        reasons.append(f"{failed} test(s) failed")
    if install_rc:
        reasons.append(f"installing crm_industrial failed (exit {install_rc})")
        failed += 1
    elif not passed + failed + skipped:
        reasons.append("no test was run (did the selection match nothing?)")
    if pytest_rc not in (0, PYTEST_NO_TESTS) and not reasons:
        reasons.append(f"pytest exited {pytest_rc}")
        failed += 1
    if problems:
        reasons.append(f"Odoo logged {len(problems)} ERROR/CRITICAL line(s)")
        failed += 1
    if skipped:
        reasons.append(f"{skipped} test(s) skipped: a skipped test, a browser test above all, proves nothing")
    return failed, reasons


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--install-rc", type=int, default=0)
    parser.add_argument("--pytest-rc", type=int, default=0)
    parser.add_argument("--junit", required=True)
    parser.add_argument("--log", action="append", default=[])
    args = parser.parse_args()

    counts = junit_counts(args.junit)
    problems = log_problems(args.log)
    failed, reasons = verdict(args.install_rc, args.pytest_rc, counts, problems)
    for line in problems[:20]:
        print(f"  log: {line}")
    for reason in reasons:
        print(f"RED: {reason}")
    print(f"Odoo logs: {', '.join(args.log)}")
    print(f"crm_industrial: {counts[0]} passed, {failed} failed, {counts[2]} skipped")
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main())
