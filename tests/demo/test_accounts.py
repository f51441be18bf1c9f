"""Demo accounts get demo e-mail addresses, and seeding again never clears one an
administrator set."""

from __future__ import annotations

import pytest

from demo import accounts
from gov.models import User

pytestmark = pytest.mark.django_db


def test_demo_staff_have_addresses_and_keep_the_ones_an_administrator_set() -> None:
    accounts.demo_seed()
    users = User.objects.filter(username__in=[a.username for a in accounts.DEMO_ACCOUNTS])
    assert users.count() == len(accounts.DEMO_ACCOUNTS)
    assert all(u.email == accounts.demo_email(u.username) for u in users)

    leader = users.get(username=accounts.DEMO_ACCOUNTS[0].username)
    leader.email = "chu.tich@laichau.gov.vn"
    leader.save(update_fields=["email"])
    accounts.demo_seed()
    leader.refresh_from_db()
    assert leader.email == "chu.tich@laichau.gov.vn"
