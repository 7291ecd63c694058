"""Questions asked of a built dataset: one record per target (targets.csv, `kgbuild targets`),
and the score of the extraction against hand-made gold files (`kgbuild eval`).

targets.py   the built store → target records (from queries/targets.rq), CSV and JSON Lines
evaluate.py  gold files + the records the pipeline makes for their articles → precision, recall, F1
"""
