"""deploy/compose.yaml, checked without a container engine: its structure and what it names."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
# Read by the Dockerfile's CMD, not by Django.
IMAGE_VARIABLES = {"PORT", "WEB_CONCURRENCY"}
PROJECT_IMAGE_SERVICES = ["migrate", "app1", "app2", "ingest"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def readme_settings() -> set[str]:
    """The variable names in README.md's settings table (its first column)."""
    names = set()
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def environment(service: dict) -> dict[str, str]:
    value = service.get("environment", {})
    if isinstance(value, list):
        value = dict(item.split("=", 1) for item in value)
    return {name: str(setting) for name, setting in value.items()}


def test_the_production_shape_is_all_there(services):
    assert {
        "postgres-primary", "postgres-replica", "redis", "migrate", "app1", "app2",
        "ingest", "varnish", "haproxy",
    } <= set(services)  # fmt: skip


def test_app_servers_and_workers_run_the_projects_image(services):
    for name in PROJECT_IMAGE_SERVICES:
        build = services[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == ROOT / "Dockerfile"
        assert services[name]["image"] == services["app1"]["image"]
    assert services["ingest"]["command"] == ["python", "manage.py", "ingest"]


def test_every_variable_of_the_app_is_a_documented_setting(services):
    documented = readme_settings()
    settings_text = (ROOT / "newsportal" / "settings.py").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    for name in PROJECT_IMAGE_SERVICES:
        for variable in environment(services[name]):
            if variable in IMAGE_VARIABLES:
                assert variable in dockerfile
                continue
            assert variable in documented, f"{name}: {variable} is not in README's settings table"
            assert f'"{variable}"' in settings_text, f"{name}: settings.py never reads {variable}"


def test_app_servers_share_one_database_cache_and_bucket(services):
    first, second = environment(services["app1"]), environment(services["app2"])
    assert first == second
    assert first["DATABASE_URL"].startswith("postgres://")
    assert "@postgres-primary:" in first["DATABASE_URL"]
    assert "@postgres-replica:" in first["DATABASE_REPLICA_URLS"]
    assert first["CACHE_URL"].startswith("redis://redis:")
    assert first["MEDIA_STORAGE"] == "s3"
    assert services["app1"]["read_only"] is True
    # Temporary files only: uploads being read, gunicorn's heartbeats.
    assert services["app1"]["tmpfs"] == ["/tmp"]  # noqa: S108


def test_named_volumes_are_declared_and_mounted_files_exist(compose, services):
    declared = set(compose.get("volumes") or {})
    used = set()
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (DEPLOY / source).is_file(), f"{name} mounts {source}, which is missing"
            else:
                used.add(source)
    assert used == declared


def test_dependencies_exist_and_wait_for_what_they_can(services):
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            assert target in services, f"{name} depends on {target}, which is not a service"
            condition = rule["condition"]
            if condition == "service_healthy":
                check = services[target].get("healthcheck", {})
                assert check.get("test") and not check.get("disable"), f"{target}: no healthcheck"
            elif condition == "service_completed_successfully":
                assert services[target].get("restart") == "no"
            else:
                assert condition == "service_started"


def test_long_running_stateful_services_and_app_servers_have_healthchecks(services):
    for name in ["postgres-primary", "postgres-replica", "redis", "app1", "app2"]:
        assert services[name]["healthcheck"]["test"], name


def test_varnish_runs_our_vcl_and_reaches_the_balancer_where_the_vcl_says(services):
    assert "./varnish.vcl:/etc/varnish/default.vcl:ro" in services["varnish"]["volumes"]
    vcl = (DEPLOY / "varnish.vcl").read_text()
    host = re.search(r'backend default \{\s*\.host = "([^"]+)";\s*\.port = "(\d+)";', vcl)
    balancer = environment(services["haproxy"])
    assert balancer["APP_LISTEN"] == f"{host.group(1)}:{host.group(2)}"
    assert services["haproxy"]["network_mode"] == "service:varnish"


def test_balancer_config_gets_every_address_it_names(services):
    lines = (DEPLOY / "haproxy.cfg").read_text().splitlines()
    config = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in services["haproxy"]["volumes"]
    balancer = environment(services["haproxy"])
    assert set(re.findall(r'"\$\{([A-Z0-9_]+)\}"', config)) == set(balancer)
    port = environment(services["app1"])["PORT"]
    assert balancer["APP_SERVER_1"] == f"app1:{port}"
    assert balancer["APP_SERVER_2"] == f"app2:{port}"
    purge_port = balancer["PURGE_LISTEN"].rsplit(":", 1)[1]
    purge_url = environment(services["app1"])["HTTP_CACHE_PURGE_URLS"]
    assert purge_url == f"http://varnish:{purge_port}"


def test_balancer_config_is_valid_haproxy(services):
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.skip("HAProxy is not installed (bench/scale_bench.py installs Debian's)")
    addresses = {
        "APP_LISTEN": "127.0.0.1:8000",
        "APP_SERVER_1": "127.0.0.1:8001",
        "APP_SERVER_2": "127.0.0.1:8002",
        "PURGE_LISTEN": "127.0.0.1:6082",
        "VARNISH": "127.0.0.1:6081",
    }
    result = subprocess.run(
        [haproxy, "-c", "-f", str(DEPLOY / "haproxy.cfg")],
        env={**os.environ, **addresses},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgres_scripts_are_valid_shell():
    for script in (DEPLOY / "postgres").glob("*.sh"):
        result = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script.name}: {result.stderr}"
