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




@pytest.mark.parametrize("command", ["run.sh", "test.sh"])
def test_missing_odoo_is_one_clear_sentence(command, tmp_path):
    # A Python that does not see the site-packages where Odoo is installed.
    python = tmp_path / "python-without-odoo"
    python.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    python.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "ODOO_PATH")}
    result = subprocess.run(["bash", os.path.join(REPO_DIR, "scripts", command)],
                            env={**env, "PYTHON": str(python), "CRMI_ODOO_PLACES": ""},
                            capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "Odoo 18 was not found" in lines[0] and "ODOO_PATH" in lines[0]


def test_wrong_odoo_path_is_one_clear_sentence():
    result = subprocess.run(["bash", os.path.join(REPO_DIR, "scripts", "test.sh")],
                            env={**os.environ, "ODOO_PATH": "/nonexistent/odoo"},
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "[crm_industrial] ODOO_PATH=/nonexistent/odoo does not hold an Odoo source tree "
        "(no odoo/release.py there): point it at the folder that contains odoo-bin.")
