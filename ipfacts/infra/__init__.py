"""Infrastructure kept apart from the domain: atomic writes, caches, fork helpers, GC pauses."""
