"""Downloads: the dump files of dist/ with their media types, ETag and Last-Modified."""

from __future__ import annotations

from flask import Blueprint, Response, request, send_file

from ..service import live
from ..errors import APIError

bp = Blueprint("downloads", __name__)

def send_dist_file(name: str) -> Response:
    """A file of dist/ with the media type the manifest records."""
    info = live.dataset().file(name)
    if info is None:
        raise APIError(404, f"{name} is not part of this build")
    return _send(name, info["media_type"])


def _send(name: str, media_type: str) -> Response:
    kg = live.dataset()
    path = kg.path / name
    if not path.is_file():
        raise APIError(404, f"{name} is not part of this build")
    # Flask adds the charset to text/* itself; N-Triples is UTF-8 by definition but say so
    mt = media_type + ("; charset=utf-8" if media_type == "application/n-triples" else "")
    resp = send_file(path.resolve(), mimetype=mt, conditional=True, etag=False, max_age=300)
    info = kg.file(name)
    if info:
        resp.set_etag(info["sha256"][:32])
        resp.make_conditional(request)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@bp.route("/<any('dataset.ttl','dataset.nt','dataset.jsonld','dataset.trig','dataset.nq','targets.csv','validation.ttl','validation.txt',"
          "'ontology.ttl','ontology.jsonld','ontology.html','shapes.ttl'):name>")
def dump(name: str) -> Response:
    return send_dist_file(name)


# what each file is for, shown on /downloads (zh, en)
PURPOSE = {
    "dataset.ttl": ("全部数据（各图合并），Turtle：最易读", "All data (the union of the graphs) in Turtle: the most readable"),
    "dataset.nt": ("全部数据，N-Triples：每行一个三元组，便于 grep 与流式处理", "All data in N-Triples: one triple per line, for grep and streaming"),
    "dataset.jsonld": ("全部数据，JSON-LD：供 JSON 工具使用", "All data in JSON-LD, for JSON tools"),
    "dataset.trig": ("全部数据，按命名图分开（每篇文章一个图），TriG", "All data with its named graphs (one per article) in TriG"),
    "dataset.nq": ("全部数据，按命名图分开，N-Quads：可直接载入三元组库", "All data with its named graphs in N-Quads, to load into a triple store"),
    "targets.csv": ("每个目标一行的表格（UTF-8 带 BOM，Excel 可直接打开）：地点、年份、指标、数值、单位、原文、完成情况",
                    "One row per target (UTF-8 with a BOM, opens in Excel): place, year, indicator, value, unit, source text, verdict"),
    "ontology.ttl": ("本体与受控词表，Turtle", "The ontology and code lists in Turtle"),
    "ontology.jsonld": ("本体与受控词表，JSON-LD", "The ontology and code lists in JSON-LD"),
    "ontology.html": ("本体文档（pyLODE 生成的独立网页）", "The ontology documentation (a standalone pyLODE page)"),
    "shapes.ttl": ("校验数据所用的 SHACL 形状", "The SHACL shapes the data is validated against"),
    "validation.ttl": ("SHACL 校验报告，Turtle", "The SHACL validation report in Turtle"),
    "validation.txt": ("SHACL 校验报告，纯文本", "The SHACL validation report as text"),
    "catalog.ttl": ("DCAT-AP 目录（供数据门户收割），Turtle", "The DCAT-AP catalog, for portals to harvest, in Turtle"),
    "catalog.jsonld": ("DCAT-AP 目录，JSON-LD", "The DCAT-AP catalog in JSON-LD"),
    "catalog.rdf": ("DCAT-AP 目录，RDF/XML", "The DCAT-AP catalog in RDF/XML"),
    "manifest.json": ("本次构建的清单：版本、计数、文件校验和", "This build's manifest: version, counts, file checksums"),
}


def size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


@bp.route("/downloads")
def downloads() -> Response:
    from flask import render_template
    kg = live.dataset()
    files = [dict(f, purpose=PURPOSE.get(f["name"], ("", "")), size=size(f["bytes"])) for f in kg.manifest["files"]]
    return Response(render_template("downloads.html", m=kg.manifest, files=files),
                    content_type="text/html; charset=utf-8")


@bp.route("/manifest.json")
def manifest() -> Response:
    return _send("manifest.json", "application/json")
