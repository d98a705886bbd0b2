"""The code's own rules, read off the source: each is a test that names the module at fault.

- every status field has a workflow table, and a status is set only by it;
- no template compares a status as a string: it asks a predicate;
- no page catches a service's refusal itself: `core.refusals` does, once;
- every service and selector is keyword-only after its first argument, with no `**data`;
- no module over 600 lines (migrations and the demo's data files excepted).
"""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django.apps import apps

import safecities
from safecities.core.states import Workflow

SRC = Path(safecities.__file__).parent
APPS = sorted(
    p.name for p in SRC.iterdir() if (p / "apps.py").exists() or (p / "models.py").exists()
)


def _py_files(exclude_demo: bool = False) -> list[Path]:
    files = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "migrations" in rel.parts:
            continue
        if exclude_demo and rel.parts[0] == "demo":
            continue
        files.append(path)
    return files


def _rel(path: Path) -> str:
    return str(path.relative_to(SRC))


def _load_states() -> None:
    for app in APPS:
        try:
            importlib.import_module(f"safecities.{app}.states")
        except ModuleNotFoundError as error:
            if error.name != f"safecities.{app}.states":
                raise


def _status_fields() -> list[tuple[type, str]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("safecities."):
            continue
        for field in model._meta.get_fields():
            named = getattr(field, "choices", None) and field.name.endswith("status")
            if named and field.model is model:
                found.append((model, field.name))
    return found


@pytest.mark.parametrize(
    "model, field",
    _status_fields(),
    ids=lambda v: v.__name__ if isinstance(v, type) else v,
)
def test_every_status_field_has_a_workflow(model, field):
    _load_states()
    assert (model, field) in Workflow.registry, (
        f"{model.__module__}.{model.__name__}.{field} has no Workflow in its app's states.py"
    )


STATUS_SET = re.compile(r"\.\w*status\s*=(?!=)|\.update\([^)]*\b\w*status\s*=")


@pytest.mark.parametrize("path", _py_files(exclude_demo=True), ids=_rel)
def test_a_status_is_set_only_by_its_workflow(path):
    if path.name.endswith("states.py") or path.parent.name == "states":
        return
    lines = [
        f"{_rel(path)}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if STATUS_SET.search(line) and not line.lstrip().startswith("#")
    ]
    assert not lines, "a status set by hand, not by its workflow:\n" + "\n".join(lines)


TEMPLATE_STATUS = re.compile(r"\{%[^%]*\bstatus\w*\s*(==|!=|\bin\b|\bnot in\b)[^%]*%\}")


@pytest.mark.parametrize(
    "path", sorted(SRC.glob("*/templates/**/*.html")), ids=lambda p: str(p.relative_to(SRC))
)
def test_no_template_compares_a_status(path):
    found = [
        f"{path.relative_to(SRC)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"
        for text in [path.read_text()]
        for match in TEMPLATE_STATUS.finditer(text)
    ]
    assert not found, "a template compares a status; ask a predicate instead:\n" + "\n".join(found)


def _view_files() -> list[Path]:
    return [
        p
        for p in _py_files()
        if p.name in {"views.py", "account_views.py"} or "views" in p.relative_to(SRC).parts[:-1]
    ]


@pytest.mark.parametrize("path", _view_files(), ids=_rel)
def test_no_view_catches_a_refusal_itself(path):
    text = path.read_text()
    found = [
        f"{_rel(path)}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if re.search(r"except\s*\(?[\w., ]*(DomainError|InvalidInput|NotAllowed)", line)
    ]
    assert not found, "use core.refusals instead:\n" + "\n".join(found)


def _contract_modules() -> list[str]:
    names = []
    for app in APPS:
        for kind in ("services", "selectors"):
            name = f"safecities.{app}.{kind}"
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name == name:
                    continue
                raise
            names.append(name)
            if hasattr(module, "__path__"):
                names += [
                    info.name for info in pkgutil.walk_packages(module.__path__, prefix=f"{name}.")
                ]
    return names


@pytest.mark.parametrize("name", _contract_modules())
def test_services_and_selectors_are_keyword_only(name):
    module = importlib.import_module(name)
    wrong = []
    for attr, function in vars(module).items():
        if attr.startswith("_") or not inspect.isfunction(function):
            continue
        if function.__module__ != name:
            continue
        parameters = list(inspect.signature(function).parameters.values())
        for index, parameter in enumerate(parameters):
            if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
                wrong.append(f"{attr}: takes {parameter}")
            elif index > 0 and parameter.kind != parameter.KEYWORD_ONLY:
                wrong.append(f"{attr}: `{parameter.name}` is not keyword-only")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


DEMO_DATA = re.compile(r"^demo/\w+_data\.py$")


@pytest.mark.parametrize("path", _py_files(), ids=_rel)
def test_no_module_over_600_lines(path):
    if DEMO_DATA.match(_rel(path)):
        return
    count = len(path.read_text().splitlines())
    assert count <= 600, f"{_rel(path)} has {count} lines: cut it by concern"


VIEW_STATUS = re.compile(r"\b\w*status\s*(==|!=|\bnot in\b|\bin\b)")


def _interface_files() -> list[Path]:
    return _view_files() + sorted((SRC / "api").glob("*.py"))


@pytest.mark.parametrize("path", _interface_files(), ids=_rel)
def test_no_page_or_api_compares_a_status(path):
    found = [
        f"{_rel(path)}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if VIEW_STATUS.search(line) and not line.lstrip().startswith("#")
    ]
    assert not found, "a page or the API compares a status; ask a predicate:\n" + "\n".join(found)
