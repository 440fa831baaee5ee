"""The importer reads the composed wire corpus, in every format, at the target.

bench/field_accuracy.py prints the figures and every miss; this test only
holds the line: at least 95% of fields overall and 90% of each, the seed
whole. The corpus (articles/tests/data/wire/) was written apart from the
parser, from the shapes real Arabic copy has.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_corpus_is_read_at_the_target():
    result = subprocess.run(
        # Every folder: the plain text of the real-copy issue and the agency
        # files (NewsML-G2, NITF, ninjs) of the formats' issue.
        [sys.executable, "bench/field_accuracy.py"],
        cwd=ROOT,
        env={**os.environ, "ENV_FILE": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "seed                      100.0%" in result.stdout
