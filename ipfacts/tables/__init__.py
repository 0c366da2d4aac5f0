"""Statistical tables as sources write them: one reader for every shape a scrape takes
(`reader`), and the arithmetic that tells which column is which (`arith`).

Low in the layers: it imports only `ipfacts.load.numbers`-level code, never check, curate or
render; the loader, the citation checks, the table identities, coverage and scaffold all read
tables through it.
"""
