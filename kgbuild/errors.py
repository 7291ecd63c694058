"""Domain errors. Each carries the CLI exit code it maps to."""

from __future__ import annotations

import errno


class KGError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 2


class InputError(KGError):
    """An input file cannot be read or parsed. The message names the file and the place."""

    def __init__(self, path: str, problem: str, where: str | None = None):
        self.path = path
        self.problem = problem
        self.where = where
        loc = f"{path}: {where}" if where else path          # "a.md: line 3: …", not "a.md:line 3"
        super().__init__(f"{loc}: {problem}")


class ValidationFailed(KGError):
    """The graph does not conform to the SHACL shapes; nothing was published."""

    exit_code = 1

    def __init__(self, report_text: str, problem: str):
        self.report_text = report_text
        super().__init__(f"{problem}; nothing was published")


class ArticlesFailed(KGError):
    """Several articles failed and nothing was published (--strict, or none passed): every one is
    named. The exit status is the first one's (1 shape violations, 2 unreadable)."""

    def __init__(self, failures, why: str):
        self.exit_code = failures[0].exit_code
        self.report_text = "\n".join(f.report_text for f in failures if getattr(f, "report_text", ""))
        lines = "".join(f"\n  {f.error}" for f in failures)
        super().__init__(f"{len(failures)} articles failed ({why}); nothing was published:{lines}")


class QueryError(KGError):
    """A SPARQL query could not be parsed or run."""


class OutputError(KGError):
    """The output (dist/ or the cache beside it) cannot be written: a read-only or full disk, an
    immutable file. What was published before is left as it was."""

    exit_code = 5

    def __init__(self, path: str, e: OSError):
        what = e.strerror or str(e)
        code = f" ({errno.errorcode.get(e.errno, e.errno)})" if e.errno else ""
        super().__init__(f"{e.filename or path}: cannot write: {what}{code}; the published {path} is unchanged")


class BuildBusy(KGError):
    """Another build is publishing to the same output folder."""

    exit_code = 6

    def __init__(self, path: str, holder: str):
        who = f" (pid {holder})" if holder else ""
        super().__init__(f"{path}: another build{who} is publishing to this folder; run again when it has finished")


class CorrectionError(KGError):
    """A corrections file cannot be used: malformed YAML, an entry without a required field, an
    unknown action or a value of the wrong type, or a correction that makes a graph violate the
    shapes. The message names the file and line; nothing is published."""

    exit_code = 7

    def __init__(self, path: str, line: int | None, problem: str):
        self.path = path
        self.line = line
        loc = f"{path}:{line}" if line else path
        super().__init__(f"{loc}: {problem}; nothing was published")
