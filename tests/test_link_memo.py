"""Stage 6 joined again only where the statements changed (kgbuild/link/memo.py): on real reports
(the national government work reports, whose targets run for years, with the seed and synthetic
articles), the links graph made from the groups kept in the memo and the groups joined anew is
byte for byte the one a join of every statement gives, after articles are removed, changed or
put back; the memo is what is read for an unchanged group, and a damaged one is no memo."""

from __future__ import annotations

import hashlib
import marshal
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT, SEED, national_dir
from kgbuild.link import memo
from kgbuild.model import ArticleBuild
from kgbuild.link.stage import links_graph
from kgbuild.pipeline import DEFAULT_BASE, article
from kgbuild.publish import ntriples

FP = "test-fingerprint"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[ArticleBuild]:
    pool = tmp_path_factory.mktemp("pool")
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synth.py"), str(pool), "--count", "12", "--seed", "7"],
                   check=True, capture_output=True)
    files = [SEED] + sorted(national_dir().glob("*.md")) + sorted(pool.glob("*.md"))
    out = [a for a in (article(f) for f in files) if isinstance(a, ArticleBuild)]
    assert sum(a.targets for a in out) > 100
    return out


def _full(kept) -> str:
    g, _ = links_graph(kept, DEFAULT_BASE)
    return ntriples(g).decode("utf-8") if len(g) else ""


def _memo(kept, folder: Path | None, read: bool = True) -> str:
    lines = memo.lines([r for a in kept for r in a.statements], DEFAULT_BASE, FP, folder, read)
    return "".join(line + "\n" for line in lines)


def _changed(a: ArticleBuild) -> ArticleBuild:
    """A with its first reported value one more (an article whose figure was corrected)."""
    from dataclasses import replace
    from kgbuild.link.outcomes import COLUMNS
    i, v = COLUMNS.index("type"), COLUMNS.index("value")
    rows = list(a.statements)
    j = next(j for j, r in enumerate(rows) if r[i].endswith("Observation") and r[v])
    rows[j] = rows[j][:v] + (str(float(rows[j][v]) + 1),) + rows[j][v + 1:]
    return replace(a, statements=tuple(rows))


def test_the_kept_and_the_new_groups_give_the_whole_join(built, tmp_path):
    assert "#progress-" in _full(built)                 # multi-year targets: progress across years
    assert _memo(built, None) == _full(built)
    assert _memo(built, tmp_path) == _full(built)       # every group new, the memo written
    assert _memo(built, tmp_path) == _full(built)       # every group from the memo
    national = [i for i, a in enumerate(built) if a.file.startswith("china-")]
    steps = [built[:national[3]] + built[national[3] + 1:],                         # a report removed
             [_changed(a) if i == national[5] else a for i, a in enumerate(built)],  # a value changed
             built[::-1],                                                           # another order
             built]                                                                 # all back
    for kept in steps:
        assert _memo(kept, tmp_path) == _full(kept)
    # the memo holds the groups of the last build, and FULL (read=False) joins every one again
    assert _memo(built, tmp_path, read=False) == _full(built)
    whole, lines, kept = memo._read(tmp_path)
    assert len(kept) == len(memo.groups([r for a in built for r in a.statements]))
    assert "".join(line + "\n" for line in lines) == _full(built)


def test_an_unchanged_group_is_read_from_the_memo_and_a_damaged_memo_is_no_memo(built, tmp_path):
    rows = [r for a in built for r in a.statements]
    memo.lines(rows, DEFAULT_BASE, FP, tmp_path)
    path = tmp_path / memo.NAME
    head, _, body = path.read_bytes().partition(b"\n")
    whole, lines, kept = marshal.loads(body)
    parts = head.split(b" ")

    def forge(value) -> bytes:
        fbody = marshal.dumps(value)
        path.write_bytes(b" ".join(parts[:2] + [hashlib.sha256(fbody).hexdigest().encode()]) + b"\n" + fbody)
        return fbody

    # the same rows: the graph's lines kept whole are the answer, read, not joined again
    forge((whole, lines + ("<urn:w> <urn:y> <urn:z> .",), kept))
    assert "<urn:w> <urn:y> <urn:z> .\n" in _memo(built, tmp_path)
    # other rows (one value changed): the unchanged groups are read, not joined again
    forge(("another", lines, dict(kept, **{h: kept[h] + ("<urn:x> <urn:y> <urn:z> .",) for h in kept})))
    changed = [_changed(a) if a.file.startswith("china-") else a for a in built]
    got = _memo(changed, tmp_path)
    assert "<urn:x> <urn:y> <urn:z> .\n" in got and "<urn:w>" not in got
    fbody = forge(memo._read(tmp_path))
    path.write_bytes(b" ".join(parts[:2] + [hashlib.sha256(fbody).hexdigest().encode()]) + b"\n" + fbody[:-1] + b"\0")
    assert memo._read(tmp_path) is None
    assert _memo(built, tmp_path) == _full(built)
    # another base or software: other hashes, nothing read
    other = memo.lines(rows, "http://example.org/", FP, tmp_path)
    assert other == _full_lines(built, "http://example.org/")


def _full_lines(kept, base: str) -> list[str]:
    g, _ = links_graph(kept, base)
    return [line for line in ntriples(g).decode("utf-8").splitlines() if line]


def test_groups_follow_place_and_indicator_and_keep_a_subject_together():
    row = lambda s, place, ind: (s, "Target", place, ind) + (None,) * 16   # noqa: E731
    rows = [row("t1", "p1", "i1"), row("t2", "p1", "i2"), row("t3", "p2", "i1"),
            row("t1", "p2", "i2"), row("o1", "p1", "i1")]
    got = sorted(sorted(r[0] for r in g) for g in memo.groups(rows))
    assert got == [["o1", "t1", "t1"], ["t2"], ["t3"]]     # t1 in p1/i1 and in p2/i2: those two one group

