"""Loading checklist templates: files (or a published text) to validated Templates, and the
rules between templates.

Templates are edited by hand at headquarters, so the loader reports every problem in a file at
once, each naming the file, line and item, rather than stopping at the first. The file format
is documented in the comment header of each file in inspector_app/resources/templates/. The
model is in domain.template; reading the YAML is template_yaml's, checking it
template_validation's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from inspector_app import resources
from inspector_app.domain.template import Template, TemplateError, TemplateValidationError
from inspector_app.domain.template_validation import TemplateReader
from inspector_app.domain.template_yaml import LineLoader


def default_template_dir() -> Path:
    return resources.templates_dir()


def previous_template_dir() -> Path:
    """Earlier versions of the shipped templates, one file each (previous/<code>@<version>.yaml),
    kept so a visit filled with one still opens after the template changed."""
    return default_template_dir() / "previous"


# --- loading -------------------------------------------------------------------------------


def _read(path: Path) -> tuple[Template | None, list[TemplateError]]:
    try:
        # utf-8-sig: Windows editors often prepend a byte-order mark.
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [TemplateError(str(path), None, None, "file not found")]
    except UnicodeDecodeError:
        problem = "file is not UTF-8 text; save it again choosing the UTF-8 encoding"
        return None, [TemplateError(str(path), None, None, problem)]
    except OSError as exc:
        return None, [TemplateError(str(path), None, None, f"cannot read file: {exc.strerror}")]
    return _parse(path, source)


def _parse(path: Path, source: str) -> tuple[Template | None, list[TemplateError]]:
    reader = TemplateReader(path)
    try:
        # LineLoader is a SafeLoader: no arbitrary Python objects from a template.
        doc = yaml.load(source, Loader=LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        if "flow" in problem:
            problem += " (inside { } or [ ], put a text containing , : ? # [ ] { } in quotes)"
        return None, [TemplateError(str(path), line, None, f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [TemplateError(str(path), None, None, f"YAML syntax error: {exc}")]
    if doc is None:
        return None, [TemplateError(str(path), None, None, "the file is empty")]
    template = reader.template(doc)
    reader.errors.sort(key=lambda e: e.line or 0)
    return template, reader.errors


def load_template(path: Path) -> Template:
    """Load and validate one template file; raise TemplateValidationError listing every problem."""
    template, errors = _read(path)
    if errors or template is None:
        raise TemplateValidationError(errors)
    return template


def load_template_text(source: str, name: Path) -> Template:
    """load_template on a template's text (e.g. one published by headquarters); ``name`` is
    what error messages call it. Raises TemplateValidationError listing every problem."""
    template, errors = _parse(name, source.removeprefix("\ufeff"))
    if errors or template is None:
        raise TemplateValidationError(errors)
    return template


def cross_check(templates: list[Template]) -> list[TemplateError]:
    """The rules between templates (codes of templates, sections and items used once)."""
    return _cross_check(templates)


def _cross_check(templates: list[Template]) -> list[TemplateError]:
    """Codes must be unique across templates too, since a visit combines several of them."""
    errors: list[TemplateError] = []
    codes: dict[str, Template] = {}
    sections: dict[str, Template] = {}
    items: dict[str, Template] = {}
    for t in templates:
        file = str(t.path)
        if t.code in codes:
            problem = f"template code {t.code!r} is also used by {_name(codes[t.code])}"
            errors.append(TemplateError(file, None, None, problem))
        codes.setdefault(t.code, t)
        for section in t.sections:
            if section.code in sections:
                problem = (
                    f"section code {section.code!r} is also used by {_name(sections[section.code])}"
                )
                errors.append(TemplateError(file, None, None, problem))
            sections.setdefault(section.code, t)
            for item in section.items:
                if item.code in items:
                    problem = f"item code is also used by {_name(items[item.code])}"
                    errors.append(TemplateError(file, item.line, item.code, problem))
                items.setdefault(item.code, t)
    return errors


def _name(template: Template) -> str:
    return template.path.name if template.path else template.code


def _template_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return files


def _load_all(paths: Iterable[Path]) -> tuple[list[Template], list[TemplateError]]:
    templates: list[Template] = []
    errors: list[TemplateError] = []
    for path in _template_files(paths):
        template, file_errors = _read(path)
        errors.extend(file_errors)
        if template is not None:
            templates.append(template)
    return templates, errors + _cross_check(templates)


def load_template_dir(directory: Path) -> dict[str, Template]:
    """Load every *.yaml in a directory, keyed by template code; all problems raised together."""
    if not directory.is_dir():
        raise TemplateValidationError(
            [TemplateError(str(directory), None, None, "not a directory")]
        )
    templates, errors = _load_all([directory])
    if errors:
        raise TemplateValidationError(errors)
    return {t.code: t for t in templates}


def check_template_files(paths: list[Path]) -> list[TemplateError]:
    """Every problem in the given files (directories: their *.yaml; none: the default dir)."""
    return _load_all(paths or [default_template_dir()])[1]


def load_shipped_templates(directory: Path | None = None) -> tuple[Template, ...]:
    """The current templates of `directory` (default: the shipped ones, checked together) and
    their earlier versions from its previous/ folder (each checked on its own: they repeat the
    current ones' codes by nature), earlier versions first. Raises TemplateValidationError."""
    directory = default_template_dir() if directory is None else directory
    templates, errors = _load_all([directory])
    earlier, earlier_errors = _load_previous(directory / "previous", templates)
    if errors or earlier_errors:
        raise TemplateValidationError(errors + earlier_errors)
    return (*earlier, *templates)


def check_shipped_templates(directory: Path | None = None) -> tuple[int, list[TemplateError]]:
    """(files checked, problems) for the shipped templates and their previous/ versions."""
    directory = default_template_dir() if directory is None else directory
    templates, errors = _load_all([directory])
    previous = directory / "previous"
    earlier_errors = _load_previous(previous, templates)[1]
    files = len(_template_files([directory])) + len(_template_files([previous]))
    return files, errors + earlier_errors


def _load_previous(
    folder: Path, current: list[Template]
) -> tuple[list[Template], list[TemplateError]]:
    if not folder.is_dir():
        return [], []
    newest = {t.code: t.version for t in current}
    templates: list[Template] = []
    errors: list[TemplateError] = []
    for path in _template_files([folder]):
        template, file_errors = _read(path)
        errors.extend(file_errors)
        if template is None:
            continue
        if path.stem != template.ref:
            errors.append(TemplateError(str(path), None, None, f"holds {template.ref}; name the "
                                        f"file {template.ref}.yaml"))
        elif template.version >= newest.get(template.code, template.version + 1):
            errors.append(TemplateError(str(path), None, None, f"{template.ref} is not older than "
                                        f"the current {template.code}@{newest[template.code]}"))
        else:
            templates.append(template)
    templates.sort(key=lambda t: (t.code, t.version))
    return templates, errors
