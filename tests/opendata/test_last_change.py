"""The open-data page's "last changed" of the figures and the practices: the newest saved row
that the dataset publishes, read from the end of the `updated_at` index in one short query."""

from datetime import UTC, datetime, timedelta

from safecities.indicators import selectors as indicators
from safecities.indicators import suppression
from safecities.indicators.models import Observation
from safecities.opendata import selectors
from safecities.practices.models import Practice

LATER = datetime(2031, 5, 1, 12, tzinfo=UTC)


def test_the_figures_changed_when_the_newest_published_figure_was_saved(
    django_assert_num_queries,
):
    shown = Observation.objects.filter(suppression.shown_q()).order_by("pk").first()
    Observation.objects.filter(pk=shown.pk).update(updated_at=LATER)
    assert selectors.observations_changed() == LATER
    with django_assert_num_queries(2):  # the newest figure, the newest audit entry
        selectors.observations_changed()


def test_a_figure_the_small_number_rule_holds_back_does_not_count():
    hidden = Observation.objects.exclude(suppression.shown_q()).first()
    if hidden is None:  # the demo has none: hold one back as the rule does
        hidden = Observation.objects.filter(indicator__unit_type="count").first()
        Observation.objects.filter(pk=hidden.pk).update(value=1, numerator=None)
        hidden.refresh_from_db()
    assert not Observation.objects.filter(pk=hidden.pk).filter(suppression.shown_q()).exists()
    before = selectors.observations_changed()
    Observation.objects.filter(pk=hidden.pk).update(updated_at=LATER + timedelta(days=1))
    assert selectors.observations_changed() == before


def test_the_practices_changed_when_the_newest_public_practice_was_saved():
    public = Practice.objects.filter(
        status=Practice.Status.PUBLISHED, visibility=Practice.Visibility.PUBLIC
    ).first()
    Practice.objects.filter(pk=public.pk).update(updated_at=LATER)
    draft = Practice.objects.exclude(status=Practice.Status.PUBLISHED).first()
    if draft is not None:
        Practice.objects.filter(pk=draft.pk).update(updated_at=LATER + timedelta(days=1))
    assert selectors.practices_changed() == LATER


def test_a_rate_counts_unless_its_numerator_is_held_back():
    rate = Observation.objects.exclude(indicator__unit_type="count").order_by("pk").first()
    Observation.objects.filter(pk=rate.pk).update(numerator=1, updated_at=LATER)
    assert selectors.observations_changed() != LATER  # the small numerator holds it back
    Observation.objects.filter(pk=rate.pk).update(numerator=500)
    assert selectors.observations_changed() == LATER


def test_the_newest_figure_is_read_without_joining_the_indicators(django_assert_num_queries):
    """Joined, an engine with table statistics reads every observation of each indicator and
    sorts them (seconds at two million rows) instead of reading from the end of the index."""
    with django_assert_num_queries(1) as queries:
        indicators.public_saved_last()
    assert "JOIN" not in queries.captured_queries[0]["sql"].upper()
