"""Plot bench/out/results.json: throughput and latency per server, and the scale curve.

Run with the bench tools' Python (matplotlib lives there, not in the service).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(results_path: str, png_path: str) -> None:
    with open(results_path, encoding="utf-8") as results:
        report = json.load(results)
    servers = report["servers"]
    names = list(servers)
    figure, (throughput, latency, scale) = plt.subplots(1, 3, figsize=(17, 6))

    throughput.barh(names, [servers[n]["rps"] for n in names], color="#3b6ea5")
    throughput.set_xscale("log")
    throughput.set_xlabel("requests/s, median of rounds (log)")
    throughput.set_title("Throughput")
    throughput.invert_yaxis()

    positions = range(len(names))
    latency.barh(
        [p - 0.2 for p in positions],
        [servers[n]["p50_ms"] for n in names],
        height=0.4,
        label="p50",
    )
    latency.barh(
        [p + 0.2 for p in positions],
        [servers[n]["p99_ms"] for n in names],
        height=0.4,
        label="p99",
    )
    latency.set_yticks(list(positions), names)
    latency.set_xscale("log")
    latency.set_xlabel("latency, ms (log)")
    latency.set_title("Latency under load")
    latency.invert_yaxis()
    latency.legend()

    scales = report["scales"]
    answers = [report["ingest"][s]["answers"] for s in scales]
    for mode in ("cached", "uncached"):
        for field in ("p50_ms", "p99_ms"):
            scale.plot(
                answers,
                [scales[s][mode][field] for s in scales],
                marker="o",
                label=f"{field[:3]}, {mode}",
            )
    scale.set_xscale("log")
    scale.set_xlabel("answers stored (log)")
    scale.set_ylabel("ms")
    scale.set_title("/latest, random ids, by corpus size")
    scale.legend()

    figure.suptitle(f"briefing benchmarks, {report['date']}")
    figure.tight_layout()
    figure.savefig(png_path, dpi=90)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
