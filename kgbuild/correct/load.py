"""Corrections files → Correction values, each with the file and line it is written at.

A corrections folder holds YAML files (*.yaml, *.yml, read in name order); each is a list of
entries (or a mapping with a `corrections:` list). An entry names the fact by its IRI — the full
IRI or its path after the base (id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye) — and says what a
person decided, who, when and why:

    - iri: id/target/quanzhou-2022/xinzeng-gaoxinjishuqiye
      action: set            # reject | set | confirm | link | unlink
      value: 600             # set: value, min, max, comparator, unit, year, indicator, place
      reason: 原文为600家
      by: 李编辑
      date: 2024-03-01

link / unlink take `outcome:` (an observation's IRI); link may instead give `value:` (with
`unit:`, optional `min:`/`max:`, `year:`), `source:` (the URL) and `sentence:`.

Anything malformed is a CorrectionError naming the file and line (PyYAML's marks: the line of the
entry, or of the field at fault).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import CorrectionError

ACTIONS = ("reject", "set", "confirm", "link", "unlink")
COMPARATORS = ("eq", "ge", "gt", "le", "lt", "range")
SET_FIELDS = ("value", "min", "max", "comparator", "unit", "year", "indicator", "place")
LINK_FIELDS = ("outcome", "value", "min", "max", "unit", "year", "source", "sentence")
COMMON = ("iri", "action", "reason", "by", "date")


@dataclass(frozen=True)
class Correction:
    file: str                               # the file's name (as given, for messages)
    line: int                               # 1-based line of the entry
    iri: str                                # the full IRI of the fact
    action: str                             # reject | set | confirm | link | unlink
    reason: str
    by: str
    date: str                               # ISO 8601 date-time with its offset (midnight UTC for a date)
    values: tuple[tuple[str, object], ...] = ()   # set: the new values; link: the cited outcome
    outcome: str | None = None              # link / unlink: an observation's IRI
    lines: tuple[tuple[str, int], ...] = ()  # field → its line, for later messages

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def get(self, key: str, default=None):
        return dict(self.values).get(key, default)


def files(path: str | Path) -> list[Path]:
    p = Path(path)
    if p.is_file():
        return [p]
    if not p.is_dir():
        raise CorrectionError(str(p), None, "no such corrections file or folder")
    return sorted(f for f in p.iterdir() if f.is_file() and f.suffix in (".yaml", ".yml"))


def load(path: str | Path | None, base: str) -> tuple[Correction, ...]:
    """Every entry of the corrections file or folder at PATH (none when PATH is None)."""
    if path is None:
        return ()
    out: list[Correction] = []
    for f in files(path):
        out.extend(load_file(f, base))
    return tuple(out)


def load_file(f: Path, base: str) -> list[Correction]:
    import yaml                 # here: a build without corrections (and kgbuild.uptodate) does without it
    name = str(f)
    try:
        text = f.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise CorrectionError(name, None, f"not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise CorrectionError(name, None, f"cannot read: {e.strerror or e}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.context_mark or e.problem_mark
        line = mark.line + 1 if mark else None
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise CorrectionError(name, line, f"invalid YAML: {what}") from None
    except yaml.YAMLError as e:
        raise CorrectionError(name, None, f"invalid YAML: {e}") from None
    if root is None:
        return []
    if isinstance(root, yaml.MappingNode):
        items = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        if "corrections" not in items:
            raise CorrectionError(name, root.start_mark.line + 1, "expected a list of corrections "
                                  "(or a mapping with a `corrections:` list)")
        root = items["corrections"]
    if not isinstance(root, yaml.SequenceNode):
        raise CorrectionError(name, root.start_mark.line + 1, "expected a list of corrections")
    return [_entry(name, node, base) for node in root.value]


def _scalar(loader: yaml.SafeLoader, node: yaml.Node):
    return loader.construct_object(node, deep=True)


def _entry(name: str, node: yaml.Node, base: str) -> Correction:
    import yaml
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise CorrectionError(name, line, "a correction is a mapping (iri:, action:, reason:, by:, date:)")
    loader = yaml.SafeLoader("")
    fields: dict[str, object] = {}
    lines: dict[str, int] = {}
    for k, v in node.value:
        key = str(_scalar(loader, k))
        if key in fields:
            raise CorrectionError(name, k.start_mark.line + 1, f"`{key}` is given twice")
        try:
            fields[key] = _scalar(loader, v)
        except yaml.YAMLError as e:
            raise CorrectionError(name, v.start_mark.line + 1, f"`{key}`: {e}") from None
        lines[key] = k.start_mark.line + 1

    def fail(key: str | None, problem: str):
        raise CorrectionError(name, lines.get(key, line) if key else line, problem)

    for key in COMMON:
        if fields.get(key) in (None, ""):
            fail(None, f"missing `{key}:` (every correction has iri, action, reason, by and date)")
    action = str(fields["action"])
    if action not in ACTIONS:
        fail("action", f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    allowed = COMMON + (SET_FIELDS if action == "set" else LINK_FIELDS if action in ("link", "unlink") else ())
    for key in fields:
        if key not in allowed:
            fail(key, f"`{key}` is not a field of a `{action}` correction"
                      + (f" (it takes {', '.join(allowed[len(COMMON):])})" if allowed[len(COMMON):] else ""))
    values: list[tuple[str, object]] = []
    for key in (SET_FIELDS if action == "set" else LINK_FIELDS if action == "link" else ()):
        if key in fields and key != "outcome":
            values.append((key, _value(key, fields[key], lambda p, k=key: fail(k, p))))
    if action == "set" and not values:
        fail(None, f"a `set` correction gives at least one of {', '.join(SET_FIELDS)}")
    outcome = None
    if action in ("link", "unlink"):
        if "outcome" in fields:
            outcome = _iri(str(fields["outcome"]), base)
            if action == "link" and any(k in fields for k in ("value", "min", "max", "source", "sentence")):
                fail("outcome", "a `link` gives either `outcome:` (an observation) or a value with `source:` and `sentence:`, not both")
        elif action == "unlink":
            fail(None, "an `unlink` correction names the `outcome:` to remove")
        else:
            missing = [k for k in ("source", "sentence") if k not in fields]
            if not any(k in fields for k in ("value", "min", "max")) or missing:
                fail(None, "a `link` correction gives `outcome:` (an observation's IRI), or `value:` with "
                           "`unit:`, `source:` (the URL) and `sentence:`")
            if not re.match(r"https?://\S+$", str(fields["source"])):
                fail("source", f"source: expected an http(s) URL, got {fields['source']!r}")
    return Correction(file=name, line=line, iri=_iri(str(fields["iri"]), base),
                      action=action, reason=str(fields["reason"]), by=str(fields["by"]),
                      date=_date(fields["date"], lambda p: fail("date", p)), values=tuple(values), outcome=outcome,
                      lines=tuple(sorted(lines.items())))


def _iri(value: str, base: str) -> str:
    value = value.strip()
    if re.match(r"https?://", value):
        return value
    return base.rstrip("/") + "/" + value.lstrip("/")


def _date(value: object, fail) -> str:
    if isinstance(value, dt.datetime):
        d = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return d.isoformat()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc).isoformat()
    try:
        d = dt.datetime.fromisoformat(str(value))
    except ValueError:
        fail(f"date: expected a date such as 2024-03-01, got {value!r}")
    return (d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)).isoformat()


def _value(key: str, v: object, fail) -> object:
    if key in ("value", "min", "max"):
        if isinstance(v, bool):
            fail(f"{key}: expected a number, got {v!r}")
        try:
            d = Decimal(str(v).replace(",", ""))
        except InvalidOperation:
            fail(f"{key}: expected a number, got {v!r}")
        if not d.is_finite():
            fail(f"{key}: expected a number, got {v!r}")
        return d
    if key == "comparator":
        if str(v) not in COMPARATORS:
            fail(f"comparator: one of {', '.join(COMPARATORS)}, got {v!r}")
        return str(v)
    if key == "year":
        if not re.fullmatch(r"(19|20)\d\d", str(v)):
            fail(f"year: expected a year such as 2024, got {v!r}")
        return int(str(v))
    if key in ("unit", "sentence"):
        if not str(v).strip():
            fail(f"{key}: empty")
        return str(v).strip()
    if key == "indicator":
        s = str(v).strip()
        if not (re.fullmatch(r"[a-z0-9-]+", s) or re.match(r"https?://\S+$", s)):
            fail(f"indicator: a concept of the indicator scheme (gdp-growth) or its IRI, got {v!r}")
        return s
    if key == "place":
        s = str(v).strip()
        if not re.fullmatch(r"[a-z0-9-]+|\d{6}|CN", s):
            fail(f"place: a place's slug (quanzhou) or its six-digit division code, got {v!r}")
        return s
    if key == "source":
        return str(v).strip()
    return v
