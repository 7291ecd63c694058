"""Questions asked of a built dataset: one record per target or observation (targets.csv,
`kgbuild targets`, `kgbuild observations`), and the score of the extraction against hand-made
gold files and the national reports' promises (`kgbuild eval`).

targets.py   the built store → target and observation records (queries/targets.rq, observations.rq), CSV, JSON Lines
review.py    the review queue: unconfirmed facts, least confident first, with the YAML to confirm or reject them
evaluate.py  gold files + the records the pipeline makes for their articles → precision, recall, F1
national.py  the national Government Work Reports + promises.json → targets and reported values found
unmapped.py  the indicator phrases no concept of the scheme takes, most frequent first (`kgbuild unmapped`)
"""
