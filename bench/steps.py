"""Step times of the three rebuilds bench/run.py times (one article's text changed, one of its
figures changed, 20 articles added), each printed as `kgbuild build` logs them with
KGBUILD_TIMES=1, beside the rebuild's wall time and GNU time's CPU and peak RSS.

    python bench/steps.py [--size 5000] [text] [value] [added]

It needs what `bench/run.py --sizes N --build-only` leaves in bench/work: corpus-N, dist-N,
cache-N (a build of the corpus with the cache filled) and added-20. Each edit is undone and the
build brought back in line after it, as bench/run.py does."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import _bump_a_value  # noqa: E402  (bench/run.py's edit of a figure)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("which", nargs="*", choices=["text", "value", "added"], default=["text", "value", "added"])
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    args = ap.parse_args()
    corpus, out, cache = (args.work / f"{k}-{args.size}" for k in ("corpus", "dist", "cache"))
    if not (out / "manifest.json").is_file() or not cache.is_dir():
        sys.exit(f"{out} or {cache} is missing: run bench/run.py --sizes {args.size} --build-only --no-virtuoso first")
    kg = [str(Path(sys.executable).parent / "kgbuild"), "build", str(corpus), "--out", str(out), "--cache", str(cache)]
    env = dict(os.environ, KGBUILD_TIMES="1")

    def rebuild(label: str | None) -> None:
        t = time.perf_counter()
        r = subprocess.run(["/usr/bin/time", "-f", "CPU user %U s, sys %S s, peak RSS %M kB"] + kg,
                           capture_output=True, text=True, env=env)
        if r.returncode not in (0, 3):
            sys.exit(f"kgbuild build failed ({r.returncode}):\n{r.stderr[-2000:]}")
        if label:
            print(f"== {label}: {time.perf_counter() - t:.2f} s wall")
            print("\n".join(line for line in r.stderr.splitlines() if line.startswith(("time ", "CPU "))), flush=True)

    first = sorted(corpus.glob("*.md"))[0]
    original = first.read_bytes()
    try:
        if "text" in args.which:
            first.write_bytes(original.replace("。".encode(), "；".encode(), 1))
            rebuild("one changed (its text)")
            first.write_bytes(original)
            rebuild(None)
        bumped = _bump_a_value(original.decode("utf-8"))
        if "value" in args.which and bumped is not None:
            first.write_bytes(bumped.encode("utf-8"))
            rebuild("one changed (one of its figures)")
            first.write_bytes(original)
            rebuild(None)
    finally:
        first.write_bytes(original)
    if "added" in args.which:
        extra = args.work / "added-20"
        added = [corpus / f"added-{f.name}" for f in sorted(extra.glob("*.md"))]
        try:
            for f, dst in zip(sorted(extra.glob("*.md")), added):
                shutil.copyfile(f, dst)
            rebuild("20 added")
        finally:
            for dst in added:
                dst.unlink(missing_ok=True)
            rebuild(None)


if __name__ == "__main__":
    main()
