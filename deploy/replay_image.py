"""Replay the Dockerfile without Docker, then check the running service.

No Docker engine runs on our machines, so CI follows the Dockerfile itself:
every ENV, WORKDIR, COPY and RUN of both stages, with container paths moved under
a scratch folder, then the ENTRYPOINT with the CMD on a free loopback port, then
the HEALTHCHECK, /readyz and a seed query. Only what needs root is not replayed
(`useradd`, `chown`, `USER`): the replay runs as the current user.

Usage: python deploy/replay_image.py [--keep]
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_REPLAYED = ("useradd", "groupadd", "chown", "chmod")
STAND = "was-ist-der-derzeitige-stand-der-friedensgespraeche_f4e79409f3"


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """Return (INSTRUCTION, arguments) pairs, continuation lines joined."""
    logical, current = [], ""
    for line in dockerfile.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    return [
        (text.split(None, 1)[0].upper(), text.split(None, 1)[1].strip())
        for text in logical
    ]


class Replay:
    def __init__(self, scratch: Path, container_roots: set[str]) -> None:
        self.scratch = scratch
        # Absolute container paths under these top folders move into the scratch folder.
        self.pattern = re.compile(
            r"(?<![\w.-])/(?:" + "|".join(sorted(container_roots)) + r")(?=/|\b)"
        )
        self.env: dict[str, str] = {}
        self.workdir = "/"

    def host(self, text: str) -> str:
        return self.pattern.sub(lambda m: f"{self.scratch}{m.group(0)}", text)

    def set_env(self, arguments: str) -> None:
        for pair in shlex.split(arguments):
            name, _, value = pair.partition("=")
            value = value.replace("$PATH", self.env.get("PATH", os.environ["PATH"]))
            self.env[name] = self.host(value)

    def copy(self, arguments: str) -> None:
        parts = shlex.split(arguments)
        if parts[0].startswith("--from="):
            return  # both stages share the scratch folder: already in place
        *sources, target = parts
        destination = Path(
            self.host(target if target.startswith("/") else f"{self.workdir}/{target}")
        )
        for source in sources:
            src = ROOT / source
            to = (
                destination / src.name
                if target.endswith("/") or len(sources) > 1
                else destination
            )
            to.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(
                    src,
                    to,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"),
                )
            else:
                shutil.copy2(src, to)

    def run(self, command: str) -> None:
        for step in command.split("&&"):
            step = step.strip()
            if step.split()[0] in NOT_REPLAYED:
                print(f"  (not replayed, needs root) {step}")
                continue
            print(f"  RUN {step}")
            subprocess.run(
                ["/bin/sh", "-c", self.host(step)],
                cwd=self.host(self.workdir),
                env={**os.environ, **self.env},
                check=True,
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def main() -> int:
    steps = instructions(ROOT / "Dockerfile")
    bases = {args.split()[0] for name, args in steps if name == "FROM"}
    wanted = {re.sub(r"^python:(\d+\.\d+\.\d+).*$", r"\1", base) for base in bases}
    have = ".".join(map(str, sys.version_info[:3]))
    if wanted != {have}:
        print(f"warning: the image uses Python {wanted}, this replay runs {have}")
    roots = set(
        re.findall(
            r"(?<![\w.:-])/(opt|src|app|data|srv|var/lib/briefing)\b",
            (ROOT / "Dockerfile").read_text(),
        )
    )
    scratch = Path(tempfile.mkdtemp(prefix="briefing-image-"))
    replay = Replay(scratch, roots)
    port = free_port()
    entrypoint: list[str] = []
    cmd: list[str] = []
    healthcheck: list[str] = []
    exposed = "8000"
    for name, arguments in steps:
        if name == "FROM":
            print(f"FROM {arguments}")
            replay.env, replay.workdir = {}, "/"
        elif name == "ENV":
            replay.set_env(arguments)
        elif name == "WORKDIR":
            replay.workdir = arguments
            Path(replay.host(arguments)).mkdir(parents=True, exist_ok=True)
        elif name == "COPY":
            replay.copy(arguments)
        elif name == "RUN":
            replay.run(arguments)
        elif name == "EXPOSE":
            exposed = arguments.split("/")[0]
        elif name == "ENTRYPOINT":
            entrypoint = json.loads(arguments)
        elif name == "CMD":
            cmd = json.loads(arguments)
        elif name == "HEALTHCHECK":
            healthcheck = json.loads(arguments.split("CMD", 1)[1])
        elif name in ("USER", "VOLUME", "LABEL", "ARG"):
            print(f"  ({name} {arguments}: not replayed)")
        else:
            raise SystemExit(
                f"replay does not know {name}; teach it before the Dockerfile uses it"
            )

    def on_port(part: str) -> str:
        return (
            replay.host(part)
            .replace(f"0.0.0.0:{exposed}", f"127.0.0.1:{port}")
            .replace(f"127.0.0.1:{exposed}", f"127.0.0.1:{port}")
        )

    env = {"PATH": os.environ["PATH"], "HOME": str(scratch), **replay.env}
    command = [on_port(part) for part in entrypoint + cmd]
    print("ENTRYPOINT+CMD", " ".join(command))
    server = subprocess.Popen(
        command, cwd=replay.host(replay.workdir), env=env, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(base + "/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the entry point did not start serving") from None
                time.sleep(0.2)
        checks = {
            "HEALTHCHECK": subprocess.run(
                [on_port(p) for p in healthcheck], env=env, check=False
            ).returncode
            == 0,
            "/healthz": get(base + "/healthz")[0] == 200,
            "/readyz": get(base + "/readyz")[0] == 200,
            "4 seed questions": len(json.loads(get(base + "/v1/questions")[1])["items"])
            == 4,
            "latest answer 2026-01-09": json.loads(
                get(f"{base}/v1/questions/{STAND}/latest")[1]
            )["published"]
            == "2026-01-09",
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if "--keep" not in sys.argv:
            shutil.rmtree(scratch, ignore_errors=True)
    for check, ok in checks.items():
        print(f"{'ok' if ok else 'FAILED':6} {check}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
