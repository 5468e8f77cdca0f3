#!/usr/bin/env python3
"""The baseline a county clerk's IT helper would write instead: pandas + openpyxl (read-only
mode, one process) reads every return, finds the table by its header, and writes one
consolidated workbook. Fair, not feeble: read-only streaming, cached values, no per-cell I/O.

    python3 bench/baseline.py DIR OUT.xlsx
"""
import os
import sys

import openpyxl
import pandas as pd

HEADER = {"序号", "本期值"}


def read_return(path):
    rows = []
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    unit = None
    for ws in wb.worksheets:
        cols = None
        for row in ws.iter_rows(values_only=True):
            cells = ["" if v is None else str(v).strip() for v in row]
            for i, c in enumerate(cells):
                if c.startswith("填报单位"):
                    rest = c.split("：", 1)[1] if "：" in c else (cells[i + 1] if i + 1 < len(cells) else "")
                    unit = unit or rest
            if cols is None:
                if HEADER <= set(cells):
                    cols = {c: i for i, c in enumerate(cells) if c}
                continue
            if not any(cells):
                continue
            rid = cells[cols["序号"]] if cols["序号"] < len(cells) else ""
            value = cells[cols["本期值"]] if cols["本期值"] < len(cells) else ""
            if rid:
                rows.append({"file": os.path.basename(path), "unit": unit, "id": rid, "value": value})
    wb.close()
    return rows


def main():
    src, out = sys.argv[1], sys.argv[2]
    rows = []
    for name in sorted(os.listdir(src)):
        if name.endswith(".xlsx"):
            rows.extend(read_return(os.path.join(src, name)))
    df = pd.DataFrame(rows)
    df["number"] = pd.to_numeric(df["value"].str.rstrip("%"), errors="coerce")
    summary = df.groupby("id")["number"].agg(["count", "mean", "min", "max"]).reset_index()
    with pd.ExcelWriter(out, engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name="明细", index=False)
        summary.to_excel(xw, sheet_name="汇总", index=False)
    print(f"{len(rows)} rows from {df['file'].nunique()} files")


if __name__ == "__main__":
    main()
