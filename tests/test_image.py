"""The image, built and run by a real Docker engine: user, health, seeds, volume, stop, read-only.

Run by `make image-check` (`pytest -m image tests/test_image.py`), not by `make test`.
It installs Debian's docker.io and debootstrap when missing and starts its own
dockerd (vfs storage, no iptables, no bridge; every container on the host
network) under /var/tmp/briefing-docker, stopping it afterwards if it started
it. That folder keeps the engine's images between runs. When the Dockerfile's
base image cannot be pulled (no registry reachable), a stand-in of the same
name is built with debootstrap from the Debian mirror apt uses here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.image

ROOT = Path(__file__).parent.parent
DOCKER_ROOT = Path("/var/tmp/briefing-docker")
SOCKET = f"unix://{DOCKER_ROOT}/docker.sock"
TAG = "briefing:image-test"
TOKEN = "image-test-token-0123456789"
ARTICLE = "date 2026-01-12 Wer zahlt den Wiederaufbau?\n\nDie EU und die Weltbank.\n"
STAND_IN_LABEL = "briefing.stand-in"
# What the test measured, printed at the end of the run.
FIGURES: dict[str, str] = {}


def run(
    *args: str,
    timeout: float = 120,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> str:
    """Run a command; return its stdout, failing with its stderr."""
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, env=env
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {done.returncode}:\n{done.stderr[-4000:]}"
        )
    return done.stdout


def docker(*args: str, timeout: float = 120, check: bool = True) -> str:
    """Run the docker client against the engine the test uses."""
    return run("docker", *args, timeout=timeout, check=check)


def engine_answers() -> bool:
    """Whether the engine named by DOCKER_HOST answers."""
    done = subprocess.run(
        ["docker", "version", "--format", "{{.Server.Version}}"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    return done.returncode == 0


def apt_install(*commands: tuple[str, str]) -> None:
    """Install the Debian package of each (command, package) whose command is missing."""
    os.environ["PATH"] += ":/usr/sbin:/sbin"
    missing = [package for command, package in commands if not shutil.which(command)]
    if not missing:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", *missing],
    ):
        subprocess.run(args, env=env, capture_output=True, check=True, timeout=600)


@pytest.fixture(scope="module")
def report(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Figures to print once the image tests are done."""
    yield FIGURES
    plugins = request.config.pluginmanager
    capture = plugins.getplugin("capturemanager")
    terminal = plugins.getplugin("terminalreporter")
    with capture.global_and_fixture_disabled():
        for name, value in FIGURES.items():
            (terminal.write_line if terminal else print)(f"image: {name}: {value}")


@pytest.fixture(scope="module")
def engine(report: dict[str, str]) -> Iterator[None]:
    """A Docker engine: DOCKER_HOST's if it answers, else a dockerd of the test's own."""
    if os.environ.get("DOCKER_HOST") and engine_answers():
        report["engine"] = docker(
            "version", "--format", "Docker {{.Server.Version}}"
        ).strip()
        yield
        return
    apt_install(("dockerd", "docker.io"))
    os.environ["DOCKER_HOST"] = SOCKET
    started = None
    if not engine_answers():
        DOCKER_ROOT.mkdir(parents=True, exist_ok=True)
        with (DOCKER_ROOT / "dockerd.log").open("ab") as log:
            started = subprocess.Popen(
                [
                    "dockerd",
                    "--storage-driver=vfs",
                    "--iptables=false",
                    "--bridge=none",
                    f"--data-root={DOCKER_ROOT}/data",
                    f"--exec-root={DOCKER_ROOT}/exec",
                    f"--pidfile={DOCKER_ROOT}/dockerd.pid",
                    f"--host={SOCKET}",
                ],
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while not engine_answers():
            assert started.poll() is None, (
                f"dockerd exited; see {DOCKER_ROOT}/dockerd.log"
            )
            assert time.monotonic() < deadline, "dockerd did not answer within 60 s"
            time.sleep(0.5)
    report["engine"] = docker(
        "version", "--format", "Docker {{.Server.Version}}"
    ).strip()
    try:
        yield
    finally:
        if started is not None:
            started.send_signal(signal.SIGTERM)
            started.wait(timeout=60)


def base_images() -> list[str]:
    """The images the Dockerfile's FROM lines name (stage names left out)."""
    stages: set[str] = set()
    images: list[str] = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        match = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if match:
            if match[1] not in stages and match[1] not in images:
                images.append(match[1])
            if match[2]:
                stages.add(match[2])
    return images


def debian_mirror() -> str:
    """The Debian archive apt is configured with on this machine."""
    for source in sorted(Path("/etc/apt").glob("sources.list*")) + sorted(
        Path("/etc/apt/sources.list.d").glob("*")
    ):
        if not source.is_file():
            continue
        text = source.read_text()
        # deb822 stanzas (URIs: / Suites:) and one-line `deb URI suite ...` entries.
        for stanza in re.split(r"\n\s*\n", text):
            uris = re.search(r"^URIs:\s*(\S+)", stanza, re.MULTILINE)
            suites = re.search(r"^Suites:\s*(.+)$", stanza, re.MULTILINE)
            if uris and suites and "bookworm" in suites[1].split():
                return uris[1]
        line = re.search(
            r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+bookworm\s", text, re.MULTILINE
        )
        if line:
            return line[1]
    return "http://deb.debian.org/debian"


def build_stand_in(image: str) -> None:
    """Import a Debian system with python3 under the name `image` (debootstrap, then docker import)."""
    apt_install(("debootstrap", "debootstrap"))
    match = re.search(r"(bookworm|bullseye|trixie)", image)
    suite = match[1] if match else "bookworm"
    with tempfile.TemporaryDirectory(dir=DOCKER_ROOT) as tmp:
        rootfs = Path(tmp) / "rootfs"
        run(
            "debootstrap",
            "--variant=minbase",
            "--include=python3,python3-venv,python-is-python3,ca-certificates",
            suite,
            str(rootfs),
            debian_mirror(),
            timeout=900,
        )
        # The machine's CA bundle, so that pip in the build trusts what this
        # machine trusts on its way to the package index.
        shutil.copy("/etc/ssl/certs/ca-certificates.crt", rootfs / "etc/ssl/certs/")
        # What the slim image leaves out too: apt's downloads and lists, docs, locales.
        for folder in (
            "var/cache/apt",
            "var/lib/apt/lists",
            "usr/share/doc",
            "usr/share/man",
            "usr/share/info",
            "usr/share/locale",
        ):
            shutil.rmtree(rootfs / folder, ignore_errors=True)
            (rootfs / folder).mkdir()
        tar = subprocess.Popen(
            ["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE
        )
        subprocess.run(
            [
                "docker",
                "import",
                "--change",
                "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt",
                "--change",
                "ENV LANG=C.UTF-8",
                "--change",
                f"LABEL {STAND_IN_LABEL}=debootstrap-{suite}",
                "--change",
                'CMD ["python3"]',
                "-",
                image,
            ],
            stdin=tar.stdout,
            capture_output=True,
            check=True,
            timeout=300,
        )
        tar.stdout.close()  # type: ignore[union-attr]
        assert tar.wait(timeout=60) == 0


def pip_build_args() -> list[str]:
    """This machine's pip index settings as build arguments (network URLs only)."""
    listing = run(sys.executable, "-m", "pip", "config", "list", check=False)
    settings: dict[str, str] = {}
    for line in listing.splitlines():
        match = re.match(
            r"[^.]*\.(index-url|extra-index-url|trusted-host)='(.*)'$", line
        )
        if match:
            settings[match[1]] = match[2]
    args = []
    for key in ("index-url", "extra-index-url", "trusted-host"):
        values = settings.get(key, "").split()
        if key != "trusted-host":
            # file:// indexes lie on this machine's disk, not in the build.
            values = [v for v in values if v.startswith(("http://", "https://"))]
        if values:
            name = "PIP_" + key.upper().replace("-", "_")
            args += ["--build-arg", f"{name}={' '.join(values)}"]
    return args


@pytest.fixture(scope="module")
def image(engine: None, report: dict[str, str]) -> str:
    """The image built from the repository's Dockerfile, on the real base or a stand-in."""
    for base in base_images():
        if docker("image", "ls", "-q", base).strip():
            how = "cached"
        elif docker("pull", "-q", base, check=False, timeout=300):
            how = "pulled"
        else:
            started = time.monotonic()
            build_stand_in(base)
            how = f"stand-in built in {time.monotonic() - started:.0f} s"
        label = docker(
            "image",
            "inspect",
            "--format",
            f'{{{{index .Config.Labels "{STAND_IN_LABEL}"}}}}',
            base,
        ).strip()
        report[f"base {base}"] = f"{how}" + (
            f" ({label})" if label and label != "<no value>" else ""
        )
    started = time.monotonic()
    build = ["docker", "build", "--network", "host", *pip_build_args()]
    # The build stage gets a tag of its own, so the prune below keeps its cache.
    for target in (["--target", "build", "-t", f"{TAG}-build"], ["-t", TAG]):
        run(
            *build,
            *target,
            str(ROOT),
            env={**os.environ, "DOCKER_BUILDKIT": "0"},
            timeout=900,
        )
    report["build"] = f"{time.monotonic() - started:.0f} s"
    # vfs keeps a full copy per layer: drop the layers of earlier builds.
    docker("image", "prune", "-f", timeout=300)
    size = int(docker("image", "inspect", "--format", "{{.Size}}", TAG))
    report["image size"] = f"{size} bytes ({size / 1e6:.0f} MB)"
    return TAG


class Container:
    """One `docker run -d` of the image, removed with its volume afterwards."""

    def __init__(
        self,
        image: str,
        *options: str,
        host: str = "127.0.0.1",
        own_network: bool = False,
    ) -> None:
        """Run on the host network on a free port, or (own_network) with the image's CMD."""
        self.name = f"briefing-test-{uuid.uuid4().hex[:10]}"
        self.volume = f"{self.name}-data"
        self.port = 8000 if own_network else free_port()
        network = ["--network", "none"] if own_network else ["--network", "host"]
        gunicorn = [] if own_network else ["--bind", f"{host}:{self.port}"]
        docker(
            "run", "-d", "--name", self.name, *network,
            "-v", f"{self.volume}:/data",
            "-e", f"BRIEFING_API_TOKENS={TOKEN}",
            *options, image, *gunicorn,
        )  # fmt: skip

    @property
    def base(self) -> str:
        """The URL the container serves on, from the host."""
        return f"http://127.0.0.1:{self.port}"

    def inspect(self, template: str) -> str:
        """One `docker inspect --format` value."""
        return docker("inspect", "--format", template, self.name).strip()

    def wait_healthy(self, within: float = 90) -> float:
        """Poll the container's own HEALTHCHECK until healthy; return the seconds it took."""
        started = time.monotonic()
        while True:
            health = json.loads(self.inspect("{{json .State.Health}}") or "null")
            status = health["Status"] if health else "none"
            if status == "healthy":
                return time.monotonic() - started
            running = self.inspect("{{.State.Running}}") == "true"
            if (
                status == "unhealthy"
                or not running
                or time.monotonic() - started > within
            ):
                raise AssertionError(
                    f"{status} (running: {running}); last check: "
                    f"{(health or {}).get('Log', [])[-1:]}\n{self.logs()}"
                )
            time.sleep(0.5)

    def logs(self) -> str:
        """The container's output, stdout and stderr."""
        done = subprocess.run(
            ["docker", "logs", self.name], capture_output=True, text=True, timeout=60
        )
        return (done.stdout + done.stderr)[-4000:]

    def remove(self) -> None:
        """Remove the container and its volume."""
        docker("rm", "-f", "-v", self.name, check=False)
        docker("volume", "rm", "-f", self.volume, check=False)


def free_port() -> int:
    """A TCP port nothing on the host listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def get_json(url: str) -> Any:
    """GET a JSON body."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def post_article(base: str) -> tuple[int, dict[str, Any]]:
    """POST the test article as JSON with the token; return status and body."""
    request = urllib.request.Request(
        f"{base}/v1/articles",
        data=json.dumps({"text": ARTICLE, "source": "image-test.txt"}).encode(),
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


@pytest.fixture(scope="module")
def served(image: str, report: dict[str, str]) -> Iterator[Container]:
    """The image on the host network, on a port of the test's choosing."""
    # A wildcard bind, as `docker run briefing --bind 0.0.0.0:9000` gives.
    container = Container(image, host="0.0.0.0")
    try:
        report["healthy after"] = (
            f"{container.wait_healthy():.1f} s (interval 10 s, its own)"
        )
        yield container
    finally:
        container.remove()


def test_runs_as_a_user_not_root(image: str, served: Container) -> None:
    assert (
        docker("image", "inspect", "--format", "{{.Config.User}}", image).strip()
        == "10001"
    )
    assert docker("exec", served.name, "id", "-u").strip() == "10001"


def test_healthy_by_its_own_healthcheck_on_the_port_it_serves(
    image: str, served: Container
) -> None:
    healthcheck = json.loads(
        docker("image", "inspect", "--format", "{{json .Config.Healthcheck}}", image)
    )
    assert healthcheck["Test"] == ["CMD", "python", "/app/healthcheck.py"]
    assert served.port != 8000
    last = json.loads(served.inspect("{{json .State.Health.Log}}"))[-1]
    assert last["ExitCode"] == 0
    assert last["Output"].strip() == f"healthy: 127.0.0.1:{served.port}"


def test_healthy_on_the_default_port(image: str) -> None:
    # Its own network namespace (no network but loopback): 8000 is free there.
    container = Container(image, "--health-interval", "1s", own_network=True)
    try:
        container.wait_healthy()
        last = json.loads(container.inspect("{{json .State.Health.Log}}"))[-1]
        assert last["Output"].strip() == "healthy: 127.0.0.1:8000"
    finally:
        container.remove()


def test_seeds_served(served: Container) -> None:
    questions = get_json(f"{served.base}/v1/questions")["items"]
    assert len(questions) == 4
    assert all(q["answer_count"] >= 1 for q in questions)
    # The installed package carries its templates: the pages for people render.
    with urllib.request.urlopen(f"{served.base}/", timeout=10) as reply:
        assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
        assert '<html lang="de">' in reply.read().decode()


def test_a_post_is_kept_across_restart(served: Container) -> None:
    status, article = post_article(served.base)
    assert status == 201
    docker("restart", served.name, timeout=60)
    served.wait_healthy()
    kept = get_json(f"{served.base}/v1/articles/{article['id']}")
    assert kept["source"] == "image-test.txt"
    assert len(get_json(f"{served.base}/v1/questions")["items"]) == 5


def test_docker_stop_is_a_clean_exit_within_15_s(
    image: str, report: dict[str, str]
) -> None:
    container = Container(image, "--health-interval", "1s")
    try:
        container.wait_healthy()
        get_json(f"{container.base}/v1/questions")
        started = time.monotonic()
        docker("stop", container.name, timeout=60)
        elapsed = time.monotonic() - started
        report["docker stop"] = f"{elapsed:.2f} s"
        assert elapsed < 15
        # 0, not 137: gunicorn is PID 1, got SIGTERM and exited by itself.
        assert container.inspect("{{.State.ExitCode}}") == "0"
        assert "Handling signal: term" in container.logs()
    finally:
        container.remove()


def test_read_only_with_tmpfs_and_the_data_volume(image: str) -> None:
    container = Container(
        image, "--read-only", "--tmpfs", "/tmp", "--health-interval", "1s"
    )
    try:
        container.wait_healthy()
        assert len(get_json(f"{container.base}/v1/questions")["items"]) == 4
        status, _ = post_article(container.base)
        assert status == 201
        assert "Error" not in container.logs()
    finally:
        container.remove()


def test_the_health_check_fails_when_nothing_answers(image: str) -> None:
    # On the host network the host's own listeners are visible, but none is the container's.
    alone = subprocess.run(
        ["docker", "run", "--rm", "--network", "host", "--entrypoint", "python", image, "/app/healthcheck.py"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (alone.returncode, alone.stdout) == (
        1,
        "unhealthy: no listening TCP socket yet\n",
    )
    container = Container(image, "--health-interval", "1s")
    try:
        container.wait_healthy()
        # Workers stopped: the socket still listens but no request is answered.
        docker("exec", container.name, "python", "-c", STOP_WORKERS)
        done = subprocess.run(
            ["docker", "exec", container.name, "python", "/app/healthcheck.py"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        assert done.returncode == 1
        assert done.stdout.startswith(
            f"unhealthy: http://127.0.0.1:{container.port}/healthz"
        )
    finally:
        container.remove()


STOP_WORKERS = """
import os, signal
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) not in (1, os.getpid()) and b"gunicorn" in open(f"/proc/{pid}/cmdline", "rb").read():
        os.kill(int(pid), signal.SIGSTOP)
"""
