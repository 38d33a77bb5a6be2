"""``manage.py check --deploy`` with the production environment of the README reports nothing."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_environment() -> dict[str, str]:
    """The variables of the README's ``# schoolpoort.env`` block, read as a shell would."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n# schoolpoort\.env\n(.*?)```", readme, re.S)
    assert block, "the README shows a production environment"
    variables = {}
    for line in block.group(1).splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            variables[name] = shlex.split(value)[0]
    return variables


def check_deploy(tmp_path, **changes) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "TMPDIR")}
    env |= readme_environment()
    env["SECRET_KEY"] = secrets.token_urlsafe(50)  # the README's placeholder says what to put there
    env |= {"SCHOOLPOORT_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    env |= changes
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_silent_with_the_readmes_production_environment(tmp_path):
    environment = readme_environment()
    assert environment["SITE_URL"].startswith("https://") and environment["BEHIND_HTTPS_PROXY"] == "1"
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"System check identified no issues \(\d+ silenced\)\.\n", result.stdout), result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_speaks_up_when_the_https_proxy_is_left_out(tmp_path):
    """The check above is not silent by construction: without the proxy setting it warns."""
    result = check_deploy(tmp_path, BEHIND_HTTPS_PROXY=None)
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr
