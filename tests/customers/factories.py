from __future__ import annotations

import factory

from yuqi.customers.models import Customer, Tier


def tier(code: str) -> Tier:
    """The default tiers (diamond, gold, silver, ordinary) come with the migrations."""
    return Tier.objects.get(code=code)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    external_id = factory.Sequence(lambda n: f"C{n:07d}")
    name = factory.Faker("name", locale="zh_CN")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    phone_tail = factory.LazyAttribute(lambda c: c.phone[-4:])
    email = factory.LazyAttribute(lambda c: f"{c.external_id.lower()}@example.cn")
    id_number = "11010519491231002X"
    region = "湖北 武汉"
    tier = factory.LazyFunction(lambda: tier("ordinary"))
    monthly_value = factory.Faker("pydecimal", left_digits=3, right_digits=2, positive=True)
