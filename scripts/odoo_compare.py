"""Compare two logs of Odoo's own tests: one run without crm_industrial, one with it.

Red (exit 1) when a test fails or errors only with crm_industrial, when either run ran
no test, or when the run with crm_industrial ran fewer tests (a module or class lost).
"""

import argparse
import re
import sys

# "... ERROR db odoo.addons.sale.tests.test_sale_flow: FAIL: TestSaleFlow.test_x"
PROBLEM = re.compile(r" ERROR \S+ (odoo\.addons\.[\w.]+): (FAIL|ERROR): (.+?)\s*$")
TOTAL = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


def read_run(path):
    """(set of failing tests, tests run) of one odoo-bin log."""
    problems, total = set(), 0
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = PROBLEM.search(line)
            if match:
                problems.add(f"{match.group(1)}: {match.group(3)}")
            match = TOTAL.search(line)
            if match:
                total = int(match.group(3))
    return problems, total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stock", required=True)
    parser.add_argument("--addon", required=True)
    args = parser.parse_args()
    stock, stock_total = read_run(args.stock)
    addon, addon_total = read_run(args.addon)
    print(f"Without crm_industrial: {len(stock)} failing of {stock_total} tests")
    for name in sorted(stock):
        print(f"  (fails without the addon too) {name}")
    only_addon = sorted(addon - stock)
    print(f"With crm_industrial: {len(addon)} failing of {addon_total} tests")
    for name in only_addon:
        print(f"  RED: fails only with crm_industrial: {name}")
    reasons = []
    if not stock_total or not addon_total:
        reasons.append("a run ran no test (see its log)")
    elif addon_total < stock_total:
        reasons.append(f"{stock_total - addon_total} test(s) fewer ran with crm_industrial")
    for reason in reasons:
        print(f"RED: {reason}")
    passed = addon_total - len(addon)
    print(f"odoo-with-crm_industrial: {passed} passed, {len(only_addon) + len(reasons)} failed")
    return 1 if only_addon or reasons else 0


if __name__ == "__main__":
    sys.exit(main())
