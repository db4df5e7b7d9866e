#!/usr/bin/env python3
"""Writes charts/<chart>/README.md: the chart's description, then a table of its values
built from values.yaml, where each key's `# -- ` comment is its description.

Usage: scripts/chart-readme.py charts/nocobase [charts/redis ...]
"""
import re
import sys
from pathlib import Path


def rows(values_text):
    out, stack, pending = [], [], []
    for line in values_text.splitlines():
        stripped = line.strip()
        if stripped.startswith("# --"):
            pending = [stripped[4:].strip()]
            continue
        if stripped.startswith("#") and pending:
            pending.append(stripped[1:].strip())
            continue
        m = re.match(r"^( *)([A-Za-z0-9_]+):(.*)$", line)
        if not m:
            if not stripped.startswith("#"):
                pending = []
            continue
        indent, key, rest = len(m.group(1)), m.group(2), m.group(3).strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([k for _, k in stack] + [key])
        if pending:
            default = rest if rest else "(see values.yaml)"
            out.append((path, default, " ".join(pending)))
        pending = []
        if not rest:
            stack.append((indent, key))
    return out


def main():
    for chart in map(Path, sys.argv[1:]):
        meta = (chart / "Chart.yaml").read_text()
        name = re.search(r"^name: (.+)$", meta, re.M).group(1)
        desc = re.search(r"^description: (.+)$", meta, re.M).group(1)
        lines = [
            f"# {name}",
            "",
            f"{desc}.",
            "",
            "Written in rudder's Jinja dialect. Render it with:",
            "",
            "```sh",
            f"rudder template {name} charts/{chart.name}",
            "```",
            "",
            "## Values",
            "",
            "| key | default | description |",
            "|---|---|---|",
        ]
        for path, default, text in rows((chart / "values.yaml").read_text()):
            default = default.replace("|", "\\|")
            lines.append(f"| `{path}` | `{default}` | {text} |")
        extra = chart / "README.extra.md"
        if extra.exists():
            lines += ["", extra.read_text().rstrip()]
        (chart / "README.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
