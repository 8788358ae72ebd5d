"""How winwin's templates and assets reach a page without any `custom_dir`.

The package's own `theme/` folder is put on the theme's search path right
after the site's `custom_dir` (so a site's own copy of any winwin template
wins) and before Material's. Stylesheets and scripts are added to
`extra_css`/`extra_javascript`; head tags are inserted before `</head>` after
the page is rendered, so a site that overrides `main.html` keeps them.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError

THEME_DIR = str(Path(__file__).resolve().parent.parent / "theme")
STYLES = (
    "assets/stylesheets/winwin-prompts.css",
    "assets/stylesheets/winwin-reading-list.css",
    "assets/stylesheets/winwin-a11y.css",
)
SCRIPTS = ("assets/javascripts/winwin.js", "assets/javascripts/winwin-a11y.js")


def install(config) -> None:
    """Put the package theme on the search path and its assets on every page (idempotent)."""
    dirs = config.theme.dirs
    if THEME_DIR not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)
    for path in STYLES:
        if path not in config.extra_css:
            config.extra_css.append(path)
    present = {str(s) for s in config.extra_javascript}
    for path in SCRIPTS:
        if path not in present:
            script = ExtraScriptValue(path)
            script.defer = True
            config.extra_javascript.append(script)


def page_templates(config) -> frozenset[str]:
    """The names a page's `template:` may give: the .html files at the top of every theme folder."""
    names = set()
    for folder in [*config.theme.dirs, THEME_DIR]:
        if os.path.isdir(folder):
            names.update(n for n in os.listdir(folder) if n.endswith(".html"))
    return frozenset(names)


def render(env: jinja2.Environment, template: str, context) -> str:
    """A winwin template from the theme's environment, or one clear sentence if it is missing."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateNotFound as exc:
        raise PluginError(
            f"winwin: the template '{exc.name}' was not found in the theme. Fix: reinstall "
            "mkdocs-winwin, or copy it from the package's theme/ folder into your custom_dir."
        ) from None


def into_head(output: str, fragment: str) -> str:
    """The page with `fragment` inserted just before `</head>`."""
    if not fragment.strip():
        return output
    at = output.find("</head>")
    return output if at < 0 else output[:at] + fragment + output[at:]


def feeds_head(env: jinja2.Environment | None, links: list[dict[str, str]], context) -> str:
    """The <link rel="alternate"> tags announcing `links` (relative hrefs, through the `url` filter)."""
    if env is None or not links:
        return ""
    return render(env, "partials/winwin/feeds-head.html", {**context, "winwin_feeds": links})
