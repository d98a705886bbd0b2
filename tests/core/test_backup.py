"""`safecities backup` / `safecities restore`: a round trip gives the same data, on either engine;
a refusal names what is wrong and changes nothing.

The round trip commits for real (transaction=True): the backup reads in its own snapshot
transaction and the restore commits its own, as they do for a user. The refusals run in the
test's transaction, on the demo network or on a database emptied to what `migrate` leaves.
"""

import io
import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.models import FileField

from safecities.core import backup
from safecities.core import services as core_services
from safecities.core.models import ApiToken, AuditEvent, User
from safecities.network.models import Country
from safecities.practices import services as practice_services
from safecities.practices.models import Attachment, Practice
from safecities.search import api as search
from safecities.search.backends import backend
from tests.practices.conftest import pdf
from tests.utils import row_counts, stored_files, unchanged

NATURAL = (ContentType, Permission)


def _value(obj, field):
    value = getattr(obj, field.attname)
    if value is not None and field.is_relation and field.related_model in NATURAL:
        return getattr(obj, field.name).natural_key()
    return value


def fingerprint() -> dict[str, list]:
    """Every row of every table (many-to-many tables too), sorted per model. Content types and
    permissions, which `migrate` numbers afresh, go by their natural keys, as do references to
    them; the automatic ids of many-to-many rows are left out."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        skip_pk = model in NATURAL or model._meta.auto_created
        fields = [f for f in model._meta.concrete_fields if not (skip_pk and f.primary_key)]
        rows = model._base_manager.select_related(
            *[f.name for f in fields if f.is_relation and f.related_model in NATURAL]
        )
        result[model._meta.label] = sorted(
            repr(tuple(_value(obj, f) for f in fields)) for obj in rows
        )
    return result


def referenced_files() -> set[str]:
    """The names every file field of every row holds: what a backup keeps. (Storage may also
    hold files no row names any more, left by earlier tests; those are not the data.)"""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                names |= set(
                    model._base_manager.exclude(**{field.attname: ""})
                    .exclude(**{f"{field.attname}__isnull": True})
                    .values_list(field.attname, flat=True)
                )
    return names


def file_bytes() -> dict[str, bytes]:
    root = Path(default_storage.location)
    kept = referenced_files()
    return {name: (root / name).read_bytes() for name in stored_files() if name in kept}


def make_fresh_installation() -> None:
    """What a new database after `safecities migrate` holds: no rows but content types and
    permissions; no full-text rows (not a model: flush leaves SQLite's FTS5 table as it was);
    and no uploaded files."""
    call_command("flush", interactive=False, verbosity=0)
    backend().prune()
    shutil.rmtree(default_storage.location, ignore_errors=True)


def non_natural_rows() -> int:
    return sum(
        count
        for label, count in row_counts().items()
        if label not in {"contenttypes.ContentType", "auth.Permission"}
    )


@pytest.fixture
def archive(demo, tmp_path) -> Path:
    path = tmp_path / "backup.zip"
    backup.write_backup(path)
    return path


def rewrite(source: Path, target: Path, *, drop=(), change=None) -> Path:
    """A copy of the archive without the members `drop`, members passed through `change`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info.filename)
            if change:
                data = change(info.filename, data)
            new.writestr(info.filename, data)
    return target


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(backup.MANIFEST))


# -- the round trip ---------------------------------------------------------------------------


def _add_country_elsewhere() -> None:
    try:
        Country.objects.create(code="ZZ", name={"en": "Elsewhere"})
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_installation_gives_the_same_data(
    demo, secretariat, tmp_path, monkeypatch
):
    practice = Practice.objects.get(title="Oslo snakker")
    practice_services.add_attachment(
        actor=secretariat, practice=practice, title="Evaluering", file=pdf("evaluering.pdf")
    )
    attachment_name = Attachment.objects.get(title="Evaluering").file.name
    before, files = fingerprint(), file_bytes()
    assert attachment_name in files and files[attachment_name].startswith(b"%PDF")

    # While the backup reads, another connection commits a row: the archive holds the
    # database as it was when the backup began (one snapshot), not half of each.
    rows_of = backup.rows_of

    def rows_while_another_connection_writes(model, using="default"):
        if model is ContentType:
            writer = threading.Thread(target=_add_country_elsewhere)
            writer.start()
            writer.join()
        return rows_of(model, using)

    monkeypatch.setattr(backup.dump, "rows_of", rows_while_another_connection_writes)
    path = tmp_path / "safecities.zip"
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    assert "practices.Practice:" in out.getvalue()
    assert f"Wrote {path}" in out.getvalue()
    assert Country.objects.filter(code="ZZ").exists()
    assert len(before["core.User"]) > 5 and len(before["search.Document"]) > 5

    make_fresh_installation()
    assert non_natural_rows() == 0 and not stored_files()
    # `migrate` (flush's post-migrate) numbered the content types afresh, in another order.
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    assert "checksums match" in out.getvalue()
    assert "Restored" in out.getvalue()

    assert fingerprint() == before
    assert not Country.objects.filter(code="ZZ").exists()
    assert file_bytes() == files
    # The full-text index (not a model: an FTS5 table or a tsvector column) is rebuilt.
    hits = search.search("förebyggande", user_is_member=False).hits
    assert "Forebygging av radikalisering i skolen" in {hit.title for hit in hits}
    assert "Oslo snakker" in {
        hit.title for hit in search.search("snakker", user_is_member=False).hits
    }
    # New rows take keys after the restored ones (PostgreSQL's sequences were reset).
    largest = max(AuditEvent.objects.values_list("pk", flat=True))
    core_services.create_api_token(actor=User.objects.get(email="member@example.org"), name="New")
    assert ApiToken.objects.filter(name="New").exists()
    assert AuditEvent.objects.order_by("-pk").first().pk > largest


def test_the_manifest_counts_every_row_and_checks_every_member(archive):
    manifest = manifest_of(archive)
    assert manifest["format"] == "safecities-backup" and manifest["version"] == 1
    assert manifest["engine"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["practices"]
    counts = {entry["model"]: entry["rows"] for entry in manifest["models"]}
    for label, count in row_counts().items():
        assert counts[label] == count, label
    with zipfile.ZipFile(archive) as zipped:
        members = set(zipped.namelist()) - {backup.MANIFEST}
    assert members == set(manifest["checksums"])
    assert {entry["name"] for entry in manifest["files"]} == set(stored_files())
    # Content types come first, then every model after the models it refers to.
    order = [entry["model"] for entry in manifest["models"]]
    assert order.index("contenttypes.ContentType") < order.index("auth.Permission")
    assert order.index("network.Country") < order.index("network.Municipality")
    assert order.index("core.User") < order.index("core.AuditEvent")


def test_references_to_content_types_and_permissions_go_by_natural_key(demo, tmp_path):
    member = User.objects.get(email="member@example.org")
    member.user_permissions.add(Permission.objects.get(codename="view_practice"))
    path = tmp_path / "b.zip"
    backup.write_backup(path)
    with zipfile.ZipFile(path) as zipped:
        users = zipped.read("data/core.user.jsonl").decode().splitlines()
        permissions = zipped.read("data/auth.permission.jsonl").decode().splitlines()
    row = next(json.loads(line) for line in users if member.email in line)
    assert row["pk"] == member.pk
    assert row["fields"]["user_permissions"] == [["view_practice", "practices", "practice"]]
    assert all("pk" not in json.loads(line) for line in permissions)


def test_backup_does_not_overwrite_an_archive(archive):
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(archive))


def test_quiet_commands_print_nothing(demo, tmp_path):
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "b.zip"), quiet=True, stdout=out)
    call_command("backup", output=str(tmp_path / "c.zip"), verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_the_default_name_carries_the_utc_time():
    from datetime import UTC, datetime

    assert (
        backup.default_filename(datetime(2026, 3, 1, 9, 5, 7, tzinfo=UTC))
        == "safecities-backup-20260301T090507Z.zip"
    )


# -- refusals: each names what is wrong and changes nothing -----------------------------------


def test_a_restore_into_an_installation_with_data_is_refused(archive):
    before = fingerprint()
    with unchanged(), pytest.raises(CommandError, match=r"not empty: the table \w+ .* has rows"):
        call_command("restore", str(archive))
    assert fingerprint() == before


def test_a_restore_is_refused_when_an_uploaded_file_exists(archive):
    name = manifest_of(archive)["files"][0]["name"]
    content = (Path(default_storage.location) / name).read_bytes()
    make_fresh_installation()
    default_storage.save(name, io.BytesIO(content))
    with unchanged(), pytest.raises(backup.NotEmpty, match=f"file {name} exists already"):
        backup.restore_backup(archive)


@pytest.mark.parametrize(
    "damage, message",
    [
        ("truncated", "not a backup archive, or it is cut short"),
        ("not a zip", "not a backup archive"),
        ("no manifest", "holds no manifest.json"),
        ("missing member", "The member data/network.country.jsonl is missing"),
        ("checksum", "data/network.municipality.jsonl .* does not match its checksum"),
        ("extra member", "a member its manifest does not name: notes.txt"),
        ("migrations", "The migrations of the app practices differ: this installation has"),
        ("format", "not that of a safecities backup"),
        ("unsafe file name", "the file entry .*/etc/passwd.* is malformed"),
    ],
)
def test_a_damaged_archive_is_refused_and_changes_nothing(archive, tmp_path, damage, message):
    target = tmp_path / "damaged.zip"
    if damage == "truncated":
        data = archive.read_bytes()
        target.write_bytes(data[: len(data) // 2])
    elif damage == "not a zip":
        target.write_text("id,name\n1,Oslo\n")
    elif damage == "no manifest":
        rewrite(archive, target, drop={backup.MANIFEST})
    elif damage == "missing member":
        rewrite(archive, target, drop={"data/network.country.jsonl"})
    elif damage == "checksum":

        def change(name, data):
            return data.replace(b"Oslo", b"Osl0") if name.endswith("municipality.jsonl") else data

        rewrite(archive, target, change=change)
    elif damage == "extra member":
        rewrite(archive, target)
        with zipfile.ZipFile(target, "a") as zipped:
            zipped.writestr("notes.txt", "hello")
    else:

        def change(name, data):
            if name != backup.MANIFEST:
                return data
            manifest = json.loads(data)
            if damage == "migrations":
                manifest["migrations"]["practices"].pop()
            elif damage == "unsafe file name":
                entry = manifest["files"][0]
                manifest["checksums"].pop(entry["member"])
                entry["name"] = "../../etc/passwd"
                entry["member"] = "files/../../etc/passwd"
                manifest["checksums"][entry["member"]] = "0" * 64
            else:
                manifest["format"] = "something-else"
            return json.dumps(manifest).encode()

        rewrite(archive, target, change=change)

    make_fresh_installation()  # the archive's own faults are found even where it could go
    with unchanged(), pytest.raises(CommandError, match=message):
        call_command("restore", str(target))
    assert non_natural_rows() == 0 and not stored_files()


def test_a_failure_while_loading_rolls_back_rows_and_files(archive, monkeypatch):
    make_fresh_installation()

    def broken():
        raise RuntimeError("index unavailable")

    monkeypatch.setitem(backup.base._rebuilds, "broken", broken)
    with unchanged(), pytest.raises(RuntimeError, match="index unavailable"):
        backup.restore_backup(archive)
    assert non_natural_rows() == 0 and not stored_files()


def test_rows_that_do_not_hold_together_are_refused(archive, tmp_path):
    """An archive whose checksums match but whose rows refer to rows it lacks."""
    target = tmp_path / "inconsistent.zip"

    def drop_countries(name, data):
        if name == "data/network.country.jsonl":
            return b""
        if name == backup.MANIFEST:
            manifest = json.loads(data)
            import hashlib

            manifest["checksums"]["data/network.country.jsonl"] = hashlib.sha256(b"").hexdigest()
            for entry in manifest["models"]:
                if entry["model"] == "network.Country":
                    entry["rows"] = 0
            return json.dumps(manifest).encode()
        return data

    rewrite(archive, target, change=drop_countries)
    make_fresh_installation()
    with unchanged(), pytest.raises(backup.RestoreFailed, match="Nothing was restored"):
        backup.restore_backup(target)
    assert non_natural_rows() == 0 and not stored_files()


def test_an_installation_without_tables_is_told_to_migrate(archive, monkeypatch):
    monkeypatch.setattr(backup.checks, "applied_migrations", lambda using="default": {})
    with pytest.raises(backup.MigrationsDiffer, match="run `safecities migrate` first"):
        backup.restore_backup(archive)


def test_a_file_missing_from_storage_is_named_and_left_out(demo, tmp_path):
    name = stored_files()[0]
    (Path(default_storage.location) / name).unlink()
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "b.zip"), stdout=out)
    assert f"Missing uploaded file {name}" in out.getvalue()
    manifest = manifest_of(tmp_path / "b.zip")
    assert manifest["missing_files"] == [name]
    assert name not in {entry["name"] for entry in manifest["files"]}
    make_fresh_installation()
    out = io.StringIO()
    call_command("restore", str(tmp_path / "b.zip"), stdout=out)
    assert f"The uploaded file {name} was missing when the backup was made." in out.getvalue()
