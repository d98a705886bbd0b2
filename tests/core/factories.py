import factory

from safecities.core.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.net")
    full_name = factory.Faker("name")
    password = factory.django.Password("safecities-test")
