"""Check: citations against the source text and relations (one module per kind in relations/) over a loaded FactBase; yields findings."""
