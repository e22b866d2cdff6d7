"""No Docker engine runs here, so the compose file is checked by reading it."""

from __future__ import annotations

import shutil
import subprocess

import yaml

from tests.conftest import ROOT


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_the_five_services_with_healthchecks_where_they_matter() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name


def test_app_services_share_one_image_and_environment() -> None:
    services = compose()["services"]
    app = compose()["x-app"]
    for name in ("web", "worker", "beat"):
        # yaml's merge key folds the x-app block into each service
        assert services[name]["image"] == app["image"]
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
        assert env["DEBUG"] == "0"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_commands_run_gunicorn_a_worker_on_both_queues_and_beat() -> None:
    services = compose()["services"]
    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    worker = services["worker"]["command"]
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert worker[worker.index("-Q") + 1] == "default,fetch"
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert "ports" not in services["worker"]  # scalable: no fixed host port


def test_docker_compose_config_accepts_it_when_the_tool_is_installed() -> None:
    tool = shutil.which("docker-compose")
    if tool is None:
        return
    result = subprocess.run(
        [tool, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        env={"SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
