"""Load: YAML nodes with file:line, the fact-file schema, values as written (numbers, units, intervals) and the loader that resolves references into a FactBase."""
