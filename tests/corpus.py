#!/usr/bin/env python3
"""Corpus test: lint the whole standard library of the machine's python3.

Requires: no crash (no signal, no sanitizer report), output that parses as JSON, every
finding well formed, and exit status 1 (the standard library has findings). Prints the
number of files and findings per code, so a run shows what it covered.

Usage: corpus.py PITFALL_BINARY [DIRECTORY]
"""
import collections
import json
import subprocess
import sys
import sysconfig


def main():
    binary = sys.argv[1]
    corpus = sys.argv[2] if len(sys.argv) > 2 else sysconfig.get_paths()["stdlib"]
    # --no-cache: the point is to lint every file, not to read last run's results.
    process = subprocess.run([binary, "check", "--no-cache", "--output-format", "json", corpus],
                             capture_output=True, text=True, timeout=1100)
    if process.returncode < 0:
        print(f"corpus: pitfall died with signal {-process.returncode}")
        return 1
    for marker in ("AddressSanitizer", "runtime error:", "LeakSanitizer"):
        if marker in process.stderr:
            print(f"corpus: sanitizer report:\n{process.stderr[-4000:]}")
            return 1
    findings = json.loads(process.stdout)
    counts = collections.Counter()
    for finding in findings:
        for field in ("code", "message", "filename", "location", "end_location", "url", "severity"):
            if finding.get(field) in (None, ""):
                print(f"corpus: finding without {field}: {finding}")
                return 1
        counts[finding["code"]] += 1
    print(f"corpus: {corpus}: {len(findings)} findings; " +
          ", ".join(f"{code} {count}" for code, count in sorted(counts.items())))
    print(process.stderr.strip().splitlines()[-1] if process.stderr.strip() else "(no summary)")
    if process.returncode != 1:
        print(f"corpus: exit status {process.returncode}, expected 1; stderr tail:\n{process.stderr[-2000:]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
