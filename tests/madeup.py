"""Made-up documents for the fetch and reader tests and bench/readers.py: one made-up plan given as a
government web page, a news page, a PDF and a .docx, and pages full of furniture numbers (site codes,
ICP numbers, phones, visit counters). Every sentence and figure here is invented."""

from __future__ import annotations

import io
from pathlib import Path

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

TITLE = "漳州市2025年科技创新工作要点"
DATE = "2025-02-10"
PUBLISHER = "漳州市科学技术局"
# (is a heading, text): the plan's lines, as every reader must give them back
LINES = [
    (True, "一、主要目标"),
    (False, "2025年，全市力争新增高新技术企业120家，全社会研发经费投入增长15%以上，技术合同成交额达到38亿元，"
            "每万人高价值发明专利拥有量达到6.5件。"),
    (True, "二、重点任务"),
    (True, "（一）培育壮大创新主体"),
    (False, "实施科技企业梯次培育行动，全年新认定省级科技小巨人企业45家，入库科技型中小企业超过900家，"
            "引导规模以上工业企业普遍建立研发机构。"),
    (True, "（二）建设高能级创新平台"),
    (False, "引进2—3个高水平研发机构，新建市级重点实验室8个，推动省级新型研发机构达到25家。"),
    (True, "三、保障措施"),
    (False, "加强组织领导，健全市县联动的科技工作推进机制，把科技创新摆在全局工作的突出位置，"
            "压实各级各部门责任，完善科技投入稳定增长机制，优化财政科技资金使用方式，强化绩效评价和监督检查，"
            "营造尊重知识、尊重人才、鼓励创新、宽容失败的良好氛围，确保各项目标任务落到实处、见到实效。"
            "各县（区）要结合实际制定具体措施，按季度报送工作进展情况，市科技局会同有关部门加强跟踪督促，"
            "及时协调解决推进中遇到的困难和问题。"),
    (False, "2025年2月10日"),
]
# (value or min-max, unit) of the targets the plan states
TARGETS = {("120", "家"), ("15", "%"), ("38", "亿元"), ("6.5", "件"), ("45", "家"), ("900", "家"), ("2-3", "个"),
           ("8", "个"), ("25", "家")}
FURNITURE_NUMBERS = ["3506000001", "05012345", "35060202000345", "2345678", "2386", "1234567", "1920", "98", "86",
                     "356", "128", "600"]


def _body_html(style: str = "text-indent:2em") -> str:
    out = []
    for heading, text in LINES:
        out.append(f"<p><strong>{text}</strong></p>" if heading else f'<p style="{style}">{text}</p>')
    return "\n".join(out)


def gov_page() -> str:
    """A government site's article page: div soup, the plan inside a TRS editor div."""
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE}_漳州市人民政府</title>
<meta name="SiteName" content="漳州市人民政府"><meta name="SiteDomain" content="www.example.gov.cn">
<meta name="SiteIDCode" content="3506000001"><meta name="ColumnName" content="计划规划">
<meta name="ArticleTitle" content="{TITLE}"><meta name="PubDate" content="{DATE}">
<meta name="ContentSource" content="{PUBLISHER}"><meta name="Keywords" content="科技创新">
</head><body>
<div class="top"><div class="wrap">漳州市人民政府 网站支持IPv6 <a href="/wza">无障碍浏览</a> <a href="/old">长者模式</a></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/zwfw">政务服务</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/zjzz">走进漳州</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/jhgh">计划规划</a></div>
<div class="main"><div class="title">{TITLE}</div>
<div class="info">发布时间：{DATE} 09:30 信息来源：{PUBLISHER} 浏览次数：2386 字号：[ <a>大</a> <a>中</a> <a>小</a> ]</div>
<div class="TRS_Editor">
{_body_html()}
</div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="related"><h3>相关文章</h3><ul>
<li><a href="/a/1.html">漳州市2024年新增高新技术企业98家</a><span>2024-12-30</span></li>
<li><a href="/a/2.html">全市86家企业入选省级创新型企业名单</a><span>2024-11-02</span></li>
<li><a href="/a/3.html">我市新增市级重点实验室600个申报启动</a><span>2024-10-15</span></li></ul></div></div>
<div class="footer"><p>主办：漳州市人民政府办公室 承办：漳州市大数据服务中心</p>
<p>网站标识码：3506000001 闽ICP备05012345号-2 闽公网安备 35060202000345号</p>
<p>联系电话：0596-2345678 传真：0596-2345679</p><p>您是本站第 1234567 位访问者</p>
<p>建议使用1920×1080分辨率浏览本站</p></div>
<script>var visits = 1234567;</script></body></html>"""


def news_page() -> str:
    """A news site's article page: semantic tags, but counters and a share bar inside <article>."""
    return f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{TITLE} - 闽南日报网</title>
<meta property="og:title" content="{TITLE}"><meta property="og:site_name" content="闽南日报网">
<meta property="article:published_time" content="{DATE}T08:00:00+08:00">
<meta name="DC.publisher" content="{PUBLISHER}"></head><body>
<header><a href="/">闽南日报网</a> <span>客户端下载</span></header>
<nav><a href="/">首页</a> <a href="/news">新闻</a> <a href="/gov">政务</a></nav>
<article><h1>{TITLE}</h1>
<div class="byline">来源：{PUBLISHER} {DATE} 08:00 阅读 2386 点赞 356 评论 128</div>
{_body_html()}
<div class="share">分享：<button>微信</button><button>微博</button> 已有 356 人点赞</div>
</article>
<aside><h3>热点排行</h3><ol><li><a href="/n/1">全市86家企业入选省级创新型企业名单</a></li>
<li><a href="/n/2">漳州市2024年新增高新技术企业98家</a></li></ol></aside>
<footer>闽ICP备05012345号 网站标识码3506000001 新闻热线：0596-2345678 版权所有 © 闽南日报网</footer>
</body></html>"""


def table_page() -> str:
    """An older government page laid out with tables."""
    rows = "\n".join(f"<p>{text}</p>" for _, text in LINES)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>{TITLE}</title>
<meta name="ArticleTitle" content="{TITLE}"><meta name="PubDate" content="{DATE} 09:30:00">
<meta name="ContentSource" content="{PUBLISHER}"></head><body>
<table width="1000"><tr><td>漳州市科学技术局</td><td><a href="/">首页</a> | <a href="/kjxw">科技新闻</a> | <a href="/tzgg">通知公告</a></td></tr>
<tr><td width="200"><table><tr><td>栏目导航</td></tr><tr><td><a href="/1">机构职能</a></td></tr>
<tr><td>访问量：1234567</td></tr></table></td>
<td><table><tr><td class="bt">{TITLE}</td></tr><tr><td>{DATE} 浏览：2386次</td></tr>
<tr><td id="zoom">{rows}</td></tr></table></td></tr>
<tr><td colspan="2">版权所有：漳州市科学技术局 地址：漳州市胜利路600号 邮编：363000 电话：0596-2345678
闽ICP备05012345号 网站标识码：3506000001</td></tr></table></body></html>"""


def pages() -> dict[str, str]:
    return {"gov": gov_page(), "news": news_page(), "table": table_page()}


# ------------------------------------------------------------------------------- PDF and Word

def pdf(table: bool = False) -> bytes:
    """The plan as a printed A6 document: a running header, page numbers in the footer, paragraphs
    indented two characters, broken over lines and pages (the 保障措施 paragraph crosses a page)."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    class Doc(FPDF):
        def header(self):
            self.set_font("noto", size=8)
            self.cell(0, 6, "漳州市科学技术局文件", align="C")
            self.ln(10)

        def footer(self):
            self.set_y(-12)
            self.set_font("noto", size=9)
            self.cell(0, 6, f"— {self.page_no()} —", align="C")

    d = Doc(format=(105, 148))
    d.set_title(TITLE)
    d.add_font("noto", fname=str(FONT), collection_font_number=2)
    d.set_auto_page_break(True, margin=16)
    d.add_page()
    d.set_font("noto", size=14)
    d.multi_cell(0, 9, TITLE, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    d.set_font("noto", size=10.5)
    for heading, text in LINES[:-1]:
        d.multi_cell(0, 7, text if heading else "\u3000\u3000" + text, wrapmode=WrapMode.CHAR,
                     new_x="LMARGIN", new_y="NEXT")
        if text.startswith("（二）") and table:
            with d.table(col_widths=(1, 1), first_row_as_headings=False) as t:
                for row in (("指标", "2025年目标"), ("新增市级重点实验室", "8个"), ("省级新型研发机构", "25家")):
                    r = t.row()
                    for c in row:
                        r.cell(c)
    d.multi_cell(0, 7, LINES[-1][1], align="R", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    return bytes(d.output())


def docx(table: bool = False, long_heading: str | None = None) -> bytes:
    """The plan as a Word document: Title and Heading styles, a header and a footer with text."""
    import docx as python_docx

    d = python_docx.Document()
    d.core_properties.title = TITLE
    d.sections[0].header.paragraphs[0].text = "漳州市科学技术局文件 第1页"
    d.sections[0].footer.paragraphs[0].text = "— 1 —"
    d.add_heading(TITLE, level=0)
    for heading, text in LINES:
        if heading:
            d.add_heading(text, level=1 if text[0] in "一二三四五六七八九十" else 2)
        else:
            d.add_paragraph(text)
        if text.startswith("（二）") and table:
            t = d.add_table(rows=0, cols=2)
            for row in (("指标", "2025年目标"), ("新增市级重点实验室", "8个"), ("省级新型研发机构", "25家")):
                cells = t.add_row().cells
                cells[0].text, cells[1].text = row
        if long_heading and text == "三、保障措施":
            d.add_heading(long_heading, level=2)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ a multi-report corpus

# A made-up city's plan for 2022, its review in January 2023 (which also sets 2023's targets), and a
# made-up province's plan: every sentence and figure invented. For the site's browser tests.
REPORTS = {
    "plan-2022.md": """---
title: "某市2022年政府工作报告发布"
date: 2022-01-20 09:00:00 +0800
---
<p>泉州市今年的主要目标：全市地区生产总值增长7%左右，城镇新增就业3万人以上，全市居民消费价格涨幅控制在4.3%以内，规模以上工业增加值增长8%。</p>
""",
    "review-2022.md": """---
title: "泉州市2023年政府工作报告"
date: 2023-01-18 09:00:00 +0800
---
<p>一、2022年工作回顾</p>
<p>全市地区生产总值增长6.9%，城镇新增就业2.5万人，居民消费价格上涨1.8%，规模以上工业增加值增长8.5%。</p>
<p>二、2023年主要目标</p>
<p>全市地区生产总值增长6%左右，城镇新增就业1232万人以上，研发经费投入增长20%以上。</p>
""",
    "province-2023.md": """---
title: "福建省2023年国民经济和社会发展计划"
date: 2023-02-01 09:00:00 +0800
---
<p>福建省2023年主要预期目标：全省地区生产总值增长6.5%左右，一般公共预算收入增长5%，城镇新增就业45万人以上。</p>
""",
}


def write_reports(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
