"""Files in S3-compatible object storage: SAFECITIES_S3_* make django-storages' S3 backend the
default storage, and an upload and its download go through the bucket (a moto server on
loopback), never the local media folder. The whole set-up with several servers is in
tests/deploy/test_two_servers.py (PostgreSQL runs)."""

import json
import socket

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from safecities.practices.models import Attachment
from tests.core.test_settings import run
from tests.practices.conftest import pdf, write_draft

BUCKET = "safecities-test-files"
S3_ENV = {
    "SAFECITIES_S3_BUCKET": BUCKET,
    "SAFECITIES_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    "SAFECITIES_S3_REGION": "eu-north-1",
    "SAFECITIES_S3_ACCESS_KEY_ID": "key-id",
    "SAFECITIES_S3_SECRET_ACCESS_KEY": "secret",
}
SHOW_STORAGE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.STORAGES['default']))"
)


def test_the_bucket_is_the_default_storage_when_configured(tmp_path):
    result = run(SHOW_STORAGE, tmp_path=tmp_path, **S3_ENV)
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == BUCKET
    assert options["endpoint_url"] == "http://127.0.0.1:9"
    assert (options["region_name"], options["access_key"]) == ("eu-north-1", "key-id")
    assert options["file_overwrite"] is False and options["default_acl"] is None


def test_local_disk_stays_the_default(tmp_path):
    result = run(SHOW_STORAGE, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.fixture
def bucket(settings):
    """A moto S3 server on a loopback port, an empty bucket, and the default storage in it."""
    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "key-id", "aws_secret_access_key": "secret"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "key-id",
                "secret_key": "secret",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    server.stop()


def _keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_attachment_goes_to_the_bucket_and_is_served_from_it(
    bucket, coordinator, coordinator_client, media_root, django_capture_on_commit_callbacks
):
    on_disk = {p for p in media_root.rglob("*") if p.is_file()}
    practice = write_draft(coordinator)
    upload = pdf("evaluation.pdf", ["Stored in the bucket."])
    content = upload.read()
    upload.seek(0)
    response = coordinator_client.post(
        reverse("practices:attach", args=[practice.pk]),
        {"title": "Evaluation", "file": upload},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(practice=practice)
    assert default_storage.__class__.__name__ == "S3Storage"
    assert _keys(bucket) == [attachment.file.name]
    assert {p for p in media_root.rglob("*") if p.is_file()} == on_disk  # nothing on disk

    download = coordinator_client.get(reverse("practices:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content

    # A second file of the same name is kept beside the first, never over it.
    again = pdf("evaluation.pdf", ["Another one."])
    coordinator_client.post(
        reverse("practices:attach", args=[practice.pk]), {"title": "Again", "file": again}
    )
    assert len(_keys(bucket)) == 2

    # Removing an attachment removes its object (once the removal is committed).
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("practices:attachment-remove", args=[attachment.pk])
        )
    assert response.status_code == 302 and not Attachment.objects.filter(pk=attachment.pk)
    assert attachment.file.name not in _keys(bucket) and len(_keys(bucket)) == 1
