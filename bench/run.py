"""`make bench`: run every bench/bench_*.py in its own process and print their BENCH lines.

Each benchmark builds its own throwaway SQLite database (bench/support.py), so they cannot see
each other's rows or touch a real database. Progress goes to stderr; stdout carries only lines of
the form `BENCH <name> <value> <unit> anchor=<value> ratio=<value>`. Exits non-zero if any
benchmark fails or finds a budget broken. Names given on the command line (`make bench
BENCH="load outcomes"`) run only those benchmarks.
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
TIMEOUT_SECONDS = 900
# The load benchmark serves every main page on two databases, each at two sizes.
LONGER = {"bench_load": 4 * 3600}


def main() -> int:
    failed = []
    wanted = set(sys.argv[1:])  # `make bench BENCH="load outcomes"` runs only those
    for script in sorted(BENCH_DIR.glob("bench_*.py")):
        if wanted and script.stem.removeprefix("bench_") not in wanted:
            continue
        started = time.perf_counter()
        print(f"--- {script.stem}", file=sys.stderr, flush=True)
        result = subprocess.run(
            [sys.executable, str(script)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=BENCH_DIR.parent,
            timeout=LONGER.get(script.stem, TIMEOUT_SECONDS),
            check=False,
        )
        for line in result.stdout.splitlines():
            (sys.stdout if line.startswith("BENCH ") else sys.stderr).write(line + "\n")
        sys.stdout.flush()
        seconds = time.perf_counter() - started
        print(
            f"--- {script.stem}: exit {result.returncode} after {seconds:.0f} s", file=sys.stderr, flush=True
        )
        if result.returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
