"""The rules that decide statuses, by name and version: each status names the rubric that made it.

A rubric's IRI is https://w3id.org/ptkg/rubric/NAME/VERSION, described in ontology/rubrics.ttl (zh/en
labels, the rule in words, its version and date, the SHA-256 of its words). A rule that decides
differently is a new version with a new IRI and a new description beside the old one; an old dataset's
statuses keep naming the version that made them (tests/test_rubric.py: changed words or changed
decisions without a new version fail).
"""

from __future__ import annotations

RUBRIC_NS = "https://w3id.org/ptkg/rubric/"
VERSIONS = {"verdict": 2, "progress": 2}     # verdict.py (met / missed) and progress.py (on track …)


def rubric_iri(name: str) -> str:
    return f"{RUBRIC_NS}{name}/{VERSIONS[name]}"
