"""Curate: tools that help a curator write facts — scaffold drafts, locate, coverage."""
