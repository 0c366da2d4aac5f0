"""Why a brief could not be made; each message says what to do. A module of its own, light to import:
the command line names these before anything heavy is loaded."""


class BriefError(Exception):
    """The brief cannot be made as asked (unknown city, peer or period)."""


class RenderError(Exception):
    """The brief cannot be rendered (template error, missing font)."""


class FontMissing(RenderError):
    """No installed font can draw the brief's Chinese text: the PDF would show empty boxes."""
