#!/usr/bin/env python3
"""rudder against helm4 on the same work: CPU time (user + system of the whole process),
wall time and peak RSS, runs alternating A/B, medians, and the helm4/rudder CPU ratio per
pair. A benchmark, not a test: nothing here asserts a time.

    scripts/bench-go.py [--runs N] [--only PATTERN] [--markdown]

Peak RSS comes from one extra run of each under GNU time (Debian's `time` package).

Work: the chart `helm4 create` makes (defaults, and ingress + autoscaling values, in
both dialects: rudder's Jinja port in testdata/charts/helm-create-jinja against helm4 on
the Go original), generated umbrellas of 60 and 240 such subcharts and a chart of 1 000
templates (both dialects; the Jinja umbrella prints the same bytes as the Go one, which
is what helm4 renders), helm create with a 10 MB values file (both dialects), a chain of
100 nested `include`s called 50 times, the shipped stack per environment against helm4
on helm create grown to the same output size (copies of its service template; helm4
cannot render the Jinja stack), and every value-file case of ../shared/corpus. The I/O floor
row is `cat` of the chart's files into the same output size. Needs a release build
(`cargo build --release`) and helm4 (`scripts/get-helm.sh`). Schemas rudder has checked
once are remembered (see docs/performance.md); the warm-up run remembers them.
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
    # posix_spawn (vfork + exec) charges the child nothing before its exec; a fork of
    # this Python process would add about a millisecond of page-table copying to each.
    start = time.perf_counter()
    devnull = os.open(os.devnull, os.O_WRONLY)
    here = os.getcwd()
    os.chdir(cwd)
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    finally:
        os.chdir(here)
        os.close(devnull)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return cpu, wall, os.waitstatus_to_exitcode(status)


def peak_rss(argv, cwd):
    """Peak RSS (MiB) of one run, from GNU time (`/usr/bin/time -f %M`): the process's
    own, where a child forked from Python would count Python's pages until its exec."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(out.stderr.strip().splitlines()[-1]) / 1024


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
        "rudder_rss": peak_rss(rudder_argv, cwd),
        "helm_rss": peak_rss(helm_argv, cwd),
    }


def make_umbrella(work, sub, count, name, jinja=False):
    """An umbrella of `count` copies of the chart `sub` (renamed sub000, sub001, ...)."""
    umbrella = os.path.join(work, name)
    os.makedirs(os.path.join(umbrella, "charts"))
    os.makedirs(os.path.join(umbrella, "templates"))
    deps = []
    for i in range(count):
        child = f"sub{i:03d}"
        target = os.path.join(umbrella, "charts", child)
        shutil.copytree(sub, target)
        chart_yaml = os.path.join(target, "Chart.yaml")
        lines = [f"name: {child}" if l.startswith("name: ") else l
                 for l in open(chart_yaml).read().splitlines()]
        open(chart_yaml, "w").write("\n".join(lines) + "\n")
        deps.append(f"  - name: {child}\n    version: 0.1.0\n")
    marker = "annotations:\n  rudder/engine: jinja\n" if jinja else ""
    with open(os.path.join(umbrella, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: umbrella\nversion: 0.1.0\n" + marker
                + "dependencies:\n" + "".join(deps))
    return umbrella


def make_many_templates(work, chart, count, name):
    """`chart` with its service.yaml copied `count` times (service-0000.yaml, ...)."""
    target = os.path.join(work, name)
    shutil.copytree(chart, target)
    service = open(os.path.join(target, "templates", "service.yaml")).read()
    for i in range(count):
        with open(os.path.join(target, "templates", f"service-{i:04d}.yaml"), "w") as f:
            f.write(service)
    return target


def make_big_values(work, megabytes):
    """A values file of about `megabytes` MB: helm create's values plus an `extra` map of
    small maps (which the templates never read, but both tools load and merge)."""
    path = os.path.join(work, f"values-{megabytes}mb.yaml")
    with open(path, "w") as f:
        f.write("extra:\n")
        i = 0
        while f.tell() < megabytes * 1024 * 1024:
            f.write(f"  key{i:07d}:\n    name: item-{i}\n    port: {i % 65536}\n"
                    f"    enabled: {'true' if i % 2 else 'false'}\n"
                    f"    tags: [a, b, \"c-{i}\"]\n")
            i += 1
    return path


def make_include_chain(work, depth, calls, name):
    """A Go chart whose one template includes `chain0` `calls` times; `chainK` includes
    `chainK+1` down to `depth`, which prints a value."""
    chart = os.path.join(work, name)
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(chart, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    with open(os.path.join(chart, "values.yaml"), "w") as f:
        f.write("leaf: value\n")
    with open(os.path.join(chart, "templates", "_chain.tpl"), "w") as f:
        for k in range(depth):
            f.write(f'{{{{- define "chain{k}" -}}}}{{{{ include "chain{k + 1}" . }}}}{{{{- end -}}}}\n')
        f.write(f'{{{{- define "chain{depth}" -}}}}{{{{ .Values.leaf | upper }}}}{{{{- end -}}}}\n')
    with open(os.path.join(chart, "templates", "cm.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chain\ndata:\n")
        for i in range(calls):
            f.write(f'  k{i}: {{{{ include "chain0" . | quote }}}}\n')
    return chart


def output_size(argv, cwd):
    return len(subprocess.run(argv, cwd=cwd, check=True, capture_output=True).stdout)


def io_floor(chart, out_bytes, work):
    """A shell command that reads every file of `chart` and writes `out_bytes` bytes."""
    blob = os.path.join(work, f"floor-{out_bytes}")
    with open(blob, "wb") as f:
        f.write(b"x" * out_bytes)
    return ["sh", "-c", f"find {chart} -type f -exec cat {{}} + >/dev/null; cat {blob}"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
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
        jinja_create = os.path.join(ROOT, "testdata/charts/helm-create-jinja")
        cases = [
            ("helm-create", ["template", "mychart"], None),
            ("helm-create ingress+autoscaling", ["template", "mychart", "-f", ingress], None),
            ("helm-create (jinja)", ["template", jinja_create], ["template", "mychart"]),
            ("helm-create ingress+autoscaling (jinja)", ["template", jinja_create, "-f", ingress],
             ["template", "mychart", "-f", ingress]),
        ]
        if not args.only or "umbrella" in args.only or "templates" in args.only:
            mychart = os.path.join(work, "mychart")
            for count in (60, 240):
                go = make_umbrella(work, mychart, count, f"umbrella{count}")
                jinja = make_umbrella(work, jinja_create, count, f"umbrella{count}-jinja", True)
                cases.append((f"umbrella {count} subcharts", ["template", go], None))
                cases.append((f"umbrella {count} subcharts (jinja)", ["template", jinja],
                              ["template", go]))
            many_go = make_many_templates(work, mychart, 1000, "many")
            many_jinja = make_many_templates(work, jinja_create, 1000, "many-jinja")
            cases.append(("1000 templates", ["template", many_go], None))
            cases.append(("1000 templates (jinja)", ["template", many_jinja],
                          ["template", many_go]))
        if not args.only or "values" in args.only or "include" in args.only:
            big = make_big_values(work, 10)
            cases.append(("helm-create + 10 MB values", ["template", "mychart", "-f", big], None))
            cases.append(("helm-create + 10 MB values (jinja)",
                          ["template", jinja_create, "-f", big],
                          ["template", "mychart", "-f", big]))
            chain = make_include_chain(work, 100, 50, "chain")
            cases.append(("include chain 100 deep x 50", ["template", chain], None))
        if not args.only or "stack" in args.only:
            service = os.path.join(work, "mychart", "templates", "service.yaml")
            base = output_size([helm4, "template", "mychart"], work)
            one = len(subprocess.run([helm4, "template", "mychart", "--show-only",
                                      "templates/service.yaml"], cwd=work, check=True,
                                     capture_output=True).stdout)
            for env in ("dev", "staging", "prod"):
                argv = ["template", "nocobase", os.path.join(ROOT, "charts/nocobase-stack"),
                        "-n", "nocobase", "-f", os.path.join(ROOT, f"environments/{env}.yaml"),
                        "--kube-version", "1.35.0"]
                size = output_size([rudder] + argv, work)
                copies = max(0, round((size - base) / one))
                same = make_many_templates(work, os.path.join(work, "mychart"), copies,
                                           f"helm-create-{env}")
                cases.append((f"stack {env} (jinja) vs helm-create of its size"
                              f" ({size // 1024} KB)", argv, ["template", same]))
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
                cases.append((f"corpus {chart}/{case}", argv, None))
        cases = [c for c in cases if args.only in c[0]]

        rows = []
        for name, argv, helm_argv in cases:
            m = measure([rudder] + argv, [helm4] + (helm_argv or argv), work, args.runs)
            ratio = m["helm_cpu"] / m["rudder_cpu"] if m["rudder_cpu"] else float("inf")
            rows.append((name, m, ratio))
            print(f"{name:52} rudder {m['rudder_cpu']:7.1f} ms  helm4 {m['helm_cpu']:7.1f} ms"
                  f"  x{ratio:5.1f}  (wall {m['rudder_wall']:.1f} / {m['helm_wall']:.1f} ms,"
                  f" RSS {m['rudder_rss']:.0f} / {m['helm_rss']:.0f} MiB)"
                  + ("" if m["codes"][0] == m["codes"][1] else f"  exit codes differ {m['codes']}"),
                  flush=True)
        corpus_ratios = [r for n, _, r in rows if n.startswith("corpus ")]
        if corpus_ratios:
            worst = min((r, n) for n, _, r in rows if n.startswith("corpus "))
            print(f"\ncorpus: median CPU ratio x{statistics.median(corpus_ratios):.1f} over "
                  f"{len(corpus_ratios)} cases; lowest x{worst[0]:.1f} ({worst[1]})")
        # The I/O floor of the biggest umbrella: read its files, write its output size.
        floor = None
        big = os.path.join(work, "umbrella240")
        if os.path.isdir(big):
            size = len(subprocess.run([rudder, "template", big], cwd=work, check=True,
                                      capture_output=True).stdout)
            f = measure(io_floor(big, size, work), io_floor(big, size, work), work, args.runs)
            floor = f["rudder_cpu"]
            print(f"\nI/O floor of umbrella 240 (read its files, write {size} bytes): "
                  f"{floor:.1f} ms CPU")
        if args.markdown:
            print("\n| work | rudder CPU ms | helm4 CPU ms | helm4 / rudder | wall ms rudder / helm4"
                  " | RSS MiB rudder / helm4 |")
            print("|---|---|---|---|---|---|")
            for name, m, ratio in rows:
                print(f"| {name} | {m['rudder_cpu']:.1f} | {m['helm_cpu']:.1f} | {ratio:.1f}x"
                      f" | {m['rudder_wall']:.1f} / {m['helm_wall']:.1f}"
                      f" | {m['rudder_rss']:.0f} / {m['helm_rss']:.0f} |")
            if floor is not None:
                print(f"| I/O floor (umbrella 240: read files, write output) | {floor:.1f} | | | | |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
