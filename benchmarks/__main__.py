"""``python -m benchmarks [--quick] [--only GROUP ...] [--json FILE]``: every figure of issue #7.

Groups run one after another, each in a fresh process, so that they do not disturb each other (but
other programs on the machine do: the load average is printed, so a noisy run can be told apart).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from .common import Size, environment, format_table, run_group

GROUPS = {
    "kernel": "1 kernel: an iteration against the lesson's numpy loop and the best numpy step",
    "live": "2 live training: 10^6 iterations in the window against the lesson's loop",
    "responsiveness": "3 responsiveness: GUI gaps, redraws, Pause and Stop, on a long run and a big table",
    "headless": "4 headless: neuron-gui train against a plain script; no Qt",
    "scale": "5 scale and start-up: a 100,000-row CSV, 10^7 iterations in memory, start-up, first Train",
    "network": "6 network: the sequel's 3-4-1 network, 600,000 iterations headless, against its numpy loop",
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="shorter runs and fewer repeats (about a minute less)")
    p.add_argument("--smoke", action="store_true",
                   help="tiny sizes, to check that the code runs (its numbers mean nothing)")
    p.add_argument("--only", nargs="+", choices=list(GROUPS), metavar="GROUP",
                   help=f"run only these groups: {', '.join(GROUPS)}")
    p.add_argument("--json", metavar="FILE", help="also write the figures and the environment as JSON")
    args = p.parse_args(argv)
    size = Size("smoke" if args.smoke else "quick" if args.quick else "full")

    env = environment()
    load = os.getloadavg()
    print(f"neuron-gui benchmark ({size.name}), {time.strftime('%Y-%m-%d %H:%M')}")
    for key, value in env.items():
        print(f"  {key:<12} {value}")
    print(f"  {'load avg':<12} {load[0]:.2f} (1 min), {load[1]:.2f} (5 min) at the start")
    figures = []
    started = time.perf_counter()
    for group in args.only or GROUPS:
        print(f"... {GROUPS[group]}", flush=True)
        t0 = time.perf_counter()
        figures += run_group(group, size)
        print(f"    {time.perf_counter() - t0:.0f} s", flush=True)
    print()
    print(format_table(figures))
    print(f"\n{len(figures)} figures in {time.perf_counter() - started:.0f} s; "
          f"load average at the end {os.getloadavg()[0]:.2f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"environment": env, "size": size.name, "figures": [x.to_json() for x in figures]}, f,
                      indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
