"""Hostile-input benchmark: what a spreadsheet bomb and a catastrophic form regex cost the server,
guarded (today's code) against the unguarded way of reading them (the baseline, measured in the
same run on the same files).

    DEBUG=1 .venv/bin/python bench/hostile_input.py

Each reading runs in a child process, so its wall time and peak memory (VmHWM) are its own:
- `cell_200mb`: an .xlsx of ~0.2 MB whose one cell unpacks to 200 MB; baseline = openpyxl
  read-only reading every row (what the people import did before issue 12), guarded = the
  directory's `read_table` (core.spreadsheets), which refuses it;
- `wide_16384`: 16,384 columns × 10 rows; same two readers;
- `regex`: `regex(., '^(a+)+$')` on "a"×N + "b", Python's backtracking `re` (baseline, N=22)
  against the form engine's RE2 (N=22 and N=100,000).
Prints JSON; asserts nothing.
"""

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
os.environ.setdefault("DEBUG", "1")
import django
django.setup()
kind, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
outcome = "read"
if kind == "unguarded":
    from openpyxl import load_workbook
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    outcome = f"accepted {{rows}} rows"
else:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from ketnoi.directory.importing import read_table
    data = open(path, "rb").read()
    try:
        read_table(SimpleUploadedFile("danh-sach.xlsx", data))
    except ValidationError as refusal:
        outcome = "refused: " + " ".join(refusal.messages)[:120]
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would report the parent's peak.
peak_kib = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": round(seconds, 3), "outcome": outcome, "max_rss_mib": round(peak_kib / 1024, 1)}}))
"""


def run_child(kind: str, path: Path) -> dict:
    script = CHILD.format(root=str(ROOT))
    done = subprocess.run(  # noqa: S603 — our own interpreter and script
        [sys.executable, "-c", script, kind, str(path)], capture_output=True, text=True, timeout=900, check=False
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def regex_figures() -> dict:
    import re

    import re2

    pattern = "^(a+)+$"
    figures = {}
    start = time.perf_counter()
    re.fullmatch(pattern, "a" * 22 + "b")
    figures["python_re_22_chars_s"] = round(time.perf_counter() - start, 4)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from ketnoi.surveys.patterns import full_match

    for chars in (22, 100_000):
        start = time.perf_counter()
        full_match(pattern, "a" * chars + "b")
        figures[f"form_engine_{chars}_chars_s"] = round(time.perf_counter() - start, 6)
    figures["engine"] = re2.__name__
    figures["ratio_python_over_form_engine_22"] = round(
        figures["python_re_22_chars_s"] / max(figures["form_engine_22_chars_s"], 1e-6), 1
    )
    return figures


def main() -> None:
    from ketnoi.core.tests import bombs

    header = ["Họ và tên", "Giới tính", "Năm sinh"]
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        }
    }
    with tempfile.TemporaryDirectory() as work:
        files = {
            "cell_200mb": bombs.one_cell_inflating(header, 200),
            "wide_16384": bombs.wide(header, columns=16_384, rows=10),
        }
        for name, data in files.items():
            path = Path(work, f"{name}.xlsx")
            path.write_bytes(data)
            unguarded, guarded = run_child("unguarded", path), run_child("guarded", path)
            entry = {"file_mb": round(len(data) / 1024 / 1024, 2), "baseline": unguarded, "guarded": guarded}
            if "seconds" in unguarded and "seconds" in guarded:
                entry["time_ratio_baseline_over_guarded"] = round(unguarded["seconds"] / guarded["seconds"], 1)
                memory_ratio = unguarded["max_rss_mib"] / guarded["max_rss_mib"]
                entry["memory_ratio_baseline_over_guarded"] = round(memory_ratio, 1)
            results[name] = entry
    results["regex"] = regex_figures()
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
