"""The demo province's removal cases: for a few of the members the meetings show absent without
valid reason in three months of this year or the last (chibo.meetings.checks), their cell's
proposal through the service (the ground checked against the records as a secretary's would be),
then the commune's decision on some: one removed, one not, the rest waiting — so that the list,
a case and the member page show each state. Deterministic: the members in code order, one
`random.Random` from the demo's seed."""

import random
import sys

from django.utils import timezone

from chibo.accounts.policy import SYSTEM
from chibo.meetings.checks import unexcused_months
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.removal import queries, services
from chibo.removal.choices import Outcome

CASES = 6  # proposals at most; the first decided "removed", the second "rejected"


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS)."""
    counts = build(seed=context.seed)
    stream = context.stream or sys.stderr
    stream.write("  removal: " + ", ".join(f"{k} {n}" for k, n in counts.items()) + "\n")
    stream.flush()


def build(*, seed: int) -> dict[str, int]:
    today = timezone.localdate()
    rng = random.Random(seed)
    root = Organization.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        return {}
    candidates = {row["member"] for year in (today.year, today.year - 1)
                  for row in unexcused_months(root, year)}
    # not the demo accounts' members: their handbook stays as the demo shows it
    members = list(Member.objects.filter(pk__in=candidates, user__isnull=True,
                                         status__in=("official", "probationary"))
                   .select_related("cell").order_by("member_code"))
    rng.shuffle(members)
    counts = {Outcome.PENDING.value: 0, Outcome.REMOVED.value: 0, Outcome.REJECTED.value: 0}
    for n, member in enumerate(members[:CASES]):
        case = services.propose_removal(services.NewRemoval(
            member, ["unexcused_absence"], today,
            note="Chi bộ đã gặp gỡ, nhắc nhở nhưng đảng viên không chuyển biến."), actor=SYSTEM)
        outcome = (Outcome.REMOVED, Outcome.REJECTED)[n] if n < 2 else Outcome.PENDING
        if outcome != Outcome.PENDING:
            services.decide_removal(case, outcome=outcome, decided_on=today,
                                    decided_by=queries.default_decider(case.cell),
                                    decision_no=f"{100 + n}-QĐ/ĐU", actor=SYSTEM)
        counts[outcome.value] += 1
    return counts
