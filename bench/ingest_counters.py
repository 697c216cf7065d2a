"""The writer's own counters over one whole `briefing ingest`: what does not drift.

    python bench/ingest_counters.py FOLDER [STORE] > /dev/null

Makes a new SQLite store (STORE, default a file in a new temporary folder),
then runs `briefing ingest FOLDER` in this process, as the command runs: this
process is the writer, its parsers are child processes. At the end it prints
the wall time, this process's CPU time (user and system), the bytes it wrote
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
import subprocess
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


def main(folder: Path, store: Path) -> None:
    if store.exists():
        sys.exit(f"{store} exists: the load is measured into a new store")
    os.environ["BRIEFING_DATABASE_URL"] = f"sqlite:///{store}"
    briefing = Path(sys.executable).parent / "briefing"
    subprocess.run([str(briefing), "db", "upgrade"], check=True, capture_output=True)
    from service.cli import main as command

    before = io_counters()
    started = time.perf_counter()
    sys.argv = ["briefing", "ingest", str(folder)]
    try:
        command()
    except SystemExit as exc:
        if exc.code:
            raise
    wall = time.perf_counter() - started
    after = io_counters()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    written = (after["wchar"] - before["wchar"]) / 1e9
    read = (after["rchar"] - before["rchar"]) / 1e9
    print(
        f"wall {wall:.1f} s; writer CPU {usage.ru_utime + usage.ru_stime:.1f} s"
        f" (user {usage.ru_utime:.1f}, system {usage.ru_stime:.1f});"
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
