"""Need-to-know for dialogues, mediation, the council and promises (issue 13, item 3).

A provincial department reads the dialogues it organises or takes part in (or where a promise
was made in its name), the council's sessions and questions where it was questioned, the voter
meetings and recommendations assigned to it, and the promises in its name or made in a record
it reads; never a commune's grassroots mediation (the parties' names). The Inspectorate, the
Citizen Reception Board and the provincial leaders read the province; a commune its commune;
the council its own record. Every staff page of these records answers 404 to anyone else, and
the lists leave them out. The public promises page stays public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from dialogues import services
from dialogues.models import CommitmentSource, VoterMeeting, VoterRecommendation
from gov.models import User
from gov.scoping import scoped
from tests.complaints.factories import agency, on, sector, unit
from tests.dialogues import factories as f
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db

Role = User.Role
TODAY = dt.date(2026, 6, 1)
LATER = dt.date(2026, 9, 1)
DEPARTMENT = "so-nong-nghiep-moi-truong"
MK = f.MUONG_KIM


@dataclass(frozen=True)
class Record:
    page: str  # the staff page of the record
    listed_in: str  # the staff list that links to it
    pk: int
    secret: str = ""  # what the record says that only those who read it may see


def _meeting(clerk: User, assigned: str, content: str) -> VoterRecommendation:
    meeting: VoterMeeting = services.voter_meeting_create(
        council=agency("hdnd-tinh"),
        unit=unit("phuong-tan-phong"),
        by=clerk,
        date=TODAY,
        place="Hội trường phường Tân Phong",
    )
    return services.voter_recommendation_add(
        meeting=meeting,
        by=clerk,
        content=content,
        sector=sector("giao-thong"),
        assigned_agency=agency(assigned),
        assigned_on=TODAY,
    )


@pytest.fixture
def world(time_machine) -> dict[str, Record]:
    """Mường Kim's records (one dialogue with no provincial link, one the department takes
    part in, one where the provincial chairman promised in the department's name; a team and
    a mediation case), and the provincial council's (a session whose only question went to the
    Department of Health, one that questioned the department; a voters' recommendation to a
    ward and one to the department), with the promises made in them."""
    time_machine.move_to(on(2026, 6, 1), tick=False)
    mk, chairman = staff_of(MK, Role.LEADER), staff_of("ubnd-tinh", Role.LEADER)
    clerk, department = staff_of("hdnd-tinh", Role.HANDLER), agency(DEPARTMENT)
    commune_only = f.held_dialogue(by=mk, date=TODAY, topic="Nước sinh hoạt Bản 2")
    joined = f.dialogue(
        by=mk, date=LATER, topic="Thu hồi đất mở đường", agencies_taking_part=[department]
    )
    promised = f.held_dialogue(by=mk, date=TODAY, topic="Cấp giấy chứng nhận đất")
    team = f.team(by=mk)
    case = f.mediation(
        by=mk, assigned_on=TODAY, in_team=team, parties="Hộ ông Lò Văn Ún và hộ bà Cầm Thị Ón"
    )
    other_session = f.council_session(by=clerk, start=TODAY, end=TODAY)
    f.question(by=clerk, session=other_session, content="Thuốc tăng huyết áp ở trạm y tế xã?")
    asked_session = f.council_session(by=clerk, start=TODAY, end=TODAY)
    asked = f.question(
        by=clerk,
        session=asked_session,
        asked_agency=department,
        asked_official="Giám đốc Sở Nông nghiệp và Môi trường",
        content="Khi nào chỉnh lý xong giấy chứng nhận còn lại?",
    )
    f.question(by=clerk, session=asked_session, content="Vì sao thiếu bác sĩ ở xã vùng cao?")
    to_ward = _meeting(clerk, f.TAN_PHONG, "Đề nghị lát lại vỉa hè tổ 5.")
    to_department = _meeting(clerk, DEPARTMENT, "Đề nghị đo đạc lại đất bản 3.")
    promise = {
        "promise_commune": f.commitment(
            by=mk, made_on=TODAY, deadline=LATER, source_object=commune_only, content="Sửa ống"
        ),
        "promise_department": f.commitment(
            by=chairman,
            made_on=TODAY,
            deadline=LATER,
            source_object=promised,
            owner_agency=department,
            owner_name="Giám đốc Sở",
            content="Cấp giấy trong 3 tháng",
        ),
        "promise_answer": f.commitment(
            by=chairman,
            made_on=TODAY,
            deadline=LATER,
            source=CommitmentSource.COUNCIL_QUESTION,
            source_object=asked,
            owner_agency=agency("ubnd-tinh"),
            owner_name="Chủ tịch UBND tỉnh",
            content="Chỉnh lý xong trong năm",
        ),
    }
    records = {
        "dialogue_commune": Record("dialogue", "dialogues", commune_only.pk, "Nước sinh hoạt"),
        "dialogue_joined": Record("dialogue", "dialogues", joined.pk, "Thu hồi đất mở đường"),
        "dialogue_promised": Record("dialogue", "dialogues", promised.pk, "Cấp giấy chứng"),
        "team": Record("team", "mediation", team.pk, team.name),
        "mediation": Record("mediation_case", "mediation", case.pk, "Cầm Thị Ón"),
        "session_other": Record("session", "council", other_session.pk, "Thuốc tăng huyết"),
        "session_asked": Record("session", "council", asked_session.pk, "Khi nào chỉnh lý"),
        "meeting_other": Record("meeting", "voters", to_ward.meeting_id, "vỉa hè tổ 5"),
        "meeting_assigned": Record("meeting", "voters", to_department.meeting_id, "bản 3"),
        "recommendation_other": Record("recommendation", "voters", to_ward.pk, "vỉa hè tổ 5"),
        "recommendation_assigned": Record(
            "recommendation", "voters", to_department.pk, "đo đạc lại đất bản 3"
        ),
    }
    for name, c in promise.items():
        records[name] = Record("commitment", "commitments", c.pk, c.content)
    return records


EVERYTHING = frozenset(
    {
        "dialogue_commune",
        "dialogue_joined",
        "dialogue_promised",
        "team",
        "mediation",
        "session_other",
        "session_asked",
        "meeting_other",
        "meeting_assigned",
        "recommendation_other",
        "recommendation_assigned",
        "promise_commune",
        "promise_department",
        "promise_answer",
    }
)
THE_DEPARTMENTS = frozenset(
    {
        "dialogue_joined",
        "dialogue_promised",
        "session_asked",
        "meeting_assigned",
        "recommendation_assigned",
        "promise_department",
        "promise_answer",
    }
)
ROLES: dict[str, tuple[str, str, frozenset[str]]] = {
    "department_handler": (DEPARTMENT, Role.HANDLER, THE_DEPARTMENTS),
    "department_leader": (DEPARTMENT, Role.LEADER, THE_DEPARTMENTS),
    "other_department": ("so-xay-dung", Role.LEADER, frozenset()),
    "justice_department": ("so-tu-phap", Role.HANDLER, frozenset()),
    "inspectorate": ("thanh-tra-tinh", Role.HANDLER, EVERYTHING),
    "reception_board": ("ban-tiep-cong-dan-tinh", Role.RECEPTION_OFFICER, EVERYTHING),
    "provincial_leader": ("ubnd-tinh", Role.LEADER, EVERYTHING),
    # Not a province-wide reader: what the provincial People's Committee owns.
    "provincial_handler": ("ubnd-tinh", Role.HANDLER, frozenset({"promise_answer"})),
    "provincial_council": (
        "hdnd-tinh",
        Role.HANDLER,
        frozenset(
            {
                "session_other",
                "session_asked",
                "meeting_other",
                "meeting_assigned",
                "recommendation_other",
                "recommendation_assigned",
                "promise_answer",
            }
        ),
    ),
    # A commune keeps its unit rule: its own records, whoever else takes part.
    "commune": (
        MK,
        Role.HANDLER,
        frozenset(
            {
                "dialogue_commune",
                "dialogue_joined",
                "dialogue_promised",
                "team",
                "mediation",
                "promise_commune",
            }
        ),
    ),
    # Both voter meetings were held in Tân Phong: it reads them, and its own recommendation.
    "other_commune": (
        f.TAN_PHONG,
        Role.LEADER,
        frozenset({"meeting_other", "meeting_assigned", "recommendation_other"}),
    ),
}


def _client(role: str) -> tuple[Client, frozenset[str]]:
    code, user_role, sees = ROLES[role]
    client = Client()
    client.force_login(staff_of(code, user_role))
    return client, sees


def _opened(client: Client, record: Record) -> bool:
    response = client.get(reverse(f"dialogues:{record.page}", args=[record.pk]))
    assert response.status_code in {200, 404}
    return response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_each_record_page_opens_for_those_who_need_to_know_and_404s_the_rest(
    world: dict[str, Record], role: str
) -> None:
    client, sees = _client(role)
    assert {name for name, record in world.items() if _opened(client, record)} == sees


@pytest.mark.parametrize("role", ROLES)
def test_the_lists_leave_out_what_the_account_does_not_need_to_know(
    world: dict[str, Record], role: str
) -> None:
    client, sees = _client(role)
    pages: dict[str, str] = {}
    for name, record in world.items():
        if record.listed_in not in pages:
            page = client.get(reverse(f"dialogues:{record.listed_in}"))
            assert page.status_code == 200
            pages[record.listed_in] = page.content.decode()
        link = reverse(f"dialogues:{record.page}", args=[record.pk])
        assert (link in pages[record.listed_in]) == (name in sees), name


def test_a_department_reads_its_question_in_a_session_not_the_others(
    world: dict[str, Record],
) -> None:
    client, _sees = _client("department_handler")
    page = client.get(reverse("dialogues:session", args=[world["session_asked"].pk]))
    body = page.content.decode()
    assert "Khi nào chỉnh lý" in body
    assert "thiếu bác sĩ" not in body


def test_a_department_cannot_read_a_mediation_case_by_any_route(
    world: dict[str, Record],
) -> None:
    """The parties' names stay in the commune: not the case page, its actions, the team page
    or the list."""
    client, _sees = _client("justice_department")
    case = world["mediation"].pk
    assert client.get(reverse("dialogues:mediation_case", args=[case])).status_code == 404
    action = reverse("dialogues:mediation_action", args=[case, "start"])
    assert client.post(action, {"start-started_on": "01/06/2026"}).status_code == 404
    listing = client.get(reverse("dialogues:mediation")).content.decode()
    assert "Cầm Thị Ón" not in listing


def test_the_public_promises_page_is_unchanged(world: dict[str, Record]) -> None:
    """Public promises are for everyone, whatever a department may read on its staff pages."""
    anonymous = Client().get(reverse("dialogues:promises")).content.decode()
    department, _sees = _client("other_department")
    signed_in = department.get(reverse("dialogues:promises")).content.decode()
    for name in ("promise_commune", "promise_department", "promise_answer"):
        assert world[name].secret in anonymous
        assert world[name].secret in signed_in


def test_taking_part_is_recorded_with_the_plan_and_shown(time_machine) -> None:
    time_machine.move_to(on(2026, 6, 1), tick=False)
    mk = staff_of(MK, Role.LEADER)
    client = Client()
    client.force_login(mk)
    response = client.post(
        reverse("dialogues:dialogue_new"),
        {
            "topic": "Sạt lở đường vào bản 5",
            "agency": agency(MK).pk,
            "unit": unit("xa-muong-kim").pk,
            "leader_name": "Chủ tịch UBND xã",
            "date": "20/06/2026",
            "place": "Nhà văn hóa bản 5",
            "expected_participants": "40",
            "agencies_taking_part": [agency("so-xay-dung").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    builder = staff_of("so-xay-dung", Role.HANDLER)
    client.force_login(builder)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Sở Xây dựng tỉnh Lai Châu" in page.content.decode()
    from dialogues.models import Dialogue

    planned = Dialogue.objects.get(topic="Sạt lở đường vào bản 5")
    event = planned.events.get()
    assert event.data["agencies_taking_part"] == ["so-xay-dung"]
    assert not scoped(staff_of("so-y-te", Role.HANDLER), Dialogue.objects.all()).exists()


# Directory records every account reads.
NOT_AGENCY_RECORDS = {"gov.AdministrativeUnit", "gov.Agency", "gov.User"}


def test_every_scoped_record_says_what_a_department_needs_to_know() -> None:
    """A new kind of record that belongs to an agency cannot fall back to the unit rule (the
    whole province, for a department) unnoticed."""
    scoped_models = {
        m._meta.label for m in apps.get_models() if hasattr(m, "SCOPE_PATH")
    } - NOT_AGENCY_RECORDS
    missing = {
        label for label in scoped_models if not hasattr(apps.get_model(label), "need_to_know")
    }
    assert scoped_models and not missing
