# make_mac_1904_xlwt writes mac_1904_xlwt.xls: the cards of mac_1904.xlsx in a BIFF8 workbook
# in the 1904 date system, with its remarks as Boolean constants (BOOLERR records), as Excel
# writes them. Run it here with Debian's python3-xlwt: `python3 make_mac_1904_xlwt.py`.
import datetime

import xlwt

book = xlwt.Workbook(encoding="utf-8")
book.dates_1904 = True
sheet = book.add_sheet("资产清单")
day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
rows = [
    ["资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "备注"],
    ["MAC-001", "台式计算机", "A02010105", 1, 4999, datetime.date(2019, 5, 1), "在用", True],
    ["MAC-002", "笔记本电脑", "A02010108", 1, 6800, datetime.date(2020, 3, 15), "闲置", False],
    ["MAC-003", "办公椅", "A05010301", 20, 12800, datetime.date(2017, 12, 20), "在用", "单价640元"],
]
for r, row in enumerate(rows):
    for c, v in enumerate(row):
        if isinstance(v, datetime.date):
            sheet.write(r, c, v, day)  # xlwt counts the serial in the workbook's date system
        else:
            sheet.write(r, c, v)
book.save("mac_1904_xlwt.xls")
