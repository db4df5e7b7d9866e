#!/usr/bin/env python3
"""rudder's Go-template engine against helm4 on the same work: CPU time (user + system
of the whole process) and wall time, runs alternating A/B, medians, and the helm4/rudder
ratio per pair. A benchmark, not a test: nothing here asserts a time.

    scripts/bench-go.py [--runs N] [--only PATTERN] [--markdown]

Work: the chart `helm4 create` makes (defaults, and ingress + autoscaling values), a
generated umbrella of 60 such subcharts, and every value-file case of ../shared/corpus.
Needs a release build (`cargo build --release`) and helm4 (`scripts/get-helm.sh`).
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")


def helm_dir():
    if os.environ.get("RUDDER_HELM_DIR"):
        return os.environ["RUDDER_HELM_DIR"]
    out = subprocess.run(["bash", os.path.join(ROOT, "scripts/get-helm.sh")],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def run_once(argv, cwd):
    """CPU seconds (user + system) and wall seconds of one run; its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc.returncode


def measure(rudder_argv, helm_argv, cwd, runs):
    """Alternating runs after one warm-up each; medians in milliseconds."""
    run_once(rudder_argv, cwd)
    run_once(helm_argv, cwd)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(run_once(rudder_argv, cwd))
        theirs.append(run_once(helm_argv, cwd))
    med = lambda rows, i: statistics.median(r[i] for r in rows) * 1000
    return {
        "rudder_cpu": med(ours, 0), "helm_cpu": med(theirs, 0),
        "rudder_wall": med(ours, 1), "helm_wall": med(theirs, 1),
        "codes": (ours[0][2], theirs[0][2]),
    }


def make_umbrella(work, helm4, count):
    umbrella = os.path.join(work, "umbrella")
    os.makedirs(os.path.join(umbrella, "charts"))
    os.makedirs(os.path.join(umbrella, "templates"))
    deps = []
    subprocess.run([helm4, "create", "sub"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    for i in range(count):
        name = f"sub{i:03d}"
        target = os.path.join(umbrella, "charts", name)
        shutil.copytree(os.path.join(work, "sub"), target)
        chart_yaml = os.path.join(target, "Chart.yaml")
        text = open(chart_yaml).read().replace("name: sub", f"name: {name}", 1)
        open(chart_yaml, "w").write(text)
        deps.append(f"  - name: {name}\n    version: 0.1.0\n")
    with open(os.path.join(umbrella, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n" + "".join(deps))
    return umbrella


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--only", default="")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    rudder = os.path.join(ROOT, "target/release/rudder")
    if not os.path.exists(rudder):
        sys.exit("build first: cargo build --release")
    helm4 = os.path.join(helm_dir(), "helm4")
    work = tempfile.mkdtemp()
    try:
        subprocess.run([helm4, "create", "mychart"], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        ingress = os.path.join(ROOT, "testdata/parity/helm-create/ingress-autoscaling.yaml")
        cases = [
            ("helm-create", ["template", "mychart"]),
            ("helm-create ingress+autoscaling", ["template", "mychart", "-f", ingress]),
        ]
        if not args.only or "umbrella" in args.only:
            make_umbrella(work, helm4, 60)
            cases.append(("umbrella 60 subcharts", ["template", "umbrella"]))
        corpus = os.path.abspath(CORPUS)
        for chart in sorted(os.listdir(os.path.join(corpus, "cases"))):
            case_dir = os.path.join(corpus, "cases", chart)
            if not os.path.isdir(case_dir):
                continue
            for file in sorted(os.listdir(case_dir)):
                if not file.endswith(".yaml"):
                    continue
                case = file[:-5]
                argv = ["template", "rel", os.path.join(corpus, "charts", chart),
                        "-f", os.path.join(case_dir, file)]
                extra = os.path.join(case_dir, case + ".args")
                if os.path.exists(extra):
                    argv += open(extra).read().split()
                cases.append((f"corpus {chart}/{case}", argv))
        cases = [c for c in cases if args.only in c[0]]

        rows = []
        for name, argv in cases:
            m = measure([rudder] + argv, [helm4] + argv, work, args.runs)
            ratio = m["helm_cpu"] / m["rudder_cpu"] if m["rudder_cpu"] else float("inf")
            rows.append((name, m, ratio))
            print(f"{name:52} rudder {m['rudder_cpu']:7.1f} ms  helm4 {m['helm_cpu']:7.1f} ms"
                  f"  x{ratio:5.1f}  (wall {m['rudder_wall']:.1f} / {m['helm_wall']:.1f} ms)"
                  + ("" if m["codes"][0] == m["codes"][1] else f"  exit codes differ {m['codes']}"),
                  flush=True)
        corpus_ratios = [r for n, _, r in rows if n.startswith("corpus ")]
        if corpus_ratios:
            worst = min((r, n) for n, _, r in rows if n.startswith("corpus "))
            print(f"\ncorpus: median CPU ratio x{statistics.median(corpus_ratios):.1f} over "
                  f"{len(corpus_ratios)} cases; lowest x{worst[0]:.1f} ({worst[1]})")
        if args.markdown:
            print("\n| work | rudder CPU ms | helm4 CPU ms | helm4 / rudder |")
            print("|---|---|---|---|")
            for name, m, ratio in rows:
                print(f"| {name} | {m['rudder_cpu']:.1f} | {m['helm_cpu']:.1f} | {ratio:.1f}x |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
