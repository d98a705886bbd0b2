"""The open-data page and its downloads: every file, its schema, `datapackage.json` and the
ZIP of everything. All public; the files hold only what a visitor may see.

A file is sent as it is written (a line or a record at a time); the ZIP is the file kept on
disk until the data changes (`package.zip_path`)."""

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from safecities.core.permissions import public

from . import package, registry

JSON = "application/json"


def _download(body: bytes | str, media_type: str, filename: str, *, attachment: bool = False):
    response = HttpResponse(body, content_type=media_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public
def index(request):
    """Every dataset with its licence, last change, files and schemas, and the ZIP."""
    rows = [
        {
            "dataset": d,
            "last_change": d.last_change(),
            "has_records": d.has_records(),
            "files": [{"file": f, "path": package.file_path(d, f.filename)} for f in d.files],
        }
        for d in registry.datasets()
    ]
    return render(
        request,
        "opendata/index.html",
        {"rows": rows, "licence": registry.licence(), "zip_name": package.ZIP_NAME},
    )


@public
def download(request, dataset: str, filename: str):
    """One file of a dataset, or the schema beside it."""
    found = registry.dataset(dataset)
    if found is None:
        raise Http404(_("No such dataset."))
    data_file = found.file(filename)
    if data_file is not None:
        response = StreamingHttpResponse(data_file.chunks(), content_type=data_file.media_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Access-Control-Allow-Origin"] = "*"
        return response
    schema = found.schema_file(filename)
    if schema is not None:
        return _download(schema.text(), JSON, filename)
    raise Http404(_("No such file."))


@public
def datapackage(request):
    """The Data Package descriptor of every file (paths relative to /open-data/)."""
    return _download(registry.json_text(package.datapackage()), JSON, "datapackage.json")


@public
def zip_file(request):
    """Every file and schema with `datapackage.json` and a README, in one ZIP."""
    response = FileResponse(
        package.zip_path().open("rb"),
        as_attachment=True,
        filename=package.ZIP_NAME,
        content_type="application/zip",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
