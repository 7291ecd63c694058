"""Human pages: the landing page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("pages", __name__)

EXAMPLE = """PREFIX ptkg: <https://w3id.org/ptkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?target ?label WHERE { ?target a ptkg:Target ; rdfs:label ?label } ORDER BY ?label LIMIT 20"""


@bp.route("/")
def index():
    kg = current_app.extensions["kg"]
    return render_template("index.html", m=kg.manifest, example=EXAMPLE)
