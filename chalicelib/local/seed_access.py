"""Demo staff access for the access screens: the patient's log, the admin review and the privacy report.

Dr. Rivera and the front desk open Alex's record around Alex's visits; Alex, as caregiver, looks at Riley's;
and Jordan Kim (billing) opens Chris's record, with whom the clinic has had no visit: the privacy report
flags that one. Ids carry the day, so a re-seed on another day adds, never clashes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.core import audit_log
from chalicelib.core.audit_log import AuditEvent
from chalicelib.core.identity import Relationship, Role

ALEX, RILEY, CHRIS = "p-4f1c2a9e", "p-2e9a61d4", "p-c5a0f613"

# (days ago, hour, patient, username, name, role, relationship, action, target)
_ACCESSES: tuple[tuple[int, int, str, str, str, Role, Relationship | None, str, str], ...] = (
    (3, 9, ALEX, "drrivera", "Dr. Priya Rivera", Role.CLINICIAN, None, "record.read", "summary"),
    (3, 9, ALEX, "drrivera", "Dr. Priya Rivera", Role.CLINICIAN, None, "result.list", "results"),
    (2, 15, ALEX, "frontdesk", "Sam Lee", Role.FRONT_DESK, None, "appointment.list", "upcoming"),
    (1, 10, ALEX, "billing", "Jordan Kim", Role.BILLING, None, "statement.list", "statements"),
    (1, 18, RILEY, "alex", "Alex Morgan", Role.PATIENT, "caregiver", "record.read", "summary"),
    (2, 11, CHRIS, "billing", "Jordan Kim", Role.BILLING, None, "record.read", "summary"),
    (2, 11, CHRIS, "billing", "Jordan Kim", Role.BILLING, None, "result.list", "results"),
)


def seed(subs: dict[str, str], now: datetime) -> None:
    day = now.strftime("%Y%m%d")
    for n, (days, hour, patient_id, username, name, role, relationship, action, target) in enumerate(
        _ACCESSES
    ):
        audit_log.put(
            AuditEvent(
                id=f"seed-access-{day}-{n:02d}",
                patient_id=patient_id,
                at=now.replace(hour=hour, minute=n, second=0, microsecond=0) - timedelta(days=days),
                actor_sub=subs[username],
                actor_name=name,
                actor_role=role,
                action=action,
                target=target,
                request_id=f"seed-access-{n}",
                actor_relationship=relationship,
            )
        )
