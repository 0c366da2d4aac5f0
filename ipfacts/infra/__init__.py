"""Infrastructure kept apart from the domain: atomic writes, the caches and the fingerprint of the code
they are keyed on, the one fork helper (with the one rule for when forking is safe), GC pauses."""
