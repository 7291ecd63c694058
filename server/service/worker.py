"""A query worker process: opens the store read-only, runs one query at a time, serialises at
most max_rows results. The parent kills the process when a query runs past its timeout, which
is the only way to really stop the engine's work.

Before opening the store the worker tries to move into an empty network namespace, so that no
query can reach the network even if it got past the SERVICE check (best effort: it needs root or
unprivileged user namespaces; the result is reported to the parent).
"""

from __future__ import annotations

import csv
import ctypes
import io
import json
import os
import pickle
import re
from json.encoder import encode_basestring as _str     # a JSON string, non-ASCII kept (ensure_ascii=False)

import pyoxigraph as ox

from .sparqlhelp import PREFIXES as PREDECLARED, explain
from .sparqltext import unescape

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PREFIXES = {"ptkg": "https://w3id.org/ptkg/ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
            "dcterms": "http://purl.org/dc/terms/", "schema": "https://schema.org/",
            "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
            "xsd": "http://www.w3.org/2001/XMLSchema#"}
RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "rdfxml": ox.RdfFormat.RDF_XML}


def escape(text: str) -> str:
    """&, < and > as XML entities (xml.sax.saxutils.escape, without importing urllib and ssl with it)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An XML attribute value, escaped and quoted (as xml.sax.saxutils.quoteattr)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else '"' + text.replace('"', "&quot;") + '"'


def isolate_network() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        clone_newnet, clone_newuser = 0x40000000, 0x10000000
        return libc.unshare(clone_newnet) == 0 or libc.unshare(clone_newuser | clone_newnet) == 0
    except (OSError, AttributeError):
        return False


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _json_text(t) -> str:
    """_json_term(t) as JSON text, written directly: the same bytes json.dumps gives (compact,
    UTF-8 unescaped), in half the time (a lookup's answer is mostly this)."""
    kind = type(t)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + _str(t.value) + "}"
    if kind is ox.Literal:
        if t.language:
            return '{"type":"literal","value":' + _str(t.value) + ',"xml:lang":' + _str(t.language) + "}"
        if t.datatype.value != XSD_STRING:
            return '{"type":"literal","value":' + _str(t.value) + ',"datatype":' + _str(t.datatype.value) + "}"
        return '{"type":"literal","value":' + _str(t.value) + "}"
    if kind is ox.BlankNode:
        return '{"type":"bnode","value":' + _str(t.value) + "}"
    return json.dumps(_json_term(t), ensure_ascii=False, separators=(",", ":"))      # a triple term


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _csv_term(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return safe_cell(t.value)
    return str(t)


def safe_cell(v: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab or
    a carriage return) gets a leading apostrophe; numbers stay numbers (OWASP, CSV injection)."""
    if v[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[-+]?\d+(\.\d+)?", v):
        return "'" + v
    return v


NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _not_xml(terms) -> str | None:
    """The first character of these terms that XML 1.0 cannot carry, as U+XXXX; None when all can."""
    for t in terms:
        if t is None:
            continue
        if isinstance(t, ox.Triple):
            found = _not_xml((t.subject, t.predicate, t.object))
        else:
            m = NOT_XML.search(t.value) or (NOT_XML.search(t.language) if isinstance(t, ox.Literal) and t.language else None)
            found = f"U+{ord(m.group(0)):04X}" if m else None
        if found:
            return found
    return None


def serialize_solutions(variables: list[str], rows: list[list], fmt: str) -> bytes:
    if fmt == "json":
        names = [_str(v) + ":" for v in variables]
        bindings = ",".join("{" + ",".join(n + _json_text(t) for n, t in zip(names, row) if t is not None) + "}"
                            for row in rows)
        return ('{"head":{"vars":[' + ",".join(map(_str, variables)) + ']},"results":{"bindings":['
                + bindings + "]}}").encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row) if t is not None]
            out.append("</result>")
        out.append("</results></sparql>")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_term(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>").encode()
    if fmt in ("csv", "tsv"):
        return ("true\n" if value else "false\n").encode()
    raise ValueError(fmt)


UNKNOWN_FUNCTION = re.compile(r"custom function <([^>]+)> is not supported")


def _unbound(*_args):
    return None


def execute(store: ox.Store, job: dict) -> tuple:
    """Run the job. An extension function the engine does not know is, as SPARQL 1.1 §17.3
    says of any function error, an error that leaves the expression unbound: such functions are
    registered as returning nothing and the query is run again."""
    functions: dict = {}
    for _ in range(16):
        out = _execute(store, job, functions)
        m = out[0] == "retry" and UNKNOWN_FUNCTION.search(out[1])
        if not m:
            return out if out[0] != "retry" else ("error", 400, f"the query could not be evaluated: {out[1]}")
        functions[ox.NamedNode(m.group(1))] = _unbound
    return "error", 400, "the query uses too many unknown extension functions"


def _execute(store: ox.Store, job: dict, functions: dict) -> tuple:
    kwargs: dict = {"prefixes": PREDECLARED}        # a query's own PREFIX wins over these
    if functions:
        kwargs["custom_functions"] = functions
    if job.get("base_iri"):
        kwargs["base_iri"] = job["base_iri"]
    if job["default_graphs"]:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
    elif job.get("union"):
        kwargs["use_default_graph_as_union"] = True
    if job["named_graphs"]:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    cap = job["max_rows"]
    try:
        result = store.query(job["query"], **kwargs)
        if isinstance(result, ox.QueryBoolean):
            return "ok", "boolean", job["results_format"], serialize_boolean(bool(result), job["results_format"]), False, 1
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for sol in result:
                if len(rows) == cap:
                    if job["results_format"] == "xml" and (bad := _not_xml(t for row in rows for t in row)):
                        return "error", 406, (f"the results hold a character XML 1.0 cannot carry ({bad}); ask for "
                                              "application/sparql-results+json, text/csv or text/tab-separated-values")
                    return ("ok", "results", job["results_format"],
                            serialize_solutions(variables, rows, job["results_format"]), True, len(rows))
                rows.append(tuple(sol))         # the values in the order of the variables, None where unbound
            if job["results_format"] == "xml" and (bad := _not_xml(t for row in rows for t in row)):
                return "error", 406, (f"the results hold a character XML 1.0 cannot carry ({bad}); ask for "
                                      "application/sparql-results+json, text/csv or text/tab-separated-values")
            return "ok", "results", job["results_format"], serialize_solutions(variables, rows, job["results_format"]), False, len(rows)
        triples = []
        for t in result:
            if len(triples) == cap:
                break
            triples.append(t)
        truncated = len(triples) == cap and next(iter(result), None) is not None
        fmt = RDF_FORMATS[job["graph_format"]]
        if fmt in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML) and any(
                isinstance(x, ox.Triple) for t in triples for x in (t.subject, t.object)):
            return "error", 406, ("the result holds triple terms (RDF-star), which JSON-LD and RDF/XML cannot carry; "
                                  "ask for text/turtle or application/n-triples")
        if fmt == ox.RdfFormat.RDF_XML and (bad := _not_xml(x for t in triples for x in (t.subject, t.predicate, t.object))):
            return "error", 406, (f"the result holds a character XML 1.0 cannot carry ({bad}); ask for text/turtle, "
                                  "application/n-triples or application/ld+json")
        body = ox.serialize(triples, format=fmt, **({"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {})) if triples else b""
        return "ok", "graph", job["graph_format"], body or b"", truncated, len(triples)
    except SyntaxError as e:
        return "error", 400, explain(job["query"], str(e))
    except RuntimeError as e:
        return "retry", str(e)
    except (ValueError, TypeError) as e:
        return "error", 400, f"the query could not be evaluated: {e}"
    except OSError as e:
        if outbound(job["query"]):
            # a SERVICE call that was refused (no network in this worker) or failed: the query's doing
            return "error", 400, f"the query's SERVICE call failed ({e}): this endpoint does not reach other hosts"
        return "error", 500, f"the store failed: {e}"


def outbound(query: str) -> bool:
    """Whether the query text has the word SERVICE on either reading of its \\u escapes (a read-only
    store fails with OSError only on I/O; a query that calls out fails with one too)."""
    return "service" in query.lower() or "service" in unescape(query).lower()


def _address_space() -> int:
    """This process's virtual memory in bytes (/proc/self/status VmSize), 0 where unknown."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def bound_memory(allowance: int) -> bool:
    """Let this process grow by at most ALLOWANCE bytes beyond what it uses now (RLIMIT_AS):
    a query that needs more fails its allocation and ends the worker, which the parent reports
    as a 503 and replaces. Returns whether the bound took effect."""
    if allowance <= 0:
        return False
    try:
        import resource
        now = _address_space()
        if not now:
            return False
        resource.setrlimit(resource.RLIMIT_AS, (now + allowance, now + allowance))
        return True
    except (ImportError, ValueError, OSError):
        return False


def boot(argv: list[str]) -> None:
    """The entry point of a worker process started by server/service/engine.py: the descriptor of
    its end of the socket pair, the store, whether to isolate the network, the memory bound."""
    from multiprocessing.connection import Connection
    fd, store_path, isolate, memory = argv
    main(Connection(int(fd)), store_path, isolate == "1", int(memory))


def main(conn, store_path: str, isolate: bool, memory: int = 0) -> None:
    isolated = isolate_network() if isolate else False
    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        conn.send(("dead", f"cannot open the store: {e}"))
        return
    bound_memory(memory)
    conn.send(("ready", isolated, os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        # plain pickle, as the parent reads it (Connection.send's ForkingPickler copies the copyreg
        # table for every message)
        conn.send_bytes(pickle.dumps(execute(store, job), pickle.HIGHEST_PROTOCOL))
