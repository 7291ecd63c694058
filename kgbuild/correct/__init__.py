"""Stage 5½ — correct: what people decided about the extractor's facts, applied before anything is
published, so dumps, the store, targets.csv, verdicts and pages agree.

load.py   corrections files (YAML, kept under version control) → Correction values with file and line
apply.py  reject / set / confirm on the article graphs (re-validated), link / unlink for the links
          stage; an entry naming an IRI the build does not have is a warning with the nearest IRIs

The article graphs in the cache stay the extractor's: corrections are applied on every build, after
the cache, so a changed corrections file changes exactly the articles and links it names.
"""

from .. import lazy
from .load import Correction, files, load

__getattr__ = lazy.attributes(__name__, {"apply": ".apply", "link_inputs": ".apply"})

__all__ = ["Correction", "apply", "files", "link_inputs", "load"]
