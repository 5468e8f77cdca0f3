#!/usr/bin/env python3
"""Generates the shipped sample returns: samples/<period>/ and samples/malformed/.

The returns are written by programs other than our own writer, as departments' files are:
openpyxl for .xlsx, xlwt for real BIFF8 .xls, odfpy for .ods, msoffcrypto-tool for a
password-protected .xlsx. Everything is deterministic (fixed dates, no randomness), so a
re-run gives the same values; the files are committed, and tests never run this script.

    pip install openpyxl xlwt odfpy msoffcrypto-tool
    python3 samples/generate.py               # every set
    python3 samples/generate.py 2026Q4 2026   # only these periods (the others stay as committed)
"""

import datetime
import io
import os
import re
import shutil
import sys
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
TITLE = "土默特左旗国家生态文明建设示范旗指标季度填报表"
PROJECT_TITLE = "土默特左旗国家生态文明建设示范旗重点工程进度季度填报表"
ANNUAL_TITLE = "土默特左旗国家生态文明建设示范旗指标年度填报表"
ANNUAL_PROJECT_TITLE = "土默特左旗国家生态文明建设示范旗重点工程进度年度填报表"
HEADER = ["序号", "指标名称", "单位", "指标属性", "目标值", "本期值", "数据来源", "备注", "数据年份"]
# Units still on last year's form, without 数据年份: their annual values are read as the
# year before the period, with one notice (住建局's drifting file has its own header).
OLD_FORM = {"林草局"}
PROJECT_HEADER = ["序号", "工程名称", "总投资（万元）", "累计完成投资（万元）", "形象进度（%）", "状态", "存在问题"]
# A year's form asks the year's own investment beside the running total.
ANNUAL_PROJECT_HEADER = PROJECT_HEADER[:4] + ["本年完成投资（万元）"] + PROJECT_HEADER[4:]

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib


def load_schema():
    root = os.path.join(HERE, "..", "templates")
    with open(os.path.join(root, "indicators.toml"), "rb") as f:
        indicators = tomllib.load(f)["indicator"]
    with open(os.path.join(root, "projects.toml"), "rb") as f:
        projects = tomllib.load(f)["project"]
    return indicators, projects


INDICATORS, PROJECTS = load_schema()
BY_ID = {i["id"]: i for i in INDICATORS}

# Values per period. Plausible against the plan's baselines; a few miss their standard so
# that the report has something to say (1, 3, 8.2, 17, 24, 28).
VALUES = {
    "2026Q2": {
        "1": "正在编制", "2": "有效开展", "3": 16, "4": "全面实施", "5": 100, "6": "有效开展",
        "7.1": 85.2, "7.2": 27, "8.1": "/", "8.2": 0, "8.3": "无黑臭水体", "9": 53.1, "10": 41.9,
        "11.1": 95.5, "11.2": "不明显", "11.3": "/", "12": 100, "13": "已建立", "14": "已建立",
        "15.1": "面积不减少，性质不改变，功能不降低", "15.2": "面积不减少，性质不改变，功能不降低",
        "16": 96, "17": 9.8, "18": 153.2, "19": 5.1, "20.1": 43.3, "20.2": 47.2, "21.1": 91.0,
        "21.2": 93.5, "21.3": 81.2, "22": 67.5, "23": 100, "24": 91.0, "25": 92.6, "26": 55.3,
        "27": 100, "28": 31.5, "29": 63.0, "30": 52.4, "31": "实施", "32": 99.6, "33": 100,
        "34": 95.1, "35": 85.3,
    },
    "2026Q3": {
        "1": "正在编制", "2": "有效开展", "3": 18, "4": "全面实施", "5": 100, "6": "有效开展",
        "7.1": 87.1, "7.2": 26, "8.1": "/", "8.2": 0, "8.3": "无黑臭水体", "9": 53.4, "10": 42.1,
        "11.1": 96, "11.2": "不明显", "11.3": "/", "12": 100, "13": "已建立", "14": "已建立",
        "15.1": "面积不减少，性质不改变，功能不降低", "15.2": "面积不减少、性质不改变、功能不降低",
        "16": 98, "17": 11.2, "18": 152.3, "19": 5.3, "20.1": 43.6, "20.2": 47.5, "21.1": 91.6,
        "21.2": 94.0, "21.3": 82.0, "22": 68.2, "23": 100, "24": 93.5, "25": 93.1, "26": 56.0,
        "27": 100, "28": 46.2, "29": 66.5, "30": 55.8, "31": "实施", "32": 99.55, "33": 100,
        "34": 96.2, "35": 86.1,
    },
}
# Annual statistics are the same 2025 figure in both quarters, but for a restatement the
# report must catch: 28 (乡村振兴局 revised its 2025 figure) and 10 (林草局, on the old form).
RESTATED = {"28", "10"}
for _i in INDICATORS:
    if _i["frequency"] == "年度" and _i["id"] not in RESTATED:
        VALUES["2026Q2"][_i["id"]] = VALUES["2026Q3"][_i["id"]]

# 2026Q1: 2025's annual statistics are not out yet, so units report 2024's (a little lower);
# 林草局, on the old form, reports what it will report in Q2. Air quality in winter is worse:
# 7.1 and 7.2 miss their standard in the first quarter.
VALUES["2026Q1"] = dict(VALUES["2026Q2"])
for _i in INDICATORS:
    _v = VALUES["2026Q2"][_i["id"]]
    if _i["frequency"] == "年度" and _i["department"] not in OLD_FORM and isinstance(_v, (int, float)) and _v < 100:
        VALUES["2026Q1"][_i["id"]] = round(_v - 0.8, 2)
VALUES["2026Q1"].update({"7.1": 79.5, "7.2": 38})

# 2026Q4: the year's air and water so far (累计), a few states moved on; annual statistics are
# still 2025's.
VALUES["2026Q4"] = dict(VALUES["2026Q3"])
VALUES["2026Q4"].update({"1": "制定实施", "7.1": 86.4, "7.2": 27})

# The year 2026: its own annual statistics (数据年份 2026, a little better than 2025's), the
# quarterly rows as at the year's end. 24 and 28 still miss their standard.
VALUES["2026"] = dict(VALUES["2026Q4"])
for _i in INDICATORS:
    _v = VALUES["2026Q3"][_i["id"]]
    if _i["frequency"] == "年度" and isinstance(_v, (int, float)) and _v < 99:
        VALUES["2026"][_i["id"]] = round(_v + 0.6, 2)
VALUES["2026"].update({"3": 20, "17": 12.1, "18": 151.8, "24": 95.0, "28": 61.0, "29": 68.0})


def is_annual(period):
    return len(period) == 4


def data_year(period):
    """The year of the latest annual statistics a unit has in `period`: a year's return
    carries the year's own."""
    if is_annual(period):
        return int(period)
    return int(period[:4]) - (2 if period.endswith("Q1") else 1)

REMARKS = {
    "8.1": "全旗暂不涉及水质达到或优于Ⅲ类比例提高幅度次级指标",
    "11.3": "全旗无特有性或指示性水生物种",
}
SOURCES = {
    "生态环境分局": "生态环境监测站", "组织部": "旗委组织部考核办", "宣传部": "第三方问卷调查",
    "水务局": "水务统计年报", "林草局": "林草资源监测", "自然资源局": "国土变更调查",
    "发改委": "能源统计快报", "农牧局": "农牧业统计", "工信局": "工业固废台账",
    "住建局": "城建统计", "乡村振兴局": "农村人居环境台账", "财政局": "政府采购系统",
}
PEOPLE = {
    "生态环境分局": ("王海军", "0471-8512301"), "组织部": ("李敏", "0471-8512302"),
    "宣传部": ("赵雪", "0471-8512303"), "水务局": ("刘强", "0471-8512304"),
    "林草局": ("陈晓东", "0471-8512305"), "自然资源局": ("孙丽", "0471-8512306"),
    "发改委": ("周涛", "0471-8512307"), "农牧局": ("吴建国", "0471-8512308"),
    "工信局": ("郑伟", "0471-8512309"), "住建局": ("冯娟", "0471-8512310"),
    "乡村振兴局": ("褚凯", "0471-8512311"), "财政局": ("卫红", "0471-8512312"),
}
# Project progress per period: (累计完成投资 as a share of 总投资, 形象进度, 状态, 存在问题).
def project_progress(p, period):
    q = {"2025Q4": -2, "2026Q1": -1, "2026Q2": 0, "2026Q3": 1, "2026Q4": 2, "2026": 2}[period]
    inv = p.get("investment")
    end = int(p["years"].split("-")[-1]) if "-" in p["years"] else int(p["years"])
    if p["no"] in (8, 10):
        share, status, problem = 0.62 + 0.05 * q, "在建", "设备到货延迟"
    elif p["no"] == 17:
        share, status, problem = 0.41, "已暂停", "清淤弃土场选址未落实"
    elif p["no"] == 26:
        share, status, problem = 0.0, "未开工", "资金未到位"
    elif end <= 2025:
        share, status, problem = 1.0, "已完工", ""
    else:
        share, status, problem = 0.55 + 0.1 * q, "在建", ""
    progress = round(share * 100, 1)
    completed = round(inv * share, 2) if inv is not None else round(120.0 + 30 * q, 2)
    return completed, progress, status, problem


def units():
    depts = []
    for i in INDICATORS:
        if i["department"] not in depts:
            depts.append(i["department"])
    project_units = []
    for p in PROJECTS:
        if p["unit"] not in depts and p["unit"] not in project_units:
            project_units.append(p["unit"])
    return depts, project_units


def standard_label(i):
    s = i["standard"]
    if s == "定性":
        return "/".join(i["met"])
    if s == "无上级目标":
        return i["standard_text"]
    return s.replace(" ", "")


def unit_label(i):
    if "value_unit" in i:
        return i["value_unit"] or "—"
    return i["unit"] if i["unit"] != "-" else "—"


# ─── writers ─────────────────────────────────────────────────────────────────────────────

def indicator_rows(unit, period, overrides=None):
    overrides = overrides or {}
    rows = []
    for i in INDICATORS:
        if i["department"] != unit:
            continue
        v = overrides.get(i["id"], VALUES[period][i["id"]])
        name = i["name"] if "parent_name" not in i or i["parent_name"] == i["name"] else f'{i["parent_name"]}—{i["name"]}'
        year = data_year(period) if i["frequency"] == "年度" and unit not in OLD_FORM else ""
        rows.append([i["id"], name, unit_label(i), i["attribute"], standard_label(i), v, SOURCES.get(unit, ""), REMARKS.get(i["id"], ""), year])
    return rows


def project_rows(unit, period):
    rows = []
    for p in PROJECTS:
        if p["unit"] != unit:
            continue
        completed, progress, status, problem = project_progress(p, period)
        row = [p["no"], p["name"], p.get("investment", "/"), completed, progress, status, problem]
        if is_annual(period):
            # The year's share: what was added since the end of 2025 (none for a finished one).
            before = 0.0 if status == "未开工" else project_progress(p, "2025Q4")[0]
            row.insert(4, round(completed - before, 2) if status != "已完工" else 0)
        rows.append(row)
    return rows


def write_xlsx_sheet(ws, title, unit, period, header, rows, label_block=True, header_row=5):
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    if label_block:
        person, phone = PEOPLE.get(unit, ("张明", "0471-8512399"))
        ws.cell(2, 1, "填报单位："); ws.cell(2, 2, unit)
        ws.cell(2, 4, "报告期："); ws.cell(2, 5, period)
        ws.cell(3, 1, "填报人："); ws.cell(3, 2, person)
        ws.cell(3, 4, "联系电话："); ws.cell(3, 5, phone)
        ws.cell(3, 7, "填报日期："); ws.cell(3, 8, "2026-10-12")
    for c, h in enumerate(header, 1):
        ws.cell(header_row, c, h).font = Font(bold=True)
    for r, row in enumerate(rows, header_row + 1):
        for c, v in enumerate(row, 1):
            if v is not None and v != "":
                ws.cell(r, c, v)


def new_book():
    wb = openpyxl.Workbook()
    wb.properties.created = datetime.datetime(2026, 10, 12, 9, 0, 0)
    wb.properties.modified = datetime.datetime(2026, 10, 12, 9, 0, 0)
    return wb


def save(wb, path):
    wb.save(path)
    normalise_zip(path)


def normalise_zip(path, patch=None):
    """Rewrites the zip with fixed timestamps (openpyxl stamps the current time), so the
    generator is reproducible; `patch(name, data)` may change an entry on the way."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b'<dcterms:modified xsi:type="dcterms:W3CDTF">2026-10-12T09:00:00Z</dcterms:modified>', data)
            if patch:
                data = patch(name, data)
            info = zipfile.ZipInfo(name, date_time=(2026, 10, 12, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# 基本条件自查 (templates/conditions.toml): 生态环境分局 answers each in its year's return.
CONDITIONS_UNIT = "生态环境分局"


def load_conditions():
    with open(os.path.join(HERE, "..", "templates", "conditions.toml"), "rb") as f:
        return tomllib.load(f)["condition"]


def condition_sheet(wb, unit, period):
    ws = wb.create_sheet("基本条件")
    ws.cell(1, 1, f"土默特左旗{period}年度基本条件自查").font = Font(bold=True, size=14)
    for c, h in enumerate(["序号", "基本条件", "自查结论（是/否）", "说明"], 1):
        ws.cell(3, c, h).font = Font(bold=True)
    for r, cond in enumerate([c for c in load_conditions() if c["unit"] == unit], 4):
        ws.cell(r, 1, cond["id"])
        ws.cell(r, 2, cond["text"])
        ws.cell(r, 3, cond["meets"])


def clean_return(path, unit, period, overrides=None, with_projects=None):
    wb = new_book()
    ws = wb.active
    rows = indicator_rows(unit, period, overrides)
    annual = is_annual(period)
    if rows:
        ws.title = "指标填报"
        header = HEADER[:-1] if unit in OLD_FORM else HEADER
        write_xlsx_sheet(ws, ANNUAL_TITLE if annual else TITLE, unit, period, header, rows)
        widths = [6, 40, 12, 9, 12, 14, 18, 30, 10]
        for c, w in enumerate(widths):
            ws.column_dimensions[chr(65 + c)].width = w
    prows = project_rows(unit, period) if with_projects is None else with_projects
    if prows:
        ps = wb.create_sheet("重点工程进度") if rows else ws
        ps.title = "重点工程进度"
        title = ANNUAL_PROJECT_TITLE if annual else PROJECT_TITLE
        header = ANNUAL_PROJECT_HEADER if annual else PROJECT_HEADER
        write_xlsx_sheet(ps, title, unit, period, header, prows)
    if annual and unit == CONDITIONS_UNIT:
        condition_sheet(wb, unit, period)
    save(wb, path)


# ─── drifting returns ────────────────────────────────────────────────────────────────────

def zhujian_drifting(path, period):
    """住建局: header moved down, columns reordered, an extra column, labels with their value
    in one cell, a renamed sheet, percentages typed as text, a note below the table."""
    wb = new_book()
    ws = wb.active
    ws.title = "Sheet1"
    ws.merge_cells("A1:I2")
    ws["A1"] = TITLE + "（住建局）"
    ws["A4"] = "填报单位：住建局"
    ws["D4"] = f"报告期：{period}"
    ws["A5"] = "填报人：冯娟"
    ws["D5"] = "联系电话：0471-8512310"
    header = ["指标名称", "序号", "本期值", "单位", "目标值", "核对人", "数据来源", "备注", "指标属性"]
    for c, h in enumerate(header, 2):
        ws.cell(8, c, h)
    values = {"25": "93.1%", "27": "100%", "30": "55.8 %", "31": "已实施"}
    for r, i in enumerate([i for i in INDICATORS if i["department"] == "住建局"], 9):
        ws.cell(r, 2, i["name"])
        ws.cell(r, 3, i["id"])
        ws.cell(r, 4, values[i["id"]])
        ws.cell(r, 5, unit_label(i))
        ws.cell(r, 6, standard_label(i))
        ws.cell(r, 7, "冯娟")
        ws.cell(r, 8, "城建统计")
        ws.cell(r, 10, i["attribute"])
    ws.cell(15, 2, "注：城镇污水处理率按住建部口径统计。")
    ws.cell(16, 2, "单位负责人：（签字）")
    ps = wb.create_sheet("工程")
    write_xlsx_sheet(ps, PROJECT_TITLE, "住建局", period, PROJECT_HEADER, project_rows("住建局", period), header_row=6)
    wb.create_sheet("附件说明")["A1"] = "本表数据已经分管领导审核。"
    save(wb, path)


def nongmu_xls(path, period):
    """农牧局 in real BIFF8 .xls (xlwt): ids as 20-1 / 21（1）, the period in Chinese,
    one row identified by name only, a number with a thousands separator in the projects."""
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("指标填报")
    ws.write_merge(0, 0, 0, 7, TITLE)
    ws.write(1, 0, "填报单位"); ws.write(1, 1, "土左旗农牧局")
    ws.write(1, 3, "报告期"); ws.write(1, 4, "2026年第三季度" if period == "2026Q3" else "2026年第二季度")
    ws.write(2, 0, "填报人"); ws.write(2, 1, "吴建国")
    for c, h in enumerate(HEADER):
        ws.write(4, c, h)
    ids = {"20.1": "20-1", "20.2": "20-2", "21.1": "21（1）", "21.2": "", "21.3": "21（3）"}
    for r, i in enumerate([i for i in INDICATORS if i["department"] == "农牧局"], 5):
        ws.write(r, 0, ids[i["id"]])
        ws.write(r, 1, i["name"])
        ws.write(r, 2, "%")
        ws.write(r, 3, i["attribute"])
        ws.write(r, 4, standard_label(i))
        ws.write(r, 5, VALUES[period][i["id"]])
        ws.write(r, 6, "农牧业统计")
        ws.write(r, 8, "2025年")
    ps = wb.add_sheet("重点工程进度")
    ps.write_merge(0, 0, 0, 6, PROJECT_TITLE)
    ps.write(1, 0, "填报单位："); ps.write(1, 1, "农牧局")
    ps.write(1, 3, "报告期："); ps.write(1, 4, period)
    for c, h in enumerate(PROJECT_HEADER):
        ps.write(3, c, h)
    for r, row in enumerate(project_rows("农牧局", period), 4):
        for c, v in enumerate(row):
            if c == 3 and isinstance(v, float) and v >= 1000:
                v = f"{v:,.2f}"
            ps.write(r, c, v)
    wb.save(path)


def xiangcun_ods(path, period):
    """乡村振兴局 in .ods (odfpy): the sheet renamed, full-width digits typed as text, a
    percentage typed with a full-width percent sign."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P

    doc = OpenDocumentSpreadsheet()

    def add_table(name, rows):
        t = Table(name=name)
        for row in rows:
            tr = TableRow()
            for v in row:
                if v is None or v == "":
                    tc = TableCell()
                elif isinstance(v, (int, float)):
                    tc = TableCell(valuetype="float", value=v)
                    tc.addElement(P(text=str(v)))
                else:
                    tc = TableCell(valuetype="string")
                    tc.addElement(P(text=str(v)))
                tr.addElement(tc)
            t.addElement(tr)
        doc.spreadsheet.addElement(t)

    fw = str.maketrans("0123456789.", "０１２３４５６７８９．")
    v = VALUES[period]
    rows = [[TITLE], ["填报单位：乡村振兴局", None, None, "报告期：" + period], [], HEADER]
    for i in [i for i in INDICATORS if i["department"] == "乡村振兴局"]:
        value = {"26": str(v["26"]).translate(fw), "28": f'{v["28"]}％', "29": v["29"]}[i["id"]]
        rows.append([i["id"], i["name"], "%", i["attribute"], standard_label(i), value, "农村人居环境台账", "", "２０２５"])
    add_table("乡村振兴局填报", rows)
    prow = [[PROJECT_TITLE], ["填报单位", "乡村振兴局", None, "报告期", period], [], PROJECT_HEADER]
    prow += project_rows("乡村振兴局", period)
    add_table("重点工程进度", prow)
    doc.save(path)


def shengtai_formulas(path, period):
    """生态环境分局: a percent-formatted cell (0.871 shown as 87.1%), a formula with its cached
    value, a value followed by its unit."""
    clean_return(path, "生态环境分局", period, overrides={"7.2": f'{VALUES[period]["7.2"]}微克/立方米'})
    wb = openpyxl.load_workbook(path)
    ws = wb["指标填报"]
    for row in ws.iter_rows(min_row=6):
        if row[0].value == "7.1":
            row[5].value = VALUES[period]["7.1"] / 100
            row[5].number_format = "0.0%"
        if row[0].value == "12":
            row[5].value = "=G99/G99*100"
    wb.save(path)

    def patch(name, data):
        # openpyxl writes no cached value; Excel would have stored 100.
        if name.startswith("xl/worksheets/sheet1"):
            data = re.sub(rb"<f>G99/G99\*100</f><v\s*/>|<f>G99/G99\*100</f><v></v>|<f>G99/G99\*100</f>", b"<f>G99/G99*100</f><v>100</v>", data)
        return data
    normalise_zip(path, patch)


# ─── periods ─────────────────────────────────────────────────────────────────────────────

def write_period(period, with_mess):
    out = os.path.join(HERE, period)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    depts, project_units = units()
    for unit in depts:
        path = os.path.join(out, f"{period}_{unit}_填报表.xlsx")
        if with_mess and unit == "住建局":
            zhujian_drifting(path, period)
        elif with_mess and unit == "农牧局":
            nongmu_xls(path[:-5] + ".xls", period)
        elif with_mess and unit == "乡村振兴局":
            xiangcun_ods(path[:-5] + ".ods", period)
        elif with_mess and unit == "生态环境分局":
            shengtai_formulas(path, period)
        elif with_mess and unit == "财政局":
            # A slip a clerk makes: a comma for the decimal point. Rejected, annotated.
            clean_return(path, unit, period, overrides={"32": "99,55"})
        else:
            clean_return(path, unit, period)
    for unit in project_units:
        if with_mess and unit == "万家沟水库灌区管理处":
            continue  # 未报送
        clean_return(os.path.join(out, f"{period}_{unit}_填报表.xlsx"), unit, period)
    with open(os.path.join(out, "说明.txt"), "w", encoding="utf-8") as f:
        f.write(f"{period} 各单位报送的填报表（示例数据，由 samples/generate.py 生成）。\n")


# ─── malformed ───────────────────────────────────────────────────────────────────────────

def write_malformed():
    out = os.path.join(HERE, "malformed")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    p = lambda name: os.path.join(out, name)
    period = "2026Q3"

    open(p("空文件.xlsx"), "wb").close()
    with open(p("不是表格.xlsx"), "w", encoding="utf-8") as f:
        f.write("序号,指标名称,本期值\n25,城镇污水处理率,93.1\n")
    clean_return(p("截断文件.xlsx"), "水务局", period)
    data = open(p("截断文件.xlsx"), "rb").read()
    open(p("截断文件.xlsx"), "wb").write(data[: len(data) // 2])

    clean_return(p("加密文件.xlsx"), "宣传部", period)
    import msoffcrypto.format.ooxml
    with open(p("加密文件.xlsx"), "rb") as f:
        plain = io.BytesIO(f.read())
    enc = io.BytesIO()
    office = msoffcrypto.format.ooxml.OOXMLFile(plain)
    office.encrypt("123456", enc)
    open(p("加密文件.xlsx"), "wb").write(enc.getvalue())

    # 报告期 missing; 填报单位 not in the list.
    wb = new_book(); ws = wb.active; ws.title = "指标填报"
    write_xlsx_sheet(ws, TITLE, "教育局", period, HEADER, indicator_rows("组织部", period))
    ws["D2"] = None; ws["E2"] = None
    save(wb, p("未知单位_缺报告期.xlsx"))

    # 报告期 typed as a date.
    wb = new_book(); ws = wb.active; ws.title = "指标填报"
    write_xlsx_sheet(ws, TITLE, "宣传部", period, HEADER, indicator_rows("宣传部", period))
    ws["E2"] = datetime.datetime(2026, 9, 30)
    ws["E2"].number_format = "yyyy-mm-dd"
    save(wb, p("报告期为日期.xlsx"))

    clean_return(p("单位不符_逗号歧义.xlsx"), "水务局", period, overrides={"18": "155.7吨", "16": "98,5"})
    clean_return(p("百分比超范围_小数.xlsx"), "住建局", period, overrides={"25": 120, "30": 0.558})

    # An unknown row, a duplicated row, a missing indicator and an empty value.
    wb = new_book(); ws = wb.active; ws.title = "指标填报"
    rows = indicator_rows("组织部", period) + indicator_rows("组织部", period)[:1]
    rows.insert(1, ["36", "生态文明宣传覆盖率", "%", "参考性", "≥80", 88, "", ""])
    rows = [r for r in rows if r[0] != "33"]
    rows.append(["33", "党政领导干部参加生态文明培训的人数比例", "%", "参考性", "100", None, "", ""])
    write_xlsx_sheet(ws, TITLE, "组织部", period, HEADER, rows)
    save(wb, p("未知指标_重复_空值.xlsx"))

    clean_return(p("缺少指标.xlsx"), "宣传部", period)
    wb = openpyxl.load_workbook(p("缺少指标.xlsx"))
    wb["指标填报"].delete_rows(7)
    save(wb, p("缺少指标.xlsx"))

    clean_return(p("文字与数值填反.xlsx"), "发改委", period, overrides={"17": "较上年有所下降"})
    clean_return(p("定性词不在范围_不适用无理由.xlsx"), "林草局", period, overrides={"11.2": "一般", "10": "不涉及"})
    wb = openpyxl.load_workbook(p("定性词不在范围_不适用无理由.xlsx"))
    for row in wb["指标填报"].iter_rows(min_row=6):
        if row[0].value == "11.3":
            row[7].value = None
    save(wb, p("定性词不在范围_不适用无理由.xlsx"))

    clean_return(p("工程进度矛盾.xlsx"), "城投公司", period, with_projects=[[14, "土默特左旗金山污水处理厂二期工程", 26000, 27500, 40, "已完工", ""]])
    clean_return(p("工程进度超范围_未知工程.xlsx"), "哈素海管护中心", period, with_projects=[
        [2, "黄河流域环哈素海湿地生态缓冲带修复及建设工程", 13583.13, 9000, 140, "在建", ""],
        [12, "哈素海流域水生态环境调查工程", 379.51, 379.51, 100, "已完工", ""],
        [27, "“绿水青山就是金山银山”实践创新基地创建机制探索工程", 120, 60, 50, "施工一半", ""],
        [31, "哈素海码头改造工程", 500, 100, 20, "在建", ""],
    ])
    # Two different returns from one unit for one period.
    clean_return(p("重复报送_工信局_第一份.xlsx"), "工信局", period)
    clean_return(p("重复报送_工信局_第二份.xlsx"), "工信局", period, overrides={"22": 66.0})
    # A unit reporting another unit's indicator (not consolidated, a warning).
    wb = new_book(); ws = wb.active; ws.title = "指标填报"
    rows = indicator_rows("财政局", period) + [["25", "城镇污水处理率", "%", "约束性", "≥85", 95, "", "供参考"]]
    write_xlsx_sheet(ws, TITLE, "财政局", period, HEADER, rows)
    save(wb, p("非负责指标.xlsx"))
    # Another period's return.
    clean_return(p("其他报告期.xlsx"), "自然资源局", "2026Q2")


# The shipped sets: each period and whether it carries the drifting returns.
PERIODS = {"2026Q1": False, "2026Q2": False, "2026Q3": True, "2026Q4": False, "2026": False}


def main():
    wanted = sys.argv[1:] or [*PERIODS, "malformed"]
    for name in wanted:
        if name == "malformed":
            write_malformed()
        elif name in PERIODS:
            write_period(name, with_mess=PERIODS[name])
        else:
            sys.exit(f"unknown set {name}: one of {', '.join(PERIODS)}, malformed")
    print("samples written under", HERE)


if __name__ == "__main__":
    sys.exit(main())
