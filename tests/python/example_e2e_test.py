"""examples/python/best_first.py and the README's six-line session example
against a real `thor serve` with real coqtop: both find a proof that passes the
re-check."""

import os
import re
import subprocess
import sys
import unittest

import thor_testing

EXAMPLE = os.path.join(thor_testing.SOURCE_DIR, "examples", "python", "best_first.py")
README = os.path.join(thor_testing.SOURCE_DIR, "README.md")


def readme_example():
    """The first ```python block of the README's "## Python" section."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("\n## Python\n"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


class BestFirstExampleTest(thor_testing.ServerTestCase):

    def test_proves_and_rechecks(self):
        code, out = self.run_script(EXAMPLE, "--no_hammer")
        self.assertEqual(code, 0, out)
        self.assertIn("ProofFinished", out)
        self.assertIn("\nproof:\n", out)
        self.assertIn("re-check: PASSED by coqc", out)

    def test_hammer_fallback_closes_the_list_lemma(self):
        code, out = self.run_script(
            EXAMPLE, "--no_suggest", "--imports=List",
            "--statement=forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)")
        self.assertEqual(code, 0, out)
        self.assertRegex(out, r"\] hammer -> \S")
        self.assertIn("re-check: PASSED", out)

    def test_readme_six_lines(self):
        code = readme_example()
        self.assertEqual(len(code.strip().splitlines()), 6, code)
        self.assertIn('"127.0.0.1:50051"', code)
        code = code.replace("127.0.0.1:50051", self.server.address)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=300, cwd=thor_testing.make_temp_dir(),
                           env=dict(os.environ, PYTHONPATH=thor_testing.PACKAGE_DIR,
                                    PYTHONDONTWRITEBYTECODE="1"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("RecheckVerdict.PASSED", r.stdout)
        self.assertIn("'rewrite IHn.'", r.stdout)

    def test_reports_no_proof_within_a_tiny_budget(self):
        code, out = self.run_script(EXAMPLE, "--no_hammer", "--no_suggest", "--budget=2",
                                     "--statement=forall a b : nat, a * b = b * a")
        self.assertEqual(code, 1, out)
        self.assertIn("no proof within the budget", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
