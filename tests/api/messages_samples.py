"""Security-matrix samples for messaging, refills and pharmacies.

Each maker gets the owning patient's id and creates what one call needs. Staff reach a thread only through
its pool, so thread samples also say how to make a staff caller a member (`prepare_staff`): the matrix
then checks that every role the policy names is served once it belongs to the pool. Being refused outside
the pool is tested in test_messages_api.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.core import audit, dynamo
from chalicelib.core import users as user_store
from chalicelib.core.access import Caller
from chalicelib.core.identity import Role

if TYPE_CHECKING:
    from tests.api.test_security_matrix import Sample

POOL = "dr-rivera-team"


def owner(patient_id: str) -> Caller:
    """The patient themself, as the services see them (for making sample data)."""
    return Caller(
        sub=f"sub-owner-{patient_id}",
        username="owner",
        role=Role.PATIENT,
        display_name="Sample Owner",
        request_id="req-sample",
        acts_for={patient_id: "self"},
    )


def join_pool(sub: str) -> None:
    user_store.set_pools(sub, [POOL])


def available_document(patient_id: str, filename: str = "scan.pdf") -> str:
    """A finalized PDF in the patient's documents, as the documents module leaves one."""
    from chalicelib.documents import store as document_store
    from chalicelib.documents.models import Document

    now = datetime.now(UTC)
    document_id = dynamo.new_id()
    document = Document(
        id=document_id,
        patient_id=patient_id,
        category="other",
        filename=filename,
        content_type="application/pdf",
        declared_size=9,
        s3_key=document_store.s3_key(patient_id, document_id),
        created_at=now,
        uploaded_by="Sample Owner",
    )
    caller = owner(patient_id)
    started = audit.event(caller, patient_id=patient_id, action="document.upload_start", target=document_id)
    document_store.create_pending(document, now=now, audit=started)
    done = audit.event(caller, patient_id=patient_id, action="document.upload", target=document_id)
    document_store.mark_available(document, size=9, now=now, audit=done)
    return document_id


def make_thread(patient_id: str, *, attachment_ids: list[str] | None = None) -> str:
    from chalicelib.messaging import service as messaging
    from chalicelib.messaging.models import NewThreadIn

    body = NewThreadIn(pool_id=POOL, subject="A question", body="Hello", attachment_ids=attachment_ids or [])
    return messaging.start_thread(owner(patient_id), patient_id, body).thread.id


SAMPLE_CLINICIAN = Caller(
    sub="sub-sample-prescriber",
    username="sample-prescriber",
    role=Role.CLINICIAN,
    display_name="Dr. Sample",
    request_id="req-sample",
)

PHARMACY: dict[str, Any] = {
    "name": "Main Street Pharmacy",
    "phone": "+12175550100",
    "address": {"line1": "1 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701"},
}


def active_medication(patient_id: str, name: str = "Lisinopril 10 mg tablet") -> str:
    from chalicelib.records import service as records
    from chalicelib.records.models import MedicationIn

    body = MedicationIn(
        name=name,
        dose="10 mg",
        instructions="One every morning",
        prescriber="Dr. Sample",
        start_date="2024-01-15",
    )
    return records.create_record(SAMPLE_CLINICIAN, patient_id, "medication", body).id


def saved_pharmacy(patient_id: str) -> str:
    from chalicelib.pharmacies import service as pharmacies
    from chalicelib.pharmacies.models import PharmacyIn

    # A patient keeps at most ten: reuse one the samples already saved.
    saved = pharmacies.pharmacy_store.list_for_patient(patient_id)
    if saved:
        return saved[0].id
    return pharmacies.add_pharmacy(owner(patient_id), patient_id, PharmacyIn.model_validate(PHARMACY)).id


def refill_body(patient_id: str) -> dict[str, Any]:
    return {"medication_id": active_medication(patient_id), "pharmacy_id": saved_pharmacy(patient_id)}


def open_refill(patient_id: str) -> str:
    from chalicelib.refills import service as refills
    from chalicelib.refills.models import RefillIn

    body = RefillIn.model_validate(refill_body(patient_id))
    return refills.request_refill(owner(patient_id), patient_id, body).id


def approval(pharmacy_id: str) -> dict[str, Any]:
    return {
        "decision": "approve",
        "note": "Sent to your pharmacy.",
        "prescription": {
            "drug": "Lisinopril 10 mg tablet",
            "dose": "10 mg",
            "quantity": 30,
            "refills": 2,
            "pharmacy_id": pharmacy_id,
        },
    }


def _decision(patient_id: str) -> Sample:
    request_id = open_refill(patient_id)
    return _sample(params={"request_id": request_id}, body=approval(saved_pharmacy(patient_id)))


def _approved(patient_id: str) -> Sample:
    from chalicelib.core.access import Caller
    from chalicelib.core.identity import Role
    from chalicelib.refills import service as refills
    from chalicelib.refills.models import RefillDecisionIn

    request_id = open_refill(patient_id)
    doctor = Caller(
        sub="sub-sample-doc", username="doc", role=Role.CLINICIAN, display_name="Dr. S", request_id="r"
    )
    body = RefillDecisionIn.model_validate(approval(saved_pharmacy(patient_id)))
    refills.decide(doctor, patient_id, request_id, body)
    return _sample(params={"request_id": request_id})


def _sample(**kwargs: Any) -> Sample:
    from tests.api.test_security_matrix import Sample

    return Sample(**kwargs)


def _thread(body: dict[str, Any] | None = None) -> Callable[[str], Sample]:
    return lambda pid: _sample(params={"thread_id": make_thread(pid)}, body=body, prepare_staff=join_pool)


def _attachment(pid: str) -> Sample:
    document_id = available_document(pid)
    thread_id = make_thread(pid, attachment_ids=[document_id])
    return _sample(params={"thread_id": thread_id, "document_id": document_id}, prepare_staff=join_pool)


THREAD = "/patients/{patient_id}/threads/{thread_id}"

SAMPLES: dict[str, Callable[[str], Sample]] = {
    "POST /patients/{patient_id}/threads": lambda _pid: _sample(
        body={"pool_id": POOL, "subject": "Refill question", "body": "Can I take it with food?"}
    ),
    f"GET {THREAD}": _thread(),
    f"POST {THREAD}/messages": _thread({"body": "Thank you!"}),
    f"POST {THREAD}/assign": _thread(),
    f"POST {THREAD}/close": _thread(),
    f"GET {THREAD}/attachments/{{document_id}}": _attachment,
    "POST /patients/{patient_id}/refill-requests": lambda pid: _sample(body=refill_body(pid)),
    "POST /patients/{patient_id}/refill-requests/{request_id}/decision": _decision,
    "GET /patients/{patient_id}/refill-requests/{request_id}/prescription": _approved,
    "POST /patients/{patient_id}/pharmacies": lambda _pid: _sample(body=PHARMACY),
    "DELETE /patients/{patient_id}/pharmacies/{pharmacy_id}": lambda pid: _sample(
        params={"pharmacy_id": saved_pharmacy(pid)}
    ),
    "GET /staff/pools/{pool_id}/inbox": lambda _pid: _sample(
        params={"pool_id": POOL}, prepare_staff=join_pool
    ),
}
