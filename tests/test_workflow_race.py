"""Two reviewers accepting the same registration at the same moment: one transition, one e-mail, one clear refusal.

Needs real row locks and concurrent connections, so it runs on PostgreSQL only (CI runs the suite there):
DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_a DJANGO_DEBUG=1 .venv/bin/pytest -m postgres
"""

import threading
import time

import pytest
from django.db import connection

from models_registry import services
from models_registry.models import Initiative, InitiativeStatus, InitiativeTransition


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_produce_exactly_one_transition(units, request, monkeypatch, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks and serialises writers (CI runs this on PostgreSQL)")
    from .factories import InitiativeFactory

    unit_staff = request.getfixturevalue("unit_staff")
    reviewers = [request.getfixturevalue("commune_reviewer"), request.getfixturevalue("provincial_board")]
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization)

    # Both threads pass the permission check, then start their transactions together; the first to take the
    # row lock also lingers inside it so that the second is certainly waiting on the lock, not merely late.
    barrier = threading.Barrier(2, timeout=10)
    real_require_reviewer = services._require_reviewer
    real_create = InitiativeTransition.unscoped.create

    def require_reviewer_then_wait(user, obj):
        real_require_reviewer(user, obj)
        barrier.wait()

    def slow_create(**kwargs):
        time.sleep(0.3)
        return real_create(**kwargs)

    monkeypatch.setattr(services, "_require_reviewer", require_reviewer_then_wait)
    monkeypatch.setattr(InitiativeTransition.unscoped, "create", slow_create)

    outcomes = []

    def accept(user):
        try:
            services.initiative_accept(initiative=Initiative.objects.get(pk=initiative.pk), acting_user=user)
            outcomes.append("accepted")
        except services.WorkflowError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in reviewers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    elapsed = time.monotonic() - started

    assert outcomes.count("accepted") == 1, outcomes
    refusal = next(o for o in outcomes if o != "accepted")
    assert refusal in (
        "Mô hình đã ở trạng thái “Đã chấp nhận”; có thể người khác vừa xử lý. Hãy tải lại trang để xem tình trạng "
        "mới nhất.",
        "Mô hình vừa được người khác xử lý. Hãy tải lại trang.",
    )
    assert InitiativeTransition.objects.filter(initiative=initiative, to_status="accepted").count() == 1
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED
    assert initiative.version == 2
    assert len(mailoutbox) == 1
    assert elapsed >= 0.3  # the second accept really waited for the first one's lock
