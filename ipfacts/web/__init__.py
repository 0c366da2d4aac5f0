"""`ipfacts serve`: the review workflow in a browser, over the same files and rules as the command line.

`create_app(root)` (ipfacts.web.app) is the Starlette application; `core` is the one module that talks
to the review core; `live` re-checks the base when its files change; `csrf` signs the forms' tokens.
"""

from __future__ import annotations

from ipfacts.web.app import create_app

__all__ = ["create_app"]
