#!/usr/bin/python3
"""pcapflower-compare.py - `flowprep pcap --features pcapflower` against the
real pcapflower 1.1.0 outputs kept in shared/reference/pcapflower/.

For every input the reference produced rows for (MANIFEST.tsv status ok),
runs flowprep on it and checks that every reference row has a row of ours
with the same 5-tuple and start time, equal in every column to 1e-6
relative. Our extra rows (IPv6, ICMP, link types pcapflower cannot read)
are allowed. Prints rows matched / total and columns agreeing; exits 1 on
any difference, 77 (skip) when the reference directory is absent.

Inputs left out, each for a pcapflower defect we do not copy (README.md of
the reference): pcapng files with several interfaces of different time
resolutions (its reader applies the first interface's resolution to all
packets, so its start times are not the packets' times).

usage: pcapflower-compare.py FLOWPREP REFERENCE_DIR [CORPUS_DIR] [-v]
"""
import csv
import math
import os
import subprocess
import sys
import tempfile

REL = 1e-6
NOT_COPIED = {
    "zeek__pcapng-multi-interface.pcapng": "first interface's if_tsresol applied to all interfaces (README 9)",
}


def key(row):
    return (row["src_ip"], row["dst_ip"], int(row["src_port"]), int(row["dst_port"]),
            int(row["protocol"]), round(float(row["timestamp"]), 6))


def close(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) and math.isnan(y):
        return True
    return abs(x - y) <= REL * max(abs(x), abs(y))


def read_rows(path):
    if os.path.getsize(path) == 0:
        return [], []
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        return r.fieldnames, list(r)


def run(flowprep, capture, out):
    p = subprocess.run([flowprep, "pcap", "-q", "--features", "pcapflower", capture, out],
                       capture_output=True, text=True)
    if p.returncode not in (0, 3):  # 3: some packets or inputs had errors, rows still written
        raise RuntimeError(f"{capture}: flowprep exited {p.returncode}: {p.stderr.strip()}")


def compare(flowprep, capture, ref_csv, tmp, verbose, totals):
    names, ref = read_rows(ref_csv)
    if not ref:
        return 0
    out = os.path.join(tmp, "out.csv")
    run(flowprep, capture, out)
    ours_names, ours = read_rows(out)
    if ours_names != names:
        print(f"FAIL {capture}: columns differ from pcapflower's")
        return 1
    by_key = {}
    for row in ours:
        by_key.setdefault(key(row), []).append(row)
    bad = 0
    for r in ref:
        totals["rows"] += 1
        cands = by_key.get(key(r), [])
        if not cands:
            bad += 1
            if verbose or bad <= 3:
                print(f"  {os.path.basename(capture)}: no row for {key(r)}")
            continue
        best = min(cands, key=lambda c: sum(not close(r[n], c[n]) for n in names))
        diffs = [n for n in names if not close(r[n], best[n])]
        totals["cells"] += len(names)
        totals["cells_ok"] += len(names) - len(diffs)
        if diffs:
            bad += 1
            if verbose or bad <= 3:
                print(f"  {os.path.basename(capture)} {key(r)}: " +
                      ", ".join(f"{n} ref {r[n]} ours {best[n]}" for n in diffs[:6]))
        else:
            totals["matched"] += 1
    status = "ok" if bad == 0 else f"FAIL ({bad} rows differ)"
    print(f"{status:8} {os.path.basename(capture)}: {len(ref) - bad}/{len(ref)} rows")
    return 1 if bad else 0


def inputs(refdir, corpus):
    with open(os.path.join(refdir, "MANIFEST.tsv")) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["status"] != "ok":
                continue
            name = row["file"]
            if name.startswith("inputs/"):
                yield os.path.join(refdir, name), os.path.join(refdir, os.path.basename(name).rsplit(".", 1)[0] + ".csv")
            elif corpus:
                yield os.path.join(corpus, name), os.path.join(refdir, "corpus", os.path.basename(name) + ".csv")


def main(argv):
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    if len(argv) < 3:
        print(__doc__)
        return 2
    flowprep, refdir = argv[1], argv[2]
    corpus = argv[3] if len(argv) > 3 and os.path.isdir(argv[3]) else None
    if not os.path.isfile(os.path.join(refdir, "MANIFEST.tsv")):
        print(f"SKIP: no pcapflower reference at {refdir}")
        return 77
    totals = {"rows": 0, "matched": 0, "cells": 0, "cells_ok": 0}
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for capture, ref_csv in inputs(refdir, corpus):
            if os.path.basename(capture) in NOT_COPIED:
                print(f"left out {os.path.basename(capture)}: {NOT_COPIED[os.path.basename(capture)]}")
                continue
            if not os.path.exists(capture) or not os.path.exists(ref_csv):
                continue
            failed += compare(flowprep, capture, ref_csv, tmp, verbose, totals)
    print(f"pcapflower rows matched: {totals['matched']}/{totals['rows']}; "
          f"cells agreeing: {totals['cells_ok']}/{totals['cells']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
