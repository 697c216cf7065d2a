"""The writer's own counters over one whole `briefing ingest`: what does not drift.

    python bench/ingest_counters.py FOLDER [STORE] > /dev/null

Makes a new SQLite store (STORE, default a file in a new temporary folder),
then runs `briefing ingest FOLDER` in this process, as the command runs: this
process is the writer, its parsers are child processes. At the end it prints
the wall time, the CPU time this process spent on it (user and system), the bytes it wrote
and read through system calls (Linux's /proc/self/io: wchar and rchar; the
parsers' reading of the files is theirs, not counted) and its peak RSS, on
standard error; the command's line per file goes to standard output.

On a shared machine the wall and CPU times of the same load drift by 10 % and
more from run to run. The bytes written stay the same for the same code and
corpus (13.67 to 13.69 GB in four 1M loads of one commit), so they tell
whether a change moved the writer's I/O; compare times only back to back.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))


def io_counters() -> dict[str, int]:
    with open("/proc/self/io") as counters:
        return {
            name: int(value)
            for name, value in (
                line.split(": ") for line in counters.read().splitlines()
            )
        }


def briefing(*args: str) -> None:
    """Run a `briefing` command in this process; raise if it fails."""
    from service.cli import main

    sys.argv = ["briefing", *args]
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise


def main(folder: Path, store: Path) -> None:
    if store.exists():
        sys.exit(f"{store} exists: the load is measured into a new store")
    os.environ["BRIEFING_DATABASE_URL"] = f"sqlite:///{store}"
    briefing("db", "upgrade")
    before, was = io_counters(), resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    briefing("ingest", str(folder))
    wall = time.perf_counter() - started
    after, usage = io_counters(), resource.getrusage(resource.RUSAGE_SELF)
    user, system = usage.ru_utime - was.ru_utime, usage.ru_stime - was.ru_stime
    written = (after["wchar"] - before["wchar"]) / 1e9
    read = (after["rchar"] - before["rchar"]) / 1e9
    print(
        f"wall {wall:.1f} s; writer CPU {user + system:.1f} s"
        f" (user {user:.1f}, system {system:.1f});"
        f" written {written:.2f} GB, read {read:.2f} GB;"
        f" peak RSS {usage.ru_maxrss / 1e6:.2f} GB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    target = (
        Path(sys.argv[2])
        if len(sys.argv) == 3
        else Path(tempfile.mkdtemp(prefix="ingest-counters-")) / "store.sqlite3"
    )
    main(Path(sys.argv[1]), target)
