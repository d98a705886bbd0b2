"""Every schema in the OpenAPI document has a name of its own: two classes with one name would
share one entry in `components/schemas`, and the later would describe the other's endpoints
(the network's programmes were documented with the grants' programme schema)."""

import typing
from collections import defaultdict

from pydantic import BaseModel

from safecities.api.api import api


def _models_in(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


def schema_classes() -> set[type[BaseModel]]:
    """The pydantic classes the API's operations answer with or take, nested ones included."""
    found: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.response_models or {}).values():
                    _models_in(model, found)
                for model in operation.models:
                    _models_in(model, found)
    # The wrappers django-ninja makes around a response or a body are not in the document.
    return {m for m in found if m.__module__.startswith(("safecities.", "ninja.pagination"))}


def test_no_two_schema_classes_share_a_name():
    by_name = defaultdict(set)
    for model in schema_classes():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert not clashes, f"name these schemas apart: {clashes}"


def test_the_walk_sees_the_apis_schemas():
    names = {model.__name__ for model in schema_classes()}
    assert {"EventOut", "PracticeOut", "PlanOut"} <= names, sorted(names)


def test_each_schema_in_the_document_describes_its_own_class():
    """With a name shared, the document's entry holds the fields of only one of the classes."""
    components = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]
    described = 0
    for model in schema_classes():
        entry = components.get(model.__name__)
        if entry is None or not model.__module__.startswith("safecities."):
            continue  # query parameters are not components
        fields = {field.alias or name for name, field in model.model_fields.items()}
        assert set(entry.get("properties", {})) == fields, model.__qualname__
        described += 1
    assert described > 20
