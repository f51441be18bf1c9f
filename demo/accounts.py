"""Demo data for ``make run``: villages for two units and one account per role, at the
province and in a commune. Never for production: the command refuses there."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gov import second_factor
from gov.models import AdministrativeUnit, Agency, User
from gov.services import staff_account_upsert

DEMO_PASSWORD = "laichau-demo"
# The authenticator secret of every demo account that needs a second factor. It is published
# (README, and seed_demo prints it), so it protects nothing: it exists only where the demo is
# seeded, which seed_demo refuses in production.
DEMO_TOTP_SECRET = "LAICHAUDEMOTOTPLAICHAUDEMOTOTP22"


def demo_totp_key() -> bytes:
    return base64.b32decode(DEMO_TOTP_SECRET)


def demo_totp_code(at: float | None = None) -> str:
    """The demo accounts' code now (or at the Unix time ``at``), as their app shows it."""
    generator = TOTP(demo_totp_key(), step=30, t0=0, digits=6)
    generator.time = time.time() if at is None else at
    return f"{generator.token():06d}"


def demo_totp_uri() -> str:
    issuer = quote(settings.OTP_TOTP_ISSUER)
    return (
        f"otpauth://totp/{issuer}:demo?secret={DEMO_TOTP_SECRET}&algorithm=SHA1&digits=6"
        f"&period=30&issuer={issuer}"
    )


@dataclass(frozen=True)
class DemoAccount:
    """A demo staff member: a fictional person, with a family name ("họ", ``first_name``), the
    rest of the name (``last_name``) and a title, as a real account must have."""

    username: str
    agency_code: str
    role: str
    first_name: str
    last_name: str
    position: str


DEMO_ACCOUNTS = [
    DemoAccount(
        "quantri",
        "van-phong-ubnd-tinh",
        User.Role.ADMINISTRATOR,
        "Nguyễn",
        "Thu Hà",
        "Chuyên viên CNTT",
    ),
    DemoAccount(
        "lanhdao.tinh",
        "ubnd-tinh",
        User.Role.LEADER,
        "Hoàng",
        "Văn Minh",
        "Phó Chủ tịch UBND tỉnh",
    ),
    DemoAccount(
        "tiepdan.tinh",
        "ban-tiep-cong-dan-tinh",
        User.Role.RECEPTION_OFFICER,
        "Trần",
        "Thị Lan",
        "Chuyên viên",
    ),
    DemoAccount(
        "xuly.thanhtra",
        "thanh-tra-tinh",
        User.Role.HANDLER,
        "Lê",
        "Đức Thắng",
        "Thanh tra viên",
    ),
    DemoAccount(
        "xuly.nnmt",
        "so-nong-nghiep-moi-truong",
        User.Role.HANDLER,
        "Phạm",
        "Thị Hồng",
        "Chuyên viên",
    ),
    DemoAccount(
        "hdnd.tinh",
        "hdnd-tinh",
        User.Role.HANDLER,
        "Đỗ",
        "Văn Toàn",
        "Chuyên viên",
    ),
    DemoAccount(
        "lanhdao.muongkim",
        "ubnd-xa-muong-kim",
        User.Role.LEADER,
        "Lò",
        "Văn Pâng",
        "Chủ tịch UBND xã",
    ),
    DemoAccount(
        "tiepdan.muongkim",
        "ubnd-xa-muong-kim",
        User.Role.RECEPTION_OFFICER,
        "Tao",
        "Thị Xuân",
        "Công chức Văn phòng",
    ),
    DemoAccount(
        "xuly.muongkim",
        "ubnd-xa-muong-kim",
        User.Role.HANDLER,
        "Lường",
        "Văn Chiến",
        "Công chức Địa chính",
    ),
    DemoAccount(
        "xuly.tanphong",
        "ubnd-phuong-tan-phong",
        User.Role.HANDLER,
        "Vàng",
        "Thị Mai",
        "Công chức Tư pháp",
    ),
]

DEMO_VILLAGES = {
    "xa-muong-kim": ("village", "Bản", 6),
    "phuong-tan-phong": ("residential_group", "Tổ dân phố số", 8),
}


def demo_email(username: str) -> str:
    """A demo account's address, under the reserved ``.example`` domain (RFC 2606)."""
    return f"{username}@demo.laichau.example"


@transaction.atomic
def demo_seed() -> list[DemoAccount]:
    for unit_code, (unit_type, prefix, count) in DEMO_VILLAGES.items():
        parent = AdministrativeUnit.objects.get(code=unit_code)
        for n in range(1, count + 1):
            AdministrativeUnit.objects.update_or_create(
                code=f"{unit_code}-{n}",
                defaults={
                    "name": f"{prefix} {n}",
                    "unit_type": unit_type,
                    "parent": parent,
                    "source": "Demo data",
                    "confidence": "M",
                },
            )
    set_already = dict(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", "email"
        )
    )
    for a in DEMO_ACCOUNTS:
        staff_account_upsert(
            username=a.username,
            agency=Agency.objects.get(code=a.agency_code),
            role=a.role,
            password=DEMO_PASSWORD,
            first_name=a.first_name,
            last_name=a.last_name,
            position=a.position,
            # Reminders are e-mailed to a demo address (`make run`: var/mail/), unless an
            # administrator has set one since: seeding again never clears it.
            email=set_already.get(a.username) or demo_email(a.username),
        )
    demo_second_factors_enrol()
    return DEMO_ACCOUNTS


def demo_second_factors_enrol() -> None:
    """The demo accounts that need a second factor get the demo authenticator, unless they
    have set up their own since."""
    for user in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]):
        if second_factor.required(user) and not second_factor.enrolled(user):
            TOTPDevice.objects.create(
                user=user,
                name="demo authenticator",
                key=demo_totp_key().hex(),
                confirmed=True,
            )
