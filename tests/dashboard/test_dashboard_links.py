"""The leaders' overview: where its numbers lead (each figure a link to the list it counts)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from complaints.models import PetitionItem
from dashboard.views import inbox_url
from gov.models import AdministrativeUnit, Agency, Sector, User
from tests.complaints.factories import agency, on, submit_item, unit
from tests.dashboard.dashboard_helpers import INBOX, URL, _client, _inbox_count, _numbers
from tests.gov.factories import staff_of

pytestmark = pytest.mark.django_db


# --- links ---------------------------------------------------------------------------------


def test_unit_numbers_lead_to_the_inbox_showing_as_many_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    client = _client(mk.leader)
    numbers = _numbers(client.get(URL).content.decode())
    muong_kim = AdministrativeUnit.objects.get(code="xa-muong-kim").pk
    overdue = f"{INBOX}?overdue=true&unit={muong_kim}"
    due_soon = f"{INBOX}?due_within=3&unit={muong_kim}"
    assert numbers[overdue] == 4 and numbers[due_soon] == 1
    assert numbers[f"{INBOX}?overdue=true"] == 4
    for url, n in numbers.items():
        if url.startswith(INBOX):
            assert _inbox_count(client, url) == n, url


def test_a_petition_placed_in_a_village_counts_in_its_commune_and_its_link_shows_it(
    mk: SimpleNamespace, march_2025: SimpleNamespace, time_machine
) -> None:
    from tests.gov.factories import UnitFactory

    muong_kim = unit("xa-muong-kim")
    village = UnitFactory(
        parent=muong_kim, path=f"{muong_kim.path}ban-thu/", level=AdministrativeUnit.Level.VILLAGE
    )
    time_machine.move_to(on(2025, 3, 3), tick=False)
    submit_item(location_unit=village)
    time_machine.move_to(on(2025, 3, 25), tick=False)
    client = _client(mk.leader)
    numbers = _numbers(client.get(URL).content.decode())
    overdue = f"{INBOX}?overdue=true&unit={muong_kim.pk}"
    assert numbers[overdue] == 5  # the four of the commune and the village's
    assert _inbox_count(client, overdue) == 5


def test_skip_level_and_mass_numbers_lead_to_the_inbox(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    item = march_2025.items[(2025, 3, 3)]
    PetitionItem.objects.filter(pk=item.pk).update(is_skip_level=True, is_mass=True)
    client = _client(mk.leader)
    numbers = _numbers(client.get(URL).content.decode())
    for url in (f"{INBOX}?skip_level=true", f"{INBOX}?mass=true"):
        assert numbers[url] == 1 == _inbox_count(client, url)


def test_numbers_are_linked_only_through_filters_the_inbox_has() -> None:
    # A filter the inbox does not have leaves the number unlinked rather than open a wider
    # list that looks like its own.
    assert inbox_url(overdue="true", unit=1) == f"{INBOX}?overdue=true&unit=1"
    assert inbox_url(overdue="true", agency=1) == f"{INBOX}?overdue=true&agency=1"
    assert inbox_url(handler=1) == f"{INBOX}?handler=1"
    assert inbox_url(due_on_before="2025-03-24") == f"{INBOX}?due_on_before=2025-03-24"
    assert inbox_url(overdue="true", place="Bản Bo") == ""


def test_agency_and_handler_numbers_lead_to_the_inbox_showing_as_many_items(
    mk: SimpleNamespace, march_2025: SimpleNamespace
) -> None:
    overdue_item = march_2025.items[(2025, 3, 3)]
    PetitionItem.objects.filter(pk=overdue_item.pk).update(handler=mk.handler)  # kept overdue
    client = _client(staff_of("ubnd-tinh", User.Role.LEADER))
    numbers = _numbers(client.get(URL).content.decode())
    by_agency = f"{INBOX}?overdue=true&agency={agency('ubnd-xa-muong-kim').pk}"
    assert numbers[by_agency] == 4
    by_handler = [url for url in numbers if f"handler={mk.handler.pk}" in url]
    assert numbers[f"{INBOX}?overdue=true&handler={mk.handler.pk}"] == 1
    for url in [by_agency, *by_handler]:
        assert _inbox_count(client, url) == numbers[url], url


def test_the_inbox_offers_only_the_agencies_and_handlers_in_scope(mk: SimpleNamespace) -> None:
    client = _client(mk.leader)
    ban_bo = agency("ubnd-xa-ban-bo")
    outsider = staff_of("ubnd-xa-ban-bo", User.Role.HANDLER)
    page = client.get(INBOX).content.decode()
    assert mk.handler.display_name in page and outsider.display_name not in page
    assert ban_bo.name not in page
    response = client.get(INBOX, {"handler": outsider.pk})
    assert response.status_code == 200
    assert "handler" in response.context["filter"].form.errors  # refused, not widened
    assert response.context["page"].paginator.count == 0  # nothing listed, not everything
    assert "sửa lại để xem danh sách" in response.content.decode()
    for bad in ({"due_on_after": "abc"}, {"agency": "xyz"}):
        refused = client.get(INBOX, bad)
        assert refused.status_code == 200 and refused.context["page"].paginator.count == 0
    plain = client.get(INBOX, {"handler": mk.handler.pk})
    assert plain.context["refused"] is False  # a value in scope is used, not refused
    assert "sửa lại để xem danh sách" not in plain.content.decode()


def test_commitment_and_compliance_numbers_link_to_their_pages(
    mk: SimpleNamespace, time_machine
) -> None:
    time_machine.move_to(on(2025, 3, 25), tick=False)
    numbers = _numbers(_client(mk.leader).get(URL).content.decode())
    commitments = reverse("dialogues:commitments")
    assert {f"{commitments}?status={s}" for s in ("kept", "overdue")} <= set(numbers)
    assert f"{reverse('reception:compliance')}?year=2025&month=3" in numbers
    assert reverse("dialogues:grassroots") in numbers


def test_answers_replies_and_results_owed_past_their_day_lead_to_their_lists(
    time_machine,
) -> None:
    """A question asked at a session closing 2/3/2026 is answered in writing by 20 days, a
    voters' recommendation assigned on 2/3 within 30, dialogue results within 10 (the rules
    table); on 15/4 all three are overdue. Each number opens the list of what it counts."""
    from dialogues import services
    from tests.dialogues import factories as f

    time_machine.move_to(on(2026, 3, 2), tick=False)
    province = staff_of("ubnd-tinh", User.Role.LEADER)
    clerk = staff_of("hdnd-tinh", User.Role.HANDLER)  # the council's staff record its work
    session = f.council_session(by=clerk, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2))
    f.question(by=clerk, session=session)
    answered = f.question(by=clerk, session=session)
    services.question_answer(
        question=answered,
        by=province,
        answer="Đã trả lời.",
        in_session=True,
        answered_on=dt.date(2026, 3, 2),
    )
    late = services.voter_recommendation_add(
        meeting=f.voter_meeting(by=clerk, date=dt.date(2026, 3, 2)),
        by=clerk,
        content="Đề nghị sửa cầu treo bản Nà Phát.",
        sector=Sector.objects.get(code="nong-nghiep"),
        assigned_agency=Agency.objects.get(code="so-nong-nghiep-moi-truong"),
        assigned_on=dt.date(2026, 3, 2),
    )
    replied = services.voter_recommendation_add(
        meeting=late.meeting,
        by=clerk,
        content="Đề nghị làm đường vào bản.",
        sector=Sector.objects.get(code="nong-nghiep"),
        assigned_agency=late.assigned_agency,
        assigned_on=dt.date(2026, 3, 2),
    )
    services.voter_recommendation_reply(
        recommendation=replied, by=province, reply="Đã bố trí vốn.", replied_on=dt.date(2026, 3, 2)
    )
    held = f.held_dialogue(by=province, date=dt.date(2026, 3, 2), agency=agency("ubnd-tinh"))
    published = f.held_dialogue(by=province, date=dt.date(2026, 3, 2), agency=agency("ubnd-tinh"))
    services.dialogue_publish_results(dialogue=published, by=province, results="Kết quả.")
    time_machine.move_to(on(2026, 4, 15), tick=False)
    client = _client(province)
    numbers = _numbers(client.get(URL).content.decode())
    voters = f"{reverse('dialogues:voters')}?overdue=1"
    dialogues = f"{reverse('dialogues:dialogues')}?results=overdue"
    council = f"{reverse('dialogues:council')}#overdue-title"
    assert (numbers[council], numbers[voters], numbers[dialogues]) == (1, 1, 1)
    listed = client.get(voters).context["page"].object_list
    assert list(listed) == [late]
    assert list(client.get(dialogues).context["page"].object_list) == [held]
    assert len(client.get(council).context["overdue_questions"]) == 1
