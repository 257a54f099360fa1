#!/usr/bin/env python3
"""Rebuild crates/core/data/regions.txt from the npm package idn-area-data.

Usage:  tools/regions/build.py [VERSION]      (default 4.0.1)

Fetches the package with `npm pack`, reads its four CSV files and writes the
compact hierarchical file that gerbang-core embeds. Format, one region a line:

    P<2-digit province code>\t<NAME>
    R<2-digit regency code within the province>\t<NAME>
    D<2-digit district code within the regency>\t<NAME>
    V<4-digit village code within the district>\t<NAME>

Each line's full code is its parent's code followed by its own digits, so
`V2001` under `D01` under `R01` under `P11` is village 11.01.01.2001. Names are
upper case, as Dukcapil prints them.
"""
import csv, io, os, subprocess, sys, tarfile, tempfile

VERSION = sys.argv[1] if len(sys.argv) > 1 else "4.0.1"
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "core", "data", "regions.txt")

def rows(tar, name):
    data = tar.extractfile(f"package/data/{name}").read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(data)))

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["npm", "pack", f"idn-area-data@{VERSION}", "--silent"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    (tgz,) = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
    with tarfile.open(os.path.join(tmp, tgz)) as tar:
        provinces = rows(tar, "provinces.csv")
        regencies = rows(tar, "regencies.csv")
        districts = rows(tar, "districts.csv")
        villages = rows(tar, "villages.csv")

def clean(name):
    return " ".join(name.upper().split())

children = {}
for table, parent_key in ((regencies, "province_code"), (districts, "regency_code"), (villages, "district_code")):
    for row in table:
        children.setdefault(row[parent_key], []).append(row)

lines = [
    f"# Kemendagri region codes: {len(provinces)} provinces, {len(regencies)} regencies,",
    f"# {len(districts)} districts, {len(villages)} villages.",
    f"# Source: npm package idn-area-data {VERSION} (code MIT; data ODbL 1.0, see README.md here).",
    "# Regenerate with tools/regions/build.py; format described there.",
]
for p in sorted(provinces, key=lambda r: r["code"]):
    lines.append(f"P{p['code']}\t{clean(p['name'])}")
    for r in sorted(children.get(p["code"], []), key=lambda r: r["code"]):
        lines.append(f"R{r['code'][-2:]}\t{clean(r['name'])}")
        for d in sorted(children.get(r["code"], []), key=lambda r: r["code"]):
            lines.append(f"D{d['code'][-2:]}\t{clean(d['name'])}")
            for v in sorted(children.get(d["code"], []), key=lambda r: r["code"]):
                lines.append(f"V{v['code'][-4:]}\t{clean(v['name'])}")

with open(OUT, "w", encoding="utf-8", newline="\n") as f:
    f.write("\n".join(lines) + "\n")
print(f"wrote {OUT}: {len(lines)} lines")
