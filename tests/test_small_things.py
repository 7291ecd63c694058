"""Small things a new user trips over: the warnings a build counts are shown, a skipped article's
line reads "PATH: line N: problem", --strict names every failure, /favicon.ico is served."""

import re
import struct
import zlib

import pytest
import requests

from conftest import SEED, run_cli

NO_PLACE = ("---\ntitle: 今年工作安排\ndate: 2023-01-05 10:00:00 +0800\n---\n\n"
            "全年新增高新技术企业500家，研发经费投入增长20%以上。\n")


def test_build_shows_the_warnings_it_counts(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "noplace.md").write_text(NO_PLACE, encoding="utf-8")       # made up: no place can be resolved
    out = tmp_path / "dist"
    for _ in range(2):                                                  # a fresh build, then "nothing changed"
        r = run_cli("kgbuild", "build", str(src), "--out", str(out))
        assert r.returncode == 0, r.stderr
        counted = int(re.search(r"(\d+) warning\(s\)", r.stdout).group(1))
        shown = [line for line in r.stderr.splitlines() if line.startswith("warning: ") and "/id/target/" in line]
        assert counted == len(shown) == 2, (r.stdout, r.stderr)
        assert all(" ptkg:place: No place could be resolved" in line for line in shown), shown


def test_skipped_articles_and_strict_name_every_failure(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "seed.md").write_bytes(SEED.read_bytes())
    (src / "a-bad.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe")
    (src / "b-bad.md").write_text("---\ntitle: [x\n---\n正文。\n", encoding="utf-8")
    out = tmp_path / "dist"
    r = run_cli("kgbuild", "build", str(src), "--out", str(out))
    assert r.returncode == 3
    skipped = [line for line in r.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 2
    assert re.fullmatch(rf"skipped {re.escape(str(src / 'a-bad.md'))}: line 4: not valid UTF-8 .*", skipped[0]), skipped
    assert re.fullmatch(rf"skipped {re.escape(str(src / 'b-bad.md'))}: line 2: invalid YAML front matter: .*", skipped[1])
    r = run_cli("kgbuild", "build", str(src), "--out", str(tmp_path / "strict"), "--strict")
    assert r.returncode == 2 and not (tmp_path / "strict").exists()
    assert "2 articles failed (--strict); nothing was published" in r.stderr
    assert "a-bad.md: line 4: not valid UTF-8" in r.stderr and "b-bad.md: line 2: invalid YAML" in r.stderr
    (src / "seed.md").unlink()                                          # none passes: both named too
    r = run_cli("kgbuild", "build", str(src), "--out", str(tmp_path / "none"))
    assert r.returncode == 2 and "2 articles failed (no article passed)" in r.stderr
    assert "a-bad.md" in r.stderr and "b-bad.md" in r.stderr


@pytest.mark.e2e
def test_favicon_is_an_icon(server):
    r = requests.get(server.url + "/favicon.ico", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/vnd.microsoft.icon"
    reserved, kind, count = struct.unpack("<HHH", r.content[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    w, h, _, _, _, bpp, size, offset = struct.unpack("<BBBBHHII", r.content[6:22])
    png = r.content[offset:offset + size]
    assert (w, h, bpp) == (32, 32, 32) and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (32, 32)
    idat = png.index(b"IDAT")
    pixels = zlib.decompress(png[idat + 4: idat + 4 + struct.unpack(">I", png[idat - 4:idat])[0]])
    assert len(pixels) == 32 * (1 + 32 * 4) and len(set(pixels)) > 2       # an image, not a blank
    svg = requests.get(server.url + "/favicon.svg", timeout=10)
    assert svg.headers["Content-Type"].startswith("image/svg+xml") and "<circle" in svg.text
