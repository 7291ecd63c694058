"""Generate SYNTHETIC plan articles for benchmarks (never mixed with real data).

Each article is a Jekyll post like the bundled one: a real prefecture-level city from the
GB/T 2260 gazetteer, a year, a lead paragraph about a work meeting, a past-results paragraph
(去年…), one to three sections (a heading restating a target, a 着力 line, target clauses with
varied comparators, ranges, commitment words and list forms) and a noise paragraph with
dates, ordinals and slogans. Every file is tagged `synthetic` and named synthetic-NNNNN.md.

    .venv/bin/python bench/synth.py OUT_DIR --count 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from kgbuild.extract.places import gazetteer

DOMAINS = ["科技", "工业和信息化", "农业农村", "交通运输", "卫生健康", "教育", "商务", "生态环境"]
TARGETS = [  # verb, noun, unit, typical size
    ("新增", "高新技术企业", "家", 300), ("入库", "科技型中小企业", "家", 800), ("引进", "高层次人才团队", "个", 20),
    ("建成", "5G基站", "个", 2000), ("新建", "幼儿园", "所", 30), ("新增", "义务教育学位", "个", 8000),
    ("新改建", "农村公路", "公里", 500), ("新建", "高标准农田", "亩", 50000), ("培育", "专精特新企业", "家", 60),
    ("实施", "重点项目", "个", 200), ("新增", "城镇就业", "人", 30000), ("举办", "技能培训", "场", 40),
    ("新建", "社区养老服务中心", "个", 25), ("打通", "断头路", "条", 12), ("新增", "停车位", "个", 5000),
    ("创建", "省级重点实验室", "家", 5), ("认定", "技术合同登记", "项", 900), ("新开通", "公交线路", "条", 15),
]
GROWTH = [("地区生产总值增长", 6), ("规模以上工业增加值增长", 8), ("研发经费投入增长", 15),
          ("技术合同成交额增长", 20), ("社会消费品零售总额增长", 7), ("固定资产投资增长", 9)]
AMOUNTS = [("完成固定资产投资", "亿元", 600), ("实现技术合同成交额", "亿元", 80), ("争取上级资金", "万元", 5000)]
RATIOS = [("森林覆盖率达到", 60), ("研发投入强度达到", 3), ("城镇调查失业率控制在", 5), ("空气质量优良天数比例保持在", 95)]
AREAS = [("清零增量", "做大", "研发投入"), ("提质增效", "做优", "科研平台"), ("外引内联", "做实", "人才团队"),
         ("进阶登高", "做强", "科技企业"), ("产研融合", "促进", "成果应用"), ("以点带面", "加快", "民生改善"),
         ("补链强链", "壮大", "产业集群"), ("扩容提质", "完善", "基础设施")]
NOISE = ["深入实施“四个倍增”计划，持续推进“十项工程”，落实第二批改革试点任务。",
         "会议指出，过去一年全市上下攻坚克难，成绩来之不易，排名居全省前列。",
         "各地各部门要提高政治站位，强化责任担当，确保各项工作落地见效。",
         "咨询电话：0595-22112345，办公地址位于市行政服务中心三楼。"]
LEVELS = ["", "", "", "力争", "确保", "争取"]


def _num(rng: random.Random, base: int) -> int:
    n = max(1, int(base * rng.uniform(0.4, 2.0)))
    return round(n, -1) if n > 100 else n


def _target_clause(rng: random.Random) -> str:
    form = rng.random()
    lvl = rng.choice(LEVELS)
    if form < 0.55:
        verb, noun, unit, base = rng.choice(TARGETS)
        n = _num(rng, base)
        style = rng.randrange(5)
        if style == 0:
            return f"{lvl}{verb}{noun}{n}{unit}"
        if style == 1:
            return f"{lvl}{verb}{noun}{n}{unit}以上"
        if style == 2:
            return f"{verb}{noun}不少于{n}{unit}"
        if style == 3:
            return f"{lvl}{verb}{n}—{n + max(1, n // 4)}{unit}{noun}"
        return f"{verb}{noun}超过{n}{unit}"
    if form < 0.75:
        ind, base = rng.choice(GROWTH)
        return f"{lvl}{ind}{round(base * rng.uniform(0.6, 1.6), 1)}%{'以上' if rng.random() < 0.5 else ''}"
    if form < 0.9:
        ind, unit, base = rng.choice(AMOUNTS)
        return f"{ind}{_num(rng, base)}{unit}"
    ind, base = rng.choice(RATIOS)
    return f"{ind}{round(base * rng.uniform(0.8, 1.1), 1)}%"


def article(i: int, rng: random.Random, cities: list) -> tuple[str, str]:
    city = rng.choice(cities)
    year = rng.randint(2015, 2025)
    month, day = rng.randint(1, 3), rng.randint(2, 28)
    domain = rng.choice(DOMAINS)
    sections = []
    for _ in range(rng.randint(1, 2)):
        slogan, verb, area = rng.choice(AREAS)
        clauses = [_target_clause(rng) for _ in range(rng.randint(2, 4))]
        heading = clauses[0]
        body = f"着力“{slogan}”{verb}{area}。今年，我市将" + "，".join(clauses) + "。"
        sections += [heading, body]
    past_verb, past_noun, past_unit, past_base = rng.choice(TARGETS)
    paragraphs = [
        f"{day - 1}日，{city.name}召开{year}年全市{domain}工作会议，总结去年工作，部署今年任务。",
        f"去年，全市{past_verb}{past_noun}{_num(rng, past_base)}{past_unit}，同比增长{round(rng.uniform(2, 15), 1)}%。",
        *sections,
        rng.choice(NOISE),
        f"（文章来源：{city.short}日报）",
    ]
    title = f"{city.short}{year}年{domain}工作：{sections[0]}"
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    text = (f"---\nlayout: post\ntitle: \"{title}\"\ndate: {year}-{month:02d}-{day:02d} 09:00:00 +0800\n"
            f"categories: synthetic\ntags: synthetic\n---\n{body}\n")
    return f"synthetic-{i:05d}.md", text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    cities = sorted((p for p in gazetteer().by_code.values() if p.level == "city" and len(p.short) >= 2),
                    key=lambda p: p.code)
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.count):
        name, text = article(i, rng, cities)
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {args.count} synthetic articles to {args.out}")


if __name__ == "__main__":
    main()
