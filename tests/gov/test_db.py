"""gov.fast.inserts: insert_rows writes what bulk_create writes; insert_together writes rows that
refer to one another, in one statement on PostgreSQL, the same rows as its plain path (one
bulk_create per model, ``PORTAL_FAST_PATHS=false``)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext, override_settings

from complaints.models import ItemEvent, Petition, Submitter
from gov.fast.inserts import insert_rows, insert_together, inserts_are_one_statement
from tests.complaints.factories import submit_item

pytestmark = pytest.mark.django_db

SKIP = {"id", "at"}


def _events(item: object, note: str) -> list[ItemEvent]:
    return [
        ItemEvent(
            petition_id=item.petition_id,
            item=item,
            kind=ItemEvent.Kind.FLAGGED,
            to_status=item.status,
            note=f"{note} {n}",
            data={"flag": "mass", "n": n, "words": ["đất", "nương"]},
        )
        for n in range(3)
    ]


def test_insert_rows_writes_the_rows_bulk_create_writes_and_sets_their_keys() -> None:
    item = submit_item()
    ours = insert_rows(_events(item, "ours"))
    django = ItemEvent.objects.bulk_create(_events(item, "django"))
    assert all(e.pk and not e._state.adding for e in ours)
    saved = {e.pk: e for e in ItemEvent.objects.filter(pk__in=[e.pk for e in ours + django])}
    for mine, theirs in zip(ours, django, strict=True):
        a, b = model_to_dict(saved[mine.pk]), model_to_dict(saved[theirs.pk])
        assert a.pop("note").replace("ours", "") == b.pop("note").replace("django", "")
        assert {k: v for k, v in a.items() if k not in SKIP} == {
            k: v for k, v in b.items() if k not in SKIP
        }
        assert saved[mine.pk].at is not None  # auto_now_add, as save() sets it
    assert [saved[e.pk].note for e in ours] == ["ours 0", "ours 1", "ours 2"]


def test_insert_rows_resolves_a_foreign_key_saved_after_it_was_assigned() -> None:
    petition = submit_item().petition
    petition.pk, petition.code = None, "LC26-ZZZZZZ"  # a new, unsaved petition
    event = ItemEvent(petition=petition, kind=ItemEvent.Kind.FLAGGED, data={})
    petition.save()
    insert_rows([event])
    assert ItemEvent.objects.get(pk=event.pk).petition.code == "LC26-ZZZZZZ"
    assert insert_rows([]) == []


def test_insert_rows_refuses_a_foreign_key_never_saved() -> None:
    petition = submit_item().petition
    petition.pk = None
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_rows([ItemEvent(petition=petition, kind=ItemEvent.Kind.FLAGGED, data={})])


def _new_petition(code: str) -> Petition:
    """A copy of a submitted petition, not saved, under another code."""
    petition = submit_item().petition
    petition.pk, petition.code = None, code
    petition._state.adding = True
    return petition


def test_insert_together_writes_rows_that_refer_to_rows_written_with_them() -> None:
    petition = _new_petition("LC26-TOGET1")
    people = [Submitter(petition=petition, position=n, full_name=f"Người {n}") for n in range(2)]
    events = [
        ItemEvent(petition=petition, kind=ItemEvent.Kind.FLAGGED, data={"n": n}) for n in (1, 2)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_together([petition, *people, *events])
    if inserts_are_one_statement():
        assert len(queries) == 1  # one statement, keys drawn in it
    assert petition.pk and not petition._state.adding
    saved = Petition.objects.get(code="LC26-TOGET1")
    assert saved.pk == petition.pk
    assert [(s.pk, s.full_name) for s in saved.submitters.order_by("position")] == [
        (p.pk, p.full_name) for p in people
    ]
    assert all(p.petition_id == petition.pk for p in people + events)
    rows = ItemEvent.objects.filter(petition=saved).order_by("pk")
    assert [(e.pk, e.data) for e in rows] == [(e.pk, e.data) for e in events]
    assert all(e.at is not None for e in rows)  # auto_now_add, as save() sets it


def _written(code: str) -> list[dict[str, object]]:
    """What ``_together(code)`` wrote, without keys, times and the code itself."""
    petition = Petition.objects.get(code=code)
    rows = [{k: v for k, v in model_to_dict(petition).items() if k not in {"id", "code"}}]
    for model in (Submitter, ItemEvent):
        for row in model.objects.filter(petition=petition).order_by("pk"):
            fields = model_to_dict(row)
            assert fields.pop("petition") == petition.pk
            rows.append({k: v for k, v in fields.items() if k not in SKIP})
    return rows


def _together(template: Petition, code: str) -> list[object]:
    """A copy of ``template`` under ``code``, two submitters and two events, none saved."""
    petition = Petition.objects.get(pk=template.pk)
    petition.pk, petition.code = None, code
    petition._state.adding = True
    people = [Submitter(petition=petition, position=n, full_name=f"Người {n}") for n in range(2)]
    events = [
        ItemEvent(petition=petition, kind=ItemEvent.Kind.FLAGGED, note="ghi chú", data={"n": n})
        for n in (1, 2)
    ]
    return [petition, *people, *events]


@pytest.mark.postgres
@pytest.mark.fast_paths
def test_insert_together_writes_the_rows_its_plain_path_writes() -> None:
    """The same rows through the one statement and through bulk_create, model by model."""
    template = submit_item().petition
    fast, slow = _together(template, "LC26-FAST01"), _together(template, "LC26-PLAIN1")
    with CaptureQueriesContext(connection) as fast_queries:
        insert_together(fast)
    with override_settings(PORTAL_FAST_PATHS=False), CaptureQueriesContext(connection) as plain:
        assert not inserts_are_one_statement()
        insert_together(slow)
    assert [q["sql"][:9] for q in fast_queries] == ["WITH k AS"]
    assert [q["sql"][:11] for q in plain] == ["INSERT INTO"] * 3  # one per model
    assert all(obj.pk and not obj._state.adding for obj in fast + slow)
    assert _written("LC26-FAST01") == _written("LC26-PLAIN1")
    assert Submitter.objects.get(pk=fast[1].pk).petition_id == fast[0].pk
    assert Submitter.objects.get(pk=slow[1].pk).petition_id == slow[0].pk


@pytest.mark.postgres
@pytest.mark.fast_paths
def test_insert_rows_writes_the_rows_its_plain_path_writes() -> None:
    item = submit_item()
    fast = insert_rows(_events(item, "same"))
    with override_settings(PORTAL_FAST_PATHS=False):
        slow = insert_rows(_events(item, "same"))

    def written(events: list[ItemEvent]) -> list[dict[str, object]]:
        saved = ItemEvent.objects.in_bulk([e.pk for e in events])
        return [
            {k: v for k, v in model_to_dict(saved[e.pk]).items() if k not in SKIP} for e in events
        ]

    assert written(list(fast)) == written(list(slow))
    assert len({e.pk for e in [*fast, *slow]}) == 6


def test_insert_together_writes_nothing_when_one_row_is_refused() -> None:
    taken = submit_item().petition.code
    petition = _new_petition(taken)  # the code is unique
    person = Submitter(petition=petition, position=0, full_name="Lò Văn A")
    before = Submitter.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together([petition, person])
    # Names are encrypted at rest (gov.crypto): they are not looked up, the rows are counted.
    assert Submitter.objects.count() == before
    insert_together([])


def test_insert_together_refuses_a_foreign_key_to_a_row_it_does_not_write() -> None:
    petition = _new_petition("LC26-TOGET2")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_together([ItemEvent(petition=petition, kind=ItemEvent.Kind.FLAGGED, data={})])


@pytest.mark.postgres
@pytest.mark.fast_paths
def test_the_statement_of_a_submission_is_parsed_by_the_driver_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """psycopg keeps its parsing of a statement only up to a number of parameters, which a
    submission's one statement passes: the portal raises that bound (``gov.apps``)."""
    from psycopg import _queries

    parsed_again: list[bytes] = []
    uncached = _queries._query2pg_nocache

    def counted(query: bytes, encoding: str) -> object:
        parsed_again.append(query)
        return uncached(query, encoding)

    monkeypatch.setattr(_queries, "_query2pg_nocache", counted)
    submit_item()
    parsed_again.clear()
    with CaptureQueriesContext(connection) as queries:
        submit_item()
    assert [q for q in queries if q["sql"].startswith("WITH k AS")]
    assert parsed_again == []
