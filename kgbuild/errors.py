"""Domain errors. Each carries the CLI exit code it maps to."""

from __future__ import annotations


class KGError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 2


class InputError(KGError):
    """An input file cannot be read or parsed. The message names the file and the place."""

    def __init__(self, path: str, problem: str, where: str | None = None):
        self.path = path
        self.problem = problem
        self.where = where
        loc = f"{path}:{where}" if where else path
        super().__init__(f"{loc}: {problem}")


class ValidationFailed(KGError):
    """The graph does not conform to the SHACL shapes; nothing was published."""

    exit_code = 1

    def __init__(self, report_text: str, problem: str):
        self.report_text = report_text
        super().__init__(f"{problem}; nothing was published")


class QueryError(KGError):
    """A SPARQL query could not be parsed or run."""
