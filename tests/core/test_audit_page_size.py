"""The audit page shows 25 events a page, newest first, with the same queries for a short or a
long trail."""

from safecities.core import services as core_services
from safecities.core.models import AuditEvent
from tests.core.factories import UserFactory


def test_the_audit_page_reads_one_page_whatever_the_trail(
    demo, secretariat_client, django_assert_num_queries
):
    secretariat_client.get("/audit/")  # the session's first read
    AuditEvent.objects.all().delete()
    for size, total in ((3, 3), (30, 33)):
        for n in range(total - AuditEvent.objects.count()):
            core_services.create_api_token(actor=UserFactory(), name=f"Script {size}-{n}")
        assert AuditEvent.objects.count() == total
        with django_assert_num_queries(6):
            response = secretariat_client.get("/audit/")
        page = response.context["page"]
        assert len(page.object_list) == min(total, 25)
        assert page.object_list[0] == AuditEvent.objects.order_by("-at", "-id").first()
