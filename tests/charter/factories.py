from datetime import date

import factory

from safecities.charter.models import CharterVersion, Goal, Term, Vocabulary


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"goal-{n}")
    position = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: {"en": f"Goal {o.code}", "nb": f"Mål {o.code}"})
    description = factory.LazyAttribute(lambda o: {"en": f"About {o.code}."})


class CharterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterVersion
        django_get_or_create = ("version",)

    version = factory.Sequence(lambda n: f"20{30 + n}")
    adopted_on = date(2030, 1, 1)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    vocabulary = Vocabulary.PHENOMENON
    code = factory.Sequence(lambda n: f"term-{n}")
    label = factory.LazyAttribute(lambda o: {"en": f"Term {o.code}"})
