"""Human pages: the landing page (with its schema.org Dataset description) and the query page."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, render_template, request
from markupsafe import Markup

from ..service import live
from ..service.canned import examples

bp = Blueprint("pages", __name__)
STATIC = Path(__file__).parents[1] / "static"

DESCRIPTION = ("中国地方年度计划中的数量目标（如“新增高企500家”“研发经费投入增长20%以上”），从新闻报道中抽取，"
               "连接地点、计划、重点领域、指标与目标值，每条事实都可追溯到原文句子与字符位置。"
               "Numeric targets announced in Chinese local plans, extracted from news articles and linked to place, "
               "plan, focus area and indicator; every fact traces back to the exact sentence and characters it came "
               "from. Published as RDF (Turtle, N-Triples, JSON-LD), CSV and a SPARQL 1.1 endpoint.")


def schema_org(m: dict) -> Markup:
    """A schema.org Dataset in JSON-LD, as Google Dataset Search reads it."""
    root = request.host_url
    years = (m.get("coverage") or {}).get("years")
    doc = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": root + "dataset",
        "name": "中国地方政策数量目标 · Numeric targets in Chinese local plans",
        "description": DESCRIPTION,
        "url": root,
        "version": m["dataset_version"],
        "dateModified": m["build_time"],
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isAccessibleForFree": True,
        "inLanguage": ["zh", "en"],
        "keywords": ["政策目标", "policy targets", "地方政府", "local government", "linked data", "SPARQL"],
        "creator": {"@type": "Organization", "name": "Policy Targets KG project", "url": root},
        "distribution": [{"@type": "DataDownload", "contentUrl": root + f["name"], "encodingFormat": f["media_type"],
                          "contentSize": f"{f['bytes']} B"}
                         for f in m["files"] if f["name"] in ("dataset.ttl", "dataset.nt", "dataset.jsonld", "dataset.trig", "dataset.nq",
                                                          "targets.csv")],
        "spatialCoverage": [{"@type": "Place", "name": p["name"], "identifier": p["code"]}
                            for p in (m.get("coverage") or {}).get("places", [])],
        "measurementTechnique": "rule-based extraction from news text, validated with SHACL",
    }
    if years:
        doc["temporalCoverage"] = f"{years[0]}/{years[1]}"
    return Markup(json.dumps(doc, ensure_ascii=False, indent=1).replace("</", "<\\/"))


HOWTO = Path(__file__).parents[1] / "queries" / "howto.rq"


def howto(m: dict) -> str | None:
    """The landing page's worked example: the targets of the dataset's first place in its latest year."""
    cov = m.get("coverage") or {}
    if not cov.get("places") or not cov.get("years"):
        return None
    name = cov["places"][0]["name"].replace("\\", "").replace('"', "")
    return HOWTO.read_text(encoding="utf-8").replace("{place}", name).replace("{year}", str(cov["years"][1]))


@bp.route("/")
def index():
    kg = live.dataset()
    return render_template("index.html", m=kg.manifest, schema=schema_org(kg.manifest), examples=examples(),
                           howto=howto(kg.manifest))


def yasgui_available() -> bool:
    return (STATIC / "yasgui" / "yasgui.min.js").is_file()


def query_page() -> str:
    found = examples()
    return render_template("sparql.html", examples=found, yasgui=yasgui_available(),
                           examples_json=Markup(json.dumps(found, ensure_ascii=False).replace("</", "<\\/")))
