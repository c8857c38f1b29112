"""Shared machinery with no knowledge of specs, themes or rendering: positioned YAML (``yamlsrc``), the
type language that checks it (``types``), suggestions for misspelt names (``suggest``) and the error types
(``errors``). It imports nothing else of the package; everything else may import it."""
