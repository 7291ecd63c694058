"""Stage 6 — link, across articles: every Target beside the values later reported for it, with a verdict.

outcomes.py  the articles' statements (or their union) → Links: each Target's Observations of the same place,
             indicator concept and year (from any article), and its status
verdict.py   one target and one outcome → met | missed | undetermined, with the rule that decided it
progress.py  a multi-year target and its later yearly values → progress by the Open SDG method (on track,
             moderate, limited, deterioration, achieved), and the deadline's verdict from yearly values
change.py    a target for a change over a plan's span (降低16%): yearly changes compounded, the yearly pace
rubric.py    the rules' names and versions → the rubric IRIs every status names
rows.py      link-statements.rq's rows read from an article's lines in Python, when exactly what the
             query gives (else outcomes.rows runs the query)
memo.py      the links graph's lines by place and indicator: a rebuild joins again only the groups whose statements changed
stage.py     link_articles: the links graph's lines (memo.py, or one join with the corrections), validated
             with the nodes they touch

The links live in their own named graph (<base>/graph/links), rebuilt on every build from the
cached article graphs' statements (only where they changed, memo.py): a join, not extraction, so next year's report updates last year's verdicts
without extracting anything again.
"""

from .outcomes import Link, link

__all__ = ["Link", "link"]
