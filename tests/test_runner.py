"""The runner's verdict: red on a failing test, a failing tour, or a selection matching nothing.

Each case runs scripts/suite.sh (the very pytest stage and verdict of `make test`) in a
child process on the database of this run, and checks its exit code and closing line.
"""

import os
import subprocess
import sys
import tempfile

import pytest

from odoo.tools import config

from scripts.verdict import verdict

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RED_CASES = os.path.join("tests", "runner_cases", "case_red.py")


def run_suite(*pytest_args):
    with tempfile.TemporaryDirectory(prefix="crmi_runner_") as out:
        result = subprocess.run(
            ["bash", os.path.join(REPO_DIR, "scripts", "suite.sh"),
             config.rcfile, config["db_name"], out, *pytest_args],
            cwd=REPO_DIR, capture_output=True, text=True, timeout=300, check=False)
    return result.returncode, result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("case, closing", [
    ("test_red_assertion", "crm_industrial: 0 passed, 1 failed, 0 skipped"),
    # The failing tour also logs its failure as an ERROR: two reasons, each counted.
    ("test_red_tour", "crm_industrial: 0 passed, 2 failed, 0 skipped"),
])
def test_red_case_turns_the_run_red(case, closing):
    rc, last_line = run_suite("-o", "python_files=case_*.py", RED_CASES, "-k", case)
    assert rc == 1
    assert last_line == closing


def test_selection_matching_nothing_turns_the_run_red():
    rc, last_line = run_suite("-k", "no_test_has_this_name")
    assert rc == 1
    assert last_line == "crm_industrial: 0 passed, 0 failed, 0 skipped"


def test_verdict_reasons():
    assert verdict(0, 0, (5, 0, 0), []) == (0, [])
    assert verdict(0, 0, (5, 0, 0), ["... ERROR ..."])[0] == 1
    assert verdict(0, 0, (4, 0, 1), [])[1], "a skipped test is red"
    assert verdict(3, 0, (0, 0, 0), [])[0] == 1, "a failed install is red"
    assert verdict(0, 2, (0, 0, 0), [])[1], "pytest crashing is red"


