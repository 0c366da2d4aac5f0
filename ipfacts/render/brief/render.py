"""Render a BriefContext with Jinja2 templates: Markdown and HTML (pdf.py prints the HTML).

Safety: templates run in Jinja's sandbox; HTML autoescapes every value; Markdown
escapes every value by default too (a `finalize` hook), so a note or quote can
never inject markup.
"""

from __future__ import annotations

import os
import re
import traceback
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

import ipfacts
from ipfacts.infra.safefiles import UnsafeFile, inside, read_regular, real_path
from ipfacts.render.brief.assemble import BriefContext
from ipfacts.render.brief.charts import chart_svg
from ipfacts.render.brief.errors import RenderError
from ipfacts.render.brief.pdf import PrintJob

TEMPLATE_NAMES = {"md": "brief.md.j2", "html": "brief.html.j2", "pdf": "brief.html.j2"}


# --- templates -----------------------------------------------------------------------------------------


def shipped_template_dirs(root: Path | None = None) -> list[Path]:
    """Where the shipped templates are: the package data folder `ipfacts/templates/`, the one lookup.

    The templates are written in the repository's top-level `templates/`; the wheel carries them as
    package data, and in a checkout `ipfacts/templates/brief.*.j2` are links to them, so an installed
    ipfacts and a checkout read the same files the same way. A fact base with templates of its own
    passes them with `--template` (`root` is accepted for callers that still pass it, and unused).
    """
    folder = Path(str(files(ipfacts) / "templates"))
    return [folder] if folder.is_dir() else []


def package_template_dirs() -> list[Path]:
    """The package's own template folders (trusted: they may attach files to a PDF)."""
    package = Path(ipfacts.__file__).resolve().parent
    return [d for d in (package.parent / "templates", package / "templates") if d.is_dir()]


@dataclass
class TemplateChoice:
    name: str
    folders: list[Path]  # search path: the user's template folder first, then the shipped ones
    own: bool = False  # the package's own template: trusted with PDF attachments and the output folder

    @property
    def folder(self) -> Path:
        return self.folders[0]


def choose_template(fmt: str, root: Path | None = None, user_template: Path | None = None) -> TemplateChoice:
    shipped = shipped_template_dirs(root)
    package = package_template_dirs()
    if user_template is not None:
        path = real_path(user_template)
        if not path.exists():
            raise RenderError(f"template {user_template} does not exist")
        try:
            read_regular(path, TEMPLATE_MAX_BYTES)
        except UnsafeFile as exc:
            raise RenderError(f"template {user_template} {exc.message}") from exc
        # its own folder, then the package's templates (to extend or include them); never ROOT/templates
        return TemplateChoice(path.name, [path.parent, *[d for d in package if d != path.parent]])
    name = TEMPLATE_NAMES[fmt]
    for folder in shipped:
        if (folder / name).is_file():
            return TemplateChoice(name, [folder, *[d for d in shipped if d != folder]], own=folder in package)
    raise RenderError(f"the shipped template {name} is missing (looked in: "
                      f"{', '.join(str(d) for d in shipped) or 'no templates/ folder found'})")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LEADING = re.compile(r"^(\s*)([#+=-]+)(?=\s|$)|^(\s*[0-9]+)([.)])(?=\s|$)")


def _lead_escape(m: re.Match[str]) -> str:
    return f"{m.group(1)}\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"


def md_escape(value: object) -> Markup:
    """Text made inert in Markdown: specials backslash-escaped, HTML brackets as entities, one line."""
    if isinstance(value, Markup):
        return value
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\s*[\r\n]+\s*", " ", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup(_MD_LEADING.sub(_lead_escape, text, count=1))


def _md_finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return md_escape(value)


TEMPLATE_MAX_BYTES = 4 * 1024 * 1024


class FolderLoader(jinja2.BaseLoader):
    """Templates from these folders only: each a regular file inside the folder it is found in, links that
    leave it refused (FileSystemLoader follows a link anywhere, e.g. `logo.txt -> /etc/passwd`)."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [real_path(f) for f in folders]
        # the package's own folders are one: in a checkout ipfacts/templates/*.j2 link to the top-level templates/
        self.package = [real_path(f) for f in package_template_dirs()]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        pieces = split_template_path(template)  # refuses `..`
        for folder in self.folders:
            candidate = folder.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            try:
                if folder in self.package:
                    resolved = real_path(candidate)
                    if not any(inside(resolved, own) for own in self.package):
                        raise UnsafeFile("L020", f"is a link to {resolved}, outside the package's template folders")
                    data = read_regular(resolved, TEMPLATE_MAX_BYTES)
                else:
                    data = read_regular(candidate, TEMPLATE_MAX_BYTES, root=folder, within=f"its folder {folder}")
            except UnsafeFile as exc:
                raise RenderError(f"template {template} ({candidate}) {exc.message}") from exc
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RenderError(f"template {candidate} is not UTF-8 text") from exc
            return text, str(candidate), lambda: True
        raise jinja2.TemplateNotFound(template)


def environment(fmt: str, folders: list[Path]) -> jinja2.Environment:
    common: dict[str, Any] = {
        "loader": FolderLoader(folders),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if fmt == "md":
        env: jinja2.Environment = ImmutableSandboxedEnvironment(autoescape=False, finalize=_md_finalize, **common)
    else:
        env = ImmutableSandboxedEnvironment(autoescape=True, **common)
    env.filters["md"] = md_escape
    return env


def _md_fn(brief: BriefContext) -> Any:
    def fn(numbers: list[int]) -> Markup:
        """Citation marks: `[^3][^4]` in Markdown."""
        return Markup("".join(f"[^{int(n)}]" for n in numbers))

    return fn


def _html_fn(brief: BriefContext) -> Any:
    def fn(numbers: list[int]) -> Markup:
        """Citation marks: raised links to the citations list (`#fn-3`), the quote on hover, one element per mark.

        Not `<sup><a>…</a></sup>`: in a PDF every inline element costs WeasyPrint layout time, and a brief
        carries many marks; `a.fn` is raised by the stylesheet instead.
        """
        # bracketed, after a no-break space: copied from a PDF, a mark never fuses with the figure (71,425 [1],
        # not 71,4251)
        return Markup("").join(
            Markup('<a class="fn" href="#fn-{}" title="{}">{}[{}]</a>').format(
                int(n), brief.citation(int(n)).text, "" if k else "\u00a0", int(n))
            for k, n in enumerate(numbers))

    return fn


def _marks(figure: Any, t: Any) -> str:
    if getattr(figure, "inferred", False):
        return t.inferred
    if getattr(figure, "derived", False) or getattr(figure, "basis", None) == "derived":
        return t.derived
    return ""


def _marked(figure: Any) -> list[int]:
    """The citation marks a figure carries in a table: its own. A per-10,000 figure derived from a total and
    a population carries none — the total stands beside it with its mark, and the population, with its
    citations, in the list of populations used (the brief's JSON keeps every citation of each figure)."""
    if getattr(figure, "basis", None) == "derived" and getattr(figure, "population", None) is not None:
        return []
    return list(figure.citations)


def _md_fig(brief: BriefContext) -> Any:
    fn = _md_fn(brief)

    def fig(figure: Any, missing: str | None = None) -> Markup:
        """A figure as shown: its text, a derived/inferred mark, and its citation marks."""
        if figure is None:
            return md_escape(brief.t.not_reported if missing is None else missing)
        mark = _marks(figure, brief.t)
        shown = md_escape(figure.text) + (Markup(" *") + md_escape(f"({mark})") + Markup("*") if mark else Markup(""))
        return shown + fn(_marked(figure))

    return fig


def _html_fig(brief: BriefContext) -> Any:
    fn = _html_fn(brief)

    def fig(figure: Any, missing: str | None = None) -> Markup:
        if figure is None:  # plain text: a table has many empty cells, and each element costs PDF layout time
            return Markup("{}").format(brief.t.not_reported if missing is None else missing)
        mark = _marks(figure, brief.t)
        extra = Markup(' <span class="derived">({})</span>').format(mark) if mark else Markup("")
        return Markup("{}{}{}").format(figure.text, extra, fn(_marked(figure)))

    return fig


def render_text(brief: BriefContext, fmt: str, choice: TemplateChoice, **extra: Any) -> str:
    env = environment(fmt, choice.folders)
    helpers = {"fn": _md_fn(brief), "fig": _md_fig(brief)} if fmt == "md" else {"fn": _html_fn(brief),
                                                                                 "fig": _html_fig(brief)}
    try:
        template = env.get_template(choice.name)
        return template.render(brief=brief, t=brief.t, format=fmt, **helpers, **extra)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name} not found in {', '.join(str(f) for f in choice.folders)}") from exc
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{choice.folder / choice.name}: {exc.message} (see docs/templates.md for the context)") \
            from exc
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(f"{choice.folder / choice.name}: not allowed in a template: {exc}") from exc
    except RenderError:
        raise
    except RecursionError as exc:
        raise RenderError(f"{_template_place(exc, choice)}: the template includes or calls itself without end") \
            from exc
    except Exception as exc:  # noqa: BLE001 - whatever a template does while rendering ({{ 1/0 }}) is its error
        raise RenderError(f"{_template_place(exc, choice)}: the template failed while rendering: "
                          f"{type(exc).__name__}: {exc}") from exc


def _template_place(exc: BaseException, choice: TemplateChoice) -> str:
    """template:line of the innermost template frame in the traceback (Jinja maps its frames to template lines)."""
    place = str(choice.folder / choice.name)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith((".j2", ".jinja", ".jinja2", ".html", ".md", ".txt")) or filename == "<template>":
            place = f"{filename}:{line}"
    return place


@dataclass
class Rendered:
    text: str
    charts: dict[str, str] = field(default_factory=dict)  # file name → SVG, to write beside a .md


def render_markdown(brief: BriefContext, choice: TemplateChoice, chart_prefix: str | None) -> Rendered:
    """Markdown; with `chart_prefix` (the output's stem) every chart becomes `<prefix>-NN-metric.svg` beside it.
    Without one (standard output) the brief says that its charts were left out, and how to get them."""
    charts: dict[str, str] = {}
    links: dict[str, str] = {}
    if chart_prefix is not None:
        for chart in brief.charts:
            name = f"{chart_prefix}-{chart.filename}"
            charts[name] = chart_svg(chart, brief.t.chart_per10k)
            links[chart.metric] = name
    note = brief.t.charts_stdout if brief.charts and chart_prefix is None else ""
    return Rendered(render_text(brief, "md", choice, chart_files=links, charts_note=note), charts)


def render_html(brief: BriefContext, choice: TemplateChoice, media: str = "screen") -> str:
    # our own SVG: every label in it is escaped
    svgs = {c.metric: Markup(chart_svg(c, brief.t.chart_per10k)) for c in brief.charts}
    return render_text(brief, "html", choice, charts=svgs, media=media)


def print_job(brief: BriefContext, choice: TemplateChoice, output_dir: Path) -> PrintJob:
    """The brief as WeasyPrint will print it: HTML for print media, and the folders it may read files from."""
    allowed = [*choice.folders, output_dir] if choice.own else list(choice.folders)
    return PrintJob(render_html(brief, choice, media="print"), choice.folder.as_uri() + "/", allowed,
                    attachments=choice.own)
