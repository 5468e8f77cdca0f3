#!/usr/bin/env python3
"""Runs one round of the office's workflow against a fresh portal and keeps what it writes:
the link handout, the 催报通知, the 操作记录 workbook, the archive's 清单 and a returned form
carrying the office's 退回意见 — for scripts/validate.sh to check with openxml-audit.

    portal-outputs.py BIN SAMPLES OUT
"""
import io, json, re, subprocess, sys, urllib.parse, urllib.request, zipfile, pathlib

binary, samples, out = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
data = out / "data"
links = json.loads(subprocess.run(
    [binary, "links", "--data", str(data), "--base", "http://x", "--format", "json",
     "--out", str(out / "handout")], check=True, capture_output=True).stdout)
path = {l["unit"] or "office": l["url"][len("http://x"):] for l in links}
server = subprocess.Popen([binary, "serve", "--data", str(data), "--period", "2026Q3",
                           "--listen", "127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
try:
    addr = re.search(r"http://([^/]+)/", server.stderr.readline()).group(1)

    def call(p, body=None, kind=None):
        req = urllib.request.Request(f"http://{addr}{p}", data=body,
                                     headers={"Content-Type": kind} if kind else {})
        try:
            with urllib.request.urlopen(req) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            return e.read()

    def form(p, **fields):
        return call(p, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def upload(unit):
        boundary = "----portal-outputs"
        data = (samples / f"2026Q3_{unit}_填报表.xlsx").read_bytes()
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{unit}.xlsx\"\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        call(path[unit], body, f"multipart/form-data; boundary={boundary}")

    office = path["office"]
    form(f"{office}/deadline", deadline="2026-10-15T17:00")
    for unit in ["水务局", "财政局"]:
        upload(unit)
    form(f"{office}/review", unit="水务局", action="退回", opinion="请核对第18项用水量的统计口径")
    page = call(path["水务局"]).decode()
    returned = re.search(r'href="([^"]*/returned/[^"]+)"', page).group(1).replace("&#x2f;", "/")
    (out / "退回修改（含分局意见）.xlsx").write_bytes(call(returned))
    (out / "催报通知.docx").write_bytes(call(f"{office}/urge"))
    (out / "操作记录.xlsx").write_bytes(call(f"{office}/log.xlsx"))
    with zipfile.ZipFile(io.BytesIO(call(f"{office}/archive"))) as z:
        (out / "清单.xlsx").write_bytes(z.read("清单.xlsx"))
finally:
    server.kill()
