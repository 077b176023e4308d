"""Factories of the ground floor. Higher apps keep theirs in tests/<app>/factories.py."""

import factory

from django.contrib.auth.models import Group

from core import roles
from core.models import ProductCategory, Township, User, Village


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"town-{n}")
    name = factory.Sequence(lambda n: f"第{n}镇")
    name_en = factory.Sequence(lambda n: f"Town {n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("code",)

    township = factory.SubFactory(TownshipFactory)
    code = factory.Sequence(lambda n: f"village-{n}")
    name = factory.Sequence(lambda n: f"第{n}村")
    name_en = factory.Sequence(lambda n: f"Village {n}")


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"product-{n}")
    name = factory.Sequence(lambda n: f"产品{n}")
    name_en = factory.Sequence(lambda n: f"Product {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    real_name = factory.Sequence(lambda n: f"学员{n}")
    preferred_language = "zh-hans"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _give_role(self, create, extracted)


def _give_role(user, create, role):
    if create:
        if role:
            user.groups.add(Group.objects.get(name=role))
        user.save()


class TraineeFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _give_role(self, create, extracted or roles.TRAINEE)


class MentorFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _give_role(self, create, extracted or roles.MENTOR)


class OfficeFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _give_role(self, create, extracted or roles.OFFICE)
