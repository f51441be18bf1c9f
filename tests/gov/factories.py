from __future__ import annotations

import factory

from gov.models import AdministrativeUnit, Agency, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"test-unit-{n}")
    name = factory.Sequence(lambda n: f"Bản Thử {n}")
    unit_type = AdministrativeUnit.UnitType.VILLAGE


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"test-agency-{n}")
    name = factory.Sequence(lambda n: f"Cơ quan thử {n}")
    kind = Agency.Kind.OTHER


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"staff{n}")
    password = factory.django.Password("secret-pass-123")
    role = User.Role.HANDLER
    first_name = "Cán bộ"
    last_name = factory.Sequence(lambda n: f"Thử {n}")


def staff_of(agency_code: str, role: str = User.Role.HANDLER, **kwargs: object) -> User:
    return StaffFactory(agency=Agency.objects.get(code=agency_code), role=role, **kwargs)
