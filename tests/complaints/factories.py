"""Builders for petitions: the service's input dataclasses as factories, and one call that
submits a petition through ``petition_submit`` (the only way petitions are made)."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import factory

from complaints.models import Channel, Petition, PetitionItem
from complaints.services import (
    ItemData,
    Submission,
    SubmissionResult,
    SubmitterData,
    petition_submit,
)
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.gov.factories import staff_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Kind = PetitionItem.Kind

# Distinct everyday subjects, so that petitions built with the defaults never look alike to
# duplicate and mass detection (which compare folded words).
_SUBJECTS = [
    "Đề nghị cấp giấy chứng nhận quyền sử dụng đất ở cho hộ gia đình",
    "Phản ánh đường liên bản bị sạt lở sau mưa lũ chưa được khắc phục",
    "Kiến nghị xem xét chế độ trợ cấp xã hội cho người cao tuổi neo đơn",
    "Đề nghị sửa chữa phòng học điểm trường bị dột nát",
    "Phản ánh trạm y tế thiếu thuốc điều trị thông thường",
    "Kiến nghị hỗ trợ giống cây trồng sau thiên tai",
    "Đề nghị lắp đặt điện chiếu sáng khu dân cư",
    "Phản ánh nước sinh hoạt tự chảy bị tắc nghẽn nhiều tuần",
    "Kiến nghị làm rõ mức đóng góp xây dựng nhà văn hóa thôn",
    "Đề nghị cấp lại thẻ bảo hiểm y tế bị thất lạc",
    "Phản ánh chăn thả gia súc tự do phá hoại hoa màu",
    "Kiến nghị bố trí giáo viên dạy tiếng dân tộc cho trẻ mầm non",
]
_subject = itertools.count()


def on(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    """A moment in Lai Châu's time zone, for ``time_machine``."""
    return dt.datetime(year, month, day, hour, tzinfo=VN)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def sector(code: str) -> Sector:
    return Sector.objects.get(code=code)


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def _content() -> str:
    n = next(_subject)
    return f"{_SUBJECTS[n % len(_SUBJECTS)]} (hồ sơ {n})"


class SubmitterDataFactory(factory.Factory):
    class Meta:
        model = SubmitterData

    full_name = factory.Sequence(lambda n: f"Lò Văn Thử {n}")
    phone = factory.Sequence(lambda n: f"0912{n:06d}")
    address = "Bản Nà Phát, xã Mường Kim"


class ItemDataFactory(factory.Factory):
    class Meta:
        model = ItemData

    kind = Kind.RECOMMENDATION
    sector = factory.LazyFunction(lambda: sector("dat-dai"))
    summary = factory.LazyFunction(_content)


class SubmissionFactory(factory.Factory):
    class Meta:
        model = Submission

    channel = Channel.ONLINE
    receiving_agency = factory.LazyFunction(lambda: agency("ubnd-xa-muong-kim"))
    location_unit = factory.LazyFunction(lambda: unit("xa-muong-kim"))
    content = factory.LazyFunction(_content)
    items = factory.LazyFunction(lambda: [ItemDataFactory()])
    submitters = factory.LazyFunction(lambda: [SubmitterDataFactory()])


def submit(*, by: User | None = None, **fields: object) -> SubmissionResult:
    """Submit a petition built from the defaults and ``fields`` through the service."""
    return petition_submit(data=SubmissionFactory(**fields), by=by)


def submit_item(*, by: User | None = None, **fields: object) -> PetitionItem:
    """Submit a one-item petition and return its item."""
    return submit(by=by, **fields).petition.items.get()


def group_of(size: int, representatives: int) -> dict[str, object]:
    """The fields of a group petition: one signer, then ``representatives`` representatives."""
    return {
        "submitter_type": Petition.SubmitterType.GROUP,
        "group_size": size,
        "submitters": [
            SubmitterDataFactory(),
            *(SubmitterDataFactory(is_representative=True) for _ in range(representatives)),
        ],
    }


def muong_kim_staff() -> SimpleNamespace:
    """A reception officer, a handler and a leader of the People's Committee of Mường Kim."""
    return SimpleNamespace(
        reception=staff_of("ubnd-xa-muong-kim", User.Role.RECEPTION_OFFICER),
        handler=staff_of("ubnd-xa-muong-kim", User.Role.HANDLER),
        leader=staff_of("ubnd-xa-muong-kim", User.Role.LEADER),
    )
