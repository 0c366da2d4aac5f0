"""Review: editors' verdicts on findings (the rules of what is reviewable, stale or open) and source excerpts shown beside them."""
