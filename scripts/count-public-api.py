#!/usr/bin/env python3
"""Public declarations per module: lines declaring something `public` (enum cases of public enums are not counted)."""
# SPDX-License-Identifier: Apache-2.0
# Usage: scripts/count-public-api.py <package root>  (prints module, public declarations, lines, per 100 lines)
import os, re, sys, subprocess
root = sys.argv[1]
rows = []
decl = re.compile(r"^\s*(?:@[\w.()\"=, ]+\s+)*(?:public|open)\s+(?:(?:static|final|override|mutating|nonisolated|indirect|convenience|required|private\(set\)|internal\(set\)|package\(set\))\s+)*(func|var|let|init|struct|enum|class|protocol|typealias|subscript|actor|extension)\b")
for mod in sorted(os.listdir(os.path.join(root, "Sources"))):
    d = os.path.join(root, "Sources", mod)
    if not os.path.isdir(d): continue
    n = lines = 0
    for dp, dn, fn in os.walk(d):
        for f in fn:
            if f.endswith(".swift"):
                for line in open(os.path.join(dp, f), errors="replace"):
                    lines += 1
                    m = decl.match(line)
                    if m and m.group(1) != "extension": n += 1
    rows.append((mod, n, lines))
for mod, n, lines in rows:
    print(f"{mod}\t{n}\t{lines}\t{100.0*n/max(lines,1):.1f}")
