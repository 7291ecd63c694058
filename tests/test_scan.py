"""Finding the article files of a folder (read.load.article_files, os.scandir) and hashing them
once per build (uptodate.scan): the files in the order pathlib's sorted rglob gives, hidden
folders and unknown types left out, a linked folder not followed."""

from __future__ import annotations

import os
from pathlib import Path

from kgbuild.read.load import FORMATS, article_files
from kgbuild.uptodate import inputs, keys, scan


def rglob_files(root: Path) -> list[Path]:
    """What the folder walk must give: every file of a known type below ROOT in no hidden folder
    and not hidden itself, Path-sorted (by parts), as Path.rglob lists them."""
    return sorted(f for f in root.rglob("*") if f.is_file() and f.suffix.lower() in FORMATS
                  and not any(part.startswith(".") for part in f.relative_to(root).parts))


def tree(root: Path) -> None:
    for rel in ("a.md", "a/b.md", "a-b/c.md", "a b/d.TXT", "z/y/x.html", "B.pdf", "notes.json", "a/.hidden.md",
                ".git/e.md", "a/.cache/f.md", "deep/er/est/g.docx", "README", "a/b.md.retrieval.json"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"# {rel}\n\n今年新增企业{len(rel)}家。\n", encoding="utf-8")
    (root / "linked-file.md").symlink_to(root / "a" / "b.md")
    (root / "linked-folder").symlink_to(root / "z", target_is_directory=True)
    (root / "broken.md").symlink_to(root / "nowhere.md")
    (root / "folder.md").mkdir()


def test_the_walk_gives_what_sorted_rglob_gives(tmp_path):
    tree(tmp_path)
    found = article_files([tmp_path])
    assert found == rglob_files(tmp_path)
    rel = [str(f.relative_to(tmp_path)) for f in found]
    assert rel[:5] == ["B.pdf", "a/b.md", "a b/d.TXT", "a-b/c.md", "a.md"]    # by parts, not as strings
    assert "linked-file.md" in rel and not any(r.startswith(("linked-folder", ".git", "a/.")) for r in rel)
    assert "broken.md" not in rel and "folder.md" not in rel and "README" not in rel


def test_files_named_one_by_one_keep_their_order(tmp_path):
    tree(tmp_path)
    named = [tmp_path / "a.md", tmp_path / "a" / "b.md"]
    assert article_files(named + [tmp_path / "z"]) == named + [tmp_path / "z" / "y" / "x.html"]


def test_a_scan_reads_each_file_once_for_the_keys_and_the_inputs(tmp_path):
    tree(tmp_path)
    base = "http://example.org/"
    s = scan([tmp_path], base)
    assert s.files == article_files([tmp_path])
    assert s.keys == keys(s.files, base) and s.inputs == inputs(s.files, base)
    (tmp_path / "a.md").write_text("# a\n\n今年新增企业9家。\n", encoding="utf-8")
    again = scan([tmp_path], base)
    assert again.inputs != s.inputs and sum(a != b for a, b in zip(again.keys, s.keys)) == 1
    os.chmod(tmp_path / "a.md", 0)
    if not os.access(tmp_path / "a.md", os.R_OK):          # not as root: root reads it anyway
        assert scan([tmp_path], base).inputs == ""
