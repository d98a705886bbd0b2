"""A reader for JSON-stat 2.0, the format the Nordic statistics offices serve tables in.

Why a reader of our own: the PyPI packages for JSON-stat are `pyjstat` (builds pandas
DataFrames: pandas is a large dependency for what is a loop over a flat array), `jsonstat-py`
(last released in 2017, unmaintained) and `jsonstat-validator` (a Pydantic validator, not a
reader). The format itself is small: a flat `value` array in row-major order over the
dimensions listed in `id`, each of `size` categories. This module reads it in ~200 lines with
the checks our imports need, and names the cell at fault in every error.

What is read:
- a `dataset`, or a `collection` (its embedded datasets under `link.item`);
- `id`, `size`, `dimension` with `category.index` as a list or a dict ({code: position}), or
  left out for a single category; `category.label`; `role` (time, geo, metric);
- `value` dense (a list, one per cell) or sparse (a dict keyed by the flat index as text);
- `status` as one string for every cell, a list (one per cell) or a dict keyed by flat index.

Checked: every id has a dimension, `size` agrees with the categories and with `value`, sparse
keys are within range, values are numbers or null.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import product
from math import prod

from django.utils.translation import gettext as _

from safecities.core.errors import DomainError


class JsonStatError(DomainError):
    """The file is not JSON-stat 2.0 we can read; the message names what and where."""


@dataclass
class Dimension:
    id: str
    label: str
    codes: list[str]
    labels: dict[str, str] = field(default_factory=dict)

    def label_of(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass
class Dataset:
    label: str
    id: list[str]
    size: list[int]
    dimensions: dict[str, Dimension]
    role: dict[str, list[str]]
    value: list | dict
    status: str | list | dict | None
    extension: dict = field(default_factory=dict)

    @property
    def cell_count(self) -> int:
        return prod(self.size)

    def role_of(self, role: str) -> list[str]:
        return list(self.role.get(role, []))

    def cell_name(self, codes: dict[str, str] | tuple) -> str:
        """A cell named by its dimension codes: "Region=0301, Tid=2023"."""
        if not isinstance(codes, dict):
            codes = dict(zip(self.id, codes, strict=True))
        return ", ".join(f"{d}={codes[d]}" for d in self.id)

    def codes_at(self, flat_index: int) -> tuple[str, ...]:
        codes = []
        for dim_id, size in zip(reversed(self.id), reversed(self.size), strict=True):
            flat_index, position = divmod(flat_index, size)
            codes.append(self.dimensions[dim_id].codes[position])
        return tuple(reversed(codes))

    def cells(self) -> Iterator[dict]:
        """Every cell as {dimension id: category code, ..., "value": Decimal | None,
        "status": str | None}, in the file's order. A sparse dataset yields only the cells
        it holds."""
        if isinstance(self.value, list):
            indexed = zip(
                range(len(self.value)),
                product(*(self.dimensions[d].codes for d in self.id)),
                self.value,
                strict=True,
            )
        else:
            indexed = (
                (i, self.codes_at(i), v)
                for i, v in sorted(((int(k), v) for k, v in self.value.items()))
            )
        for i, codes, raw in indexed:
            cell = dict(zip(self.id, codes, strict=True))
            cell["value"] = self._number(raw, codes)
            cell["status"] = self._status(i)
            yield cell

    def _number(self, raw, codes) -> Decimal | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raw_ok = False
        else:
            try:
                number = Decimal(str(raw).strip())
                raw_ok = number.is_finite()
            except InvalidOperation:
                raw_ok = False
        if not raw_ok:
            raise JsonStatError(
                _('Cell %(cell)s: the value "%(value)s" is not a number.')
                % {"cell": self.cell_name(codes), "value": raw},
                field="value",
            )
        return number

    def _status(self, flat_index: int) -> str | None:
        status = self.status
        if status is None or isinstance(status, str):
            return status
        if isinstance(status, list):
            if len(status) == 1:  # one status given for every cell, as a list of one
                return status[0]
            return status[flat_index] if flat_index < len(status) else None
        return status.get(str(flat_index))


def loads(data: str | bytes | dict) -> list[Dataset]:
    """The datasets in a JSON-stat 2.0 document: one for a dataset, each embedded one for a
    collection. Raises JsonStatError saying what is wrong."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise JsonStatError(
                _("The file is not JSON: %(error)s") % {"error": exc}, field="file"
            ) from exc
        except RecursionError as exc:
            raise JsonStatError(
                _("The file is nested too deeply to be JSON-stat: it is refused."), field="file"
            ) from exc
    if not isinstance(data, dict):
        raise JsonStatError(_("The file is not a JSON-stat object."), field="file")
    kind = data.get("class")
    if kind == "dataset":
        return [_dataset(data, where="")]
    if kind == "collection":
        items = (data.get("link") or {}).get("item") or []
        datasets = [
            _dataset(item, where=_("item %(n)s of the collection: ") % {"n": n})
            for n, item in enumerate(items, start=1)
            # an item with neither "id" nor "value" is a link to a dataset served elsewhere
            if isinstance(item, dict)
            and item.get("class") == "dataset"
            and ("id" in item or "value" in item)
        ]
        if not datasets:
            raise JsonStatError(
                _("The collection holds no embedded dataset (only links to others)."),
                field="file",
            )
        return datasets
    raise JsonStatError(
        _('Expected a JSON-stat 2.0 "dataset" or "collection", found class %(kind)s.')
        % {"kind": json.dumps(kind)},
        field="file",
    )


def load_dataset(data: str | bytes | dict) -> Dataset:
    """The one dataset of a document; a collection of several must be chosen from."""
    datasets = loads(data)
    if len(datasets) > 1:
        raise JsonStatError(
            _("The collection holds %(n)s datasets; choose one.") % {"n": len(datasets)},
            field="file",
        )
    return datasets[0]


def _dataset(data: dict, *, where: str) -> Dataset:
    def fail(message: str, field: str = "file"):
        raise JsonStatError(where + message, field=field)

    ids, sizes, dims = data.get("id"), data.get("size"), data.get("dimension")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not ids:
        fail(_('"id" must list the dimensions.'))
    if not isinstance(sizes, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes
    ):
        fail(_('"size" must list one whole number per dimension.'))
    if len(ids) != len(sizes):
        fail(
            _('"id" names %(ids)s dimensions but "size" gives %(sizes)s sizes.')
            % {"ids": len(ids), "sizes": len(sizes)}
        )
    if not isinstance(dims, dict):
        fail(_('"dimension" is missing.'))
    dimensions = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        if dim_id not in dims:
            fail(_('Dimension "%(dim)s" is listed in "id" but not described.') % {"dim": dim_id})
        dimensions[dim_id] = _dimension(dim_id, dims[dim_id], size, fail)

    role = data.get("role") or {}
    if not isinstance(role, dict):
        fail(_('"role" must map roles to dimension ids.'))
    for name, members in role.items():
        for dim_id in members or []:
            if dim_id not in dimensions:
                fail(
                    _('Role "%(role)s" names dimension "%(dim)s", which is not in "id".')
                    % {"role": name, "dim": dim_id}
                )

    cells = prod(sizes)
    value = data.get("value")
    if isinstance(value, list):
        if len(value) != cells:
            fail(
                _(
                    '"size" %(size)s makes %(cells)s cells but "value" holds %(values)s values: '
                    "the file's size and value do not agree."
                )
                % {"size": sizes, "cells": cells, "values": len(value)},
                "value",
            )
    elif isinstance(value, dict):
        for key in value:
            if not (isinstance(key, str) and key.isdigit() and int(key) < cells):
                fail(
                    _(
                        'Sparse "value" key %(key)s is outside the %(cells)s cells that "size" '
                        "%(size)s makes: the file's size and value do not agree."
                    )
                    % {"key": json.dumps(key), "cells": cells, "size": sizes},
                    "value",
                )
    else:
        fail(_('"value" is missing: give a list (dense) or an object (sparse).'), "value")

    status = data.get("status")
    if status is not None and not isinstance(status, str | list | dict):
        fail(_('"status" must be a string, a list or an object.'), "status")
    if isinstance(status, list) and len(status) not in (1, cells):
        fail(
            _('"status" holds %(n)s entries for %(cells)s cells.')
            % {"n": len(status), "cells": cells},
            "status",
        )
    return Dataset(
        label=str(data.get("label") or ""),
        id=ids,
        size=sizes,
        dimensions=dimensions,
        role={k: list(v or []) for k, v in role.items()},
        value=value,
        status=status,
        extension=data.get("extension") or {},
    )


def _dimension(dim_id: str, data, size: int, fail) -> Dimension:
    if not isinstance(data, dict) or not isinstance(data.get("category"), dict):
        fail(_('Dimension "%(dim)s" has no "category".') % {"dim": dim_id})
    category = data["category"]
    labels = category.get("label") or {}
    index = category.get("index")
    if index is None and isinstance(labels, dict) and len(labels) == 1:
        codes = list(labels)  # a single category may leave out its index
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        positions = sorted(index.items(), key=lambda item: item[1])
        if [p for _c, p in positions] != list(range(len(positions))):
            fail(
                _('Dimension "%(dim)s": "category.index" positions must run 0, 1, 2 …')
                % {"dim": dim_id}
            )
        codes = [str(c) for c, _p in positions]
    else:
        fail(_('Dimension "%(dim)s" has no "category.index".') % {"dim": dim_id})
    if len(codes) != size:
        fail(
            _('Dimension "%(dim)s" has %(n)s categories but "size" says %(size)s.')
            % {"dim": dim_id, "n": len(codes), "size": size}
        )
    if len(set(codes)) != len(codes):
        fail(_('Dimension "%(dim)s" repeats a category code.') % {"dim": dim_id})
    return Dimension(
        id=dim_id,
        label=str(data.get("label") or dim_id),
        codes=codes,
        labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
    )
