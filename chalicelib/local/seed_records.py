"""Demo health records: Alex has a realistic chart (two years of diabetes care, 15 results, some out of
range so the trends mean something), María has a result on a clinician hold and a backlog of new results
(a critical potassium, several abnormal) waiting for Dr. Rivera's review, Riley has his vaccines.

Dates are relative to `now`, so the demo always looks current. Written as history (no audit events, as a
migration would), and only into charts that are still empty: re-seeding never overwrites edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.core import aws
from chalicelib.core.schema import patient_pk
from chalicelib.documents import store as document_store
from chalicelib.documents.models import Document
from chalicelib.records import store as record_store
from chalicelib.records.models import STORED_MODELS, Record
from chalicelib.results import store as result_store
from chalicelib.results.models import Component, Hold, Result, ResultPreferences

ALEX, MARIA, RILEY = "p-4f1c2a9e", "p-8b3d7e21", "p-2e9a61d4"
QUINN = "p-7a3e5b10"  # 15: a parent sees the immunizations, never the confidential result
DOCTOR = "Dr. Priya Rivera"
LAB = "Riverside Clinic Laboratory"


@dataclass(frozen=True)
class Analyte:
    code: str
    name: str
    unit: str
    low: str | None
    high: str | None


HBA1C = Analyte("4548-4", "Hemoglobin A1c", "%", None, "5.6")
GLUCOSE = Analyte("2345-7", "Glucose", "mg/dL", "70", "99")
CREATININE = Analyte("2160-0", "Creatinine", "mg/dL", "0.57", "1.00")
POTASSIUM = Analyte("2823-3", "Potassium", "mmol/L", "3.5", "5.1")
CHOLESTEROL = Analyte("2093-3", "Cholesterol, total", "mg/dL", None, "199")
LDL = Analyte("13457-7", "LDL cholesterol (calculated)", "mg/dL", None, "99")
HDL = Analyte("2085-9", "HDL cholesterol", "mg/dL", "40", None)
TRIGLYCERIDES = Analyte("2571-8", "Triglycerides", "mg/dL", None, "149")
HEMOGLOBIN = Analyte("718-7", "Hemoglobin", "g/dL", "12.0", "15.5")
WBC = Analyte("6690-2", "White blood cells", "10*3/uL", "4.0", "11.0")
PLATELETS = Analyte("777-3", "Platelets", "10*3/uL", "150", "400")
TSH = Analyte("3016-3", "TSH", "m[IU]/L", "0.45", "4.50")


def _component(analyte: Analyte, value: str, *, critical_high: str | None = None) -> Component:
    return Component(
        code=analyte.code,
        name=analyte.name,
        value=Decimal(value),
        unit=analyte.unit,
        ref_low=Decimal(analyte.low) if analyte.low else None,
        ref_high=Decimal(analyte.high) if analyte.high else None,
        critical_high=Decimal(critical_high) if critical_high else None,
    )


def _day(now: datetime, days_ago: int, hour: int = 9) -> datetime:
    return datetime.combine((now - timedelta(days=days_ago)).date(), time(hour, 15), tzinfo=UTC)


def _record(kind: str, patient_id: str, number: int, now: datetime, days_ago: int, **fields: Any) -> Record:
    at = _day(now, days_ago, 16)
    return STORED_MODELS[kind].model_validate(
        {
            "id": f"seed-{patient_id}-{kind}-{number}",
            "patient_id": patient_id,
            "created_at": at,
            "updated_at": at,
            "updated_by": DOCTOR,
            **fields,
        }
    )


def _alex_records(now: datetime) -> list[Record]:
    def d(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).date().isoformat()

    return [
        _record(
            "problem",
            ALEX,
            1,
            now,
            800,
            name="Type 2 diabetes mellitus",
            code={"system": "icd10", "code": "E11.9"},
            onset_date=d(800),
        ),
        _record(
            "problem",
            ALEX,
            2,
            now,
            1400,
            name="Essential hypertension",
            code={"system": "icd10", "code": "I10"},
            onset_date=d(1400),
        ),
        _record(
            "problem",
            ALEX,
            3,
            now,
            700,
            name="Hyperlipidemia",
            code={"system": "icd10", "code": "E78.5"},
            onset_date=d(700),
        ),
        _record(
            "problem",
            ALEX,
            4,
            now,
            2000,
            name="Seasonal allergic rhinitis",
            code={"system": "icd10", "code": "J30.2"},
            note="Worse in spring",
        ),
        _record(
            "problem", ALEX, 5, now, 500, name="Sprained left ankle", status="resolved", onset_date=d(500)
        ),
        _record(
            "medication",
            ALEX,
            1,
            now,
            800,
            name="Metformin 1000 mg tablet",
            code={"system": "rxnorm", "code": "861004"},
            dose="1000 mg",
            instructions="Take 1 tablet by mouth twice a day with breakfast and dinner",
            prescriber=DOCTOR,
            start_date=d(800),
        ),
        _record(
            "medication",
            ALEX,
            2,
            now,
            1400,
            name="Lisinopril 10 mg tablet",
            code={"system": "rxnorm", "code": "314076"},
            dose="10 mg",
            instructions="Take 1 tablet by mouth every morning",
            prescriber=DOCTOR,
            start_date=d(1400),
        ),
        _record(
            "medication",
            ALEX,
            3,
            now,
            700,
            name="Atorvastatin 20 mg tablet",
            code={"system": "rxnorm", "code": "617310"},
            dose="20 mg",
            instructions="Take 1 tablet by mouth at bedtime",
            prescriber=DOCTOR,
            start_date=d(700),
        ),
        _record(
            "medication",
            ALEX,
            4,
            now,
            2000,
            name="Cetirizine 10 mg tablet",
            dose="10 mg",
            instructions="Take 1 tablet by mouth once a day as needed for allergies",
            prescriber=DOCTOR,
            start_date=d(2000),
        ),
        _record(
            "medication",
            ALEX,
            5,
            now,
            800,
            name="Glipizide 5 mg tablet",
            dose="5 mg",
            instructions="Take 1 tablet by mouth before breakfast",
            prescriber=DOCTOR,
            start_date=d(800),
            end_date=d(420),
            status="stopped",
        ),
        _record(
            "allergy",
            ALEX,
            1,
            now,
            3000,
            substance="Penicillin",
            reaction="Hives",
            severity="moderate",
            noted_date=d(3000),
        ),
        _record(
            "allergy",
            ALEX,
            2,
            now,
            1200,
            substance="Sulfamethoxazole (sulfa drugs)",
            reaction="Rash",
            severity="mild",
            noted_date=d(1200),
        ),
        _record(
            "allergy",
            ALEX,
            3,
            now,
            4000,
            substance="Shellfish",
            reaction="Throat swelling",
            severity="severe",
        ),
        _record(
            "immunization",
            ALEX,
            1,
            now,
            2500,
            vaccine="Tdap (tetanus, diphtheria, pertussis)",
            code={"system": "cvx", "code": "115"},
            date=d(2500),
            dose_number=1,
        ),
        _record(
            "immunization",
            ALEX,
            2,
            now,
            420,
            vaccine="Influenza, seasonal",
            code={"system": "cvx", "code": "88"},
            date=d(420),
            dose_number=1,
        ),
        _record(
            "immunization",
            ALEX,
            3,
            now,
            55,
            vaccine="Influenza, seasonal",
            code={"system": "cvx", "code": "88"},
            date=d(55),
            dose_number=1,
        ),
        _record(
            "immunization",
            ALEX,
            4,
            now,
            60,
            vaccine="COVID-19 vaccine",
            code={"system": "cvx", "code": "213"},
            date=d(60),
            dose_number=4,
        ),
        _record(
            "immunization",
            ALEX,
            5,
            now,
            300,
            vaccine="Pneumococcal conjugate (PCV20)",
            code={"system": "cvx", "code": "216"},
            date=d(300),
            dose_number=1,
        ),
        _record(
            "visit",
            ALEX,
            1,
            now,
            800,
            start=_day(now, 800, 15),
            reason="Tiredness and thirst",
            provider=DOCTOR,
            location="Riverside Family Clinic",
            diagnoses=[{"name": "Type 2 diabetes mellitus", "code": {"system": "icd10", "code": "E11.9"}}],
            instructions="Start metformin and glipizide. Check your blood sugar every morning and write it "
            "down. Meet with our diabetes educator.",
            follow_up="Return in 3 months with your blood sugar log",
        ),
        _record(
            "visit",
            ALEX,
            2,
            now,
            430,
            start=_day(now, 430, 14),
            reason="Diabetes follow-up",
            provider=DOCTOR,
            location="Riverside Family Clinic",
            diagnoses=[
                {"name": "Type 2 diabetes mellitus", "code": {"system": "icd10", "code": "E11.9"}},
                {"name": "Hyperlipidemia", "code": {"system": "icd10", "code": "E78.5"}},
            ],
            instructions="Stop glipizide (your sugars run low before lunch). Keep metformin. "
            "Walk 30 minutes five days a week.",
            follow_up="Lab work in 3 months",
        ),
        _record(
            "visit",
            ALEX,
            3,
            now,
            200,
            start=_day(now, 200, 10),
            visit_type="telehealth",
            reason="Blood pressure check",
            provider=DOCTOR,
            diagnoses=[{"name": "Essential hypertension", "code": {"system": "icd10", "code": "I10"}}],
            instructions="Keep taking lisinopril every morning. Check your blood pressure at home twice a "
            "week; call us if it is above 160/100.",
            follow_up="Annual physical in the fall",
        ),
        _record(
            "visit",
            ALEX,
            4,
            now,
            20,
            start=_day(now, 20, 11),
            reason="Annual physical",
            provider=DOCTOR,
            location="Riverside Family Clinic",
            diagnoses=[
                {"name": "Routine adult health check", "code": {"system": "icd10", "code": "Z00.00"}},
                {"name": "Type 2 diabetes mellitus", "code": {"system": "icd10", "code": "E11.9"}},
            ],
            instructions="Great progress: your A1c is nearly at goal. Keep up the walking. Your flu and "
            "COVID vaccines are up to date.",
            follow_up="Diabetes check with labs in 3 months",
        ),
    ]


def _result(
    patient_id: str,
    number: int,
    now: datetime,
    days_ago: int,
    *,
    category: str = "lab",
    name: str,
    code: str | None,
    components: list[Component],
    comment: str | None = None,
    opened: bool = True,
    entered_days_ago: int | None = None,
    hold: Hold | None = None,
    review_wait_days: int | None = None,
    reviewed: bool | None = None,
) -> Result:
    collected = _day(now, days_ago, 8)
    entered = (
        _day(now, entered_days_ago, 14) if entered_days_ago is not None else collected + timedelta(hours=30)
    )
    visible_from = entered
    if review_wait_days is not None:
        visible_from = entered + timedelta(days=review_wait_days)
    if hold is not None:
        visible_from = max(visible_from, hold.until)
    # History was reviewed (a comment or not); the last month's results without one wait in the queue.
    if reviewed is None:
        reviewed = comment is not None or days_ago > 30
    return Result(
        id=f"seed-{patient_id}-result-{number}",
        patient_id=patient_id,
        category=category,
        name=name,
        code=code,
        collected_at=collected,
        ordered_by=DOCTOR,
        performer=LAB,
        components=components,
        entered_at=entered,
        entered_by=DOCTOR,
        visible_from=visible_from,
        review_wait_until=entered + timedelta(days=review_wait_days) if review_wait_days else None,
        hold=hold,
        reviewed_at=entered + timedelta(hours=4) if reviewed else None,
        reviewed_by=DOCTOR if reviewed else None,
        comment=comment,
        comment_at=entered + timedelta(hours=4) if comment else None,
        opened_at=entered + timedelta(days=1) if opened and visible_from <= now else None,
        notified_at=visible_from if visible_from <= now else None,
    )


def _alex_results(now: datetime) -> list[Result]:
    # A quarterly diabetes panel over two years: A1c falls from 8.4 to 6.4 as treatment works.
    panels = [
        (730, "8.4", "182", "0.82", "4.4"),
        (640, "7.9", "161", "0.85", "4.6"),
        (550, "7.6", "148", "0.80", "4.2"),
        (460, "7.2", "139", "0.88", "5.4"),
        (370, "7.0", "126", "0.84", "4.5"),
        (280, "6.8", "118", "0.86", "4.1"),
        (190, "6.9", "121", "1.04", "4.3"),
        (100, "6.6", "109", "0.90", "4.4"),
        (21, "6.4", "104", "0.87", "4.6"),
    ]
    comments = {
        730: "Your A1c confirms type 2 diabetes. We will start treatment; see the visit summary.",
        460: "Potassium is a little high; please avoid salt substitutes. We will recheck next time.",
        190: "Creatinine is slightly up, likely from dehydration. Drink more water; recheck in 3 months.",
        21: "Best A1c so far. Keep going!",
    }
    results = [
        _result(
            ALEX,
            n,
            now,
            days,
            name="Diabetes monitoring panel",
            code="24323-8",
            components=[
                _component(HBA1C, a1c),
                _component(GLUCOSE, glucose, critical_high="400"),
                _component(CREATININE, creatinine),
                _component(POTASSIUM, potassium),
            ],
            comment=comments.get(days),
            opened=days > 21,
        )
        for n, (days, a1c, glucose, creatinine, potassium) in enumerate(panels, 1)
    ]
    results += [
        _result(
            ALEX,
            10,
            now,
            700,
            name="Lipid panel",
            code="57698-3",
            components=[
                _component(CHOLESTEROL, "236"),
                _component(LDL, "158"),
                _component(HDL, "44"),
                _component(TRIGLYCERIDES, "171"),
            ],
            comment="LDL is high. Starting atorvastatin.",
        ),
        _result(
            ALEX,
            11,
            now,
            21,
            name="Lipid panel",
            code="57698-3",
            components=[
                _component(CHOLESTEROL, "171"),
                _component(LDL, "92"),
                _component(HDL, "49"),
                _component(TRIGLYCERIDES, "138"),
            ],
            opened=False,
        ),
        _result(
            ALEX,
            12,
            now,
            730,
            name="Complete blood count",
            code="58410-2",
            components=[_component(HEMOGLOBIN, "13.6"), _component(WBC, "7.2"), _component(PLATELETS, "251")],
        ),
        _result(
            ALEX,
            13,
            now,
            190,
            name="Complete blood count",
            code="58410-2",
            components=[_component(HEMOGLOBIN, "11.6"), _component(WBC, "6.8"), _component(PLATELETS, "238")],
            comment="Mild anemia; we will check iron levels at your next visit.",
        ),
        _result(
            ALEX,
            14,
            now,
            370,
            name="Thyroid stimulating hormone",
            code="3016-3",
            components=[_component(TSH, "2.1")],
        ),
        _result(
            ALEX,
            15,
            now,
            480,
            category="pathology",
            name="Skin biopsy, left forearm",
            code="22637-3",
            components=[Component(name="Diagnosis", value_text="Benign compound nevus. No atypia.")],
            comment="Benign mole, nothing more to do.",
        ),
        # Alex chose "review first" for pathology: this one waits for Dr. Rivera (or 7 days).
        _result(
            ALEX,
            16,
            now,
            3,
            category="pathology",
            name="Cervical cytology (Pap test)",
            code="10524-7",
            components=[Component(name="Interpretation", value_text="Negative for intraepithelial lesion")],
            entered_days_ago=1,
            review_wait_days=7,
            opened=False,
        ),
    ]
    return results


def _maria(now: datetime) -> tuple[list[Record], list[Result]]:
    def d(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).date().isoformat()

    records = [
        _record(
            "problem",
            MARIA,
            1,
            now,
            3000,
            name="Osteoarthritis of knee",
            code={"system": "icd10", "code": "M17.9"},
        ),
        _record(
            "problem", MARIA, 2, now, 2500, name="Hypothyroidism", code={"system": "icd10", "code": "E03.9"}
        ),
        _record(
            "medication",
            MARIA,
            1,
            now,
            2500,
            name="Levothyroxine 75 mcg tablet",
            dose="75 mcg",
            instructions="Take 1 tablet every morning on an empty stomach",
            prescriber=DOCTOR,
            start_date=d(2500),
        ),
        _record(
            "allergy",
            MARIA,
            1,
            now,
            5000,
            substance="Codeine",
            reaction="Nausea and vomiting",
            severity="moderate",
        ),
        _record(
            "visit",
            MARIA,
            1,
            now,
            12,
            start=_day(now, 12, 9),
            reason="Cough for three weeks",
            provider=DOCTOR,
            diagnoses=[{"name": "Persistent cough"}],
            instructions="We ordered a chest CT. Use the inhaler as needed.",
            follow_up="We will call you with the CT result",
        ),
    ]
    hold = Hold(
        reason="New lung nodule on CT: Dr. Rivera will explain the finding and next steps in person first.",
        until=_day(now, -4, 17),
        by_sub="seed",
        by_name=DOCTOR,
        at=_day(now, 1, 14),
    )
    results = [
        _result(
            MARIA,
            1,
            now,
            200,
            name="Thyroid stimulating hormone",
            code="3016-3",
            components=[_component(TSH, "3.2")],
        ),
        _result(
            MARIA,
            2,
            now,
            2,
            category="imaging",
            name="CT chest without contrast",
            code="30745-4",
            components=[Component(name="Impression", value_text="8 mm nodule in the right upper lobe.")],
            entered_days_ago=1,
            hold=hold,
            opened=False,
        ),
        *_maria_backlog(now),
    ]
    return records, results


def _maria_backlog(now: datetime) -> list[Result]:
    """Results in since her last visit that Dr. Rivera has not reviewed yet: the clinician's queue."""
    return [
        _result(
            MARIA,
            3,
            now,
            2,
            name="Basic metabolic panel",
            code="51990-0",
            components=[
                _component(GLUCOSE, "112", critical_high="400"),
                _component(POTASSIUM, "6.7", critical_high="6.5"),
                _component(CREATININE, "0.92"),
            ],
            opened=False,
        ),
        _result(
            MARIA,
            4,
            now,
            3,
            name="Complete blood count",
            code="58410-2",
            components=[_component(HEMOGLOBIN, "10.9"), _component(WBC, "6.1"), _component(PLATELETS, "244")],
            opened=False,
        ),
        _result(
            MARIA,
            5,
            now,
            4,
            name="Lipid panel",
            code="57698-3",
            components=[
                _component(CHOLESTEROL, "231"),
                _component(LDL, "162"),
                _component(HDL, "52"),
                _component(TRIGLYCERIDES, "140"),
            ],
            opened=False,
        ),
        _result(
            MARIA,
            6,
            now,
            5,
            name="Thyroid stimulating hormone",
            code="3016-3",
            components=[_component(TSH, "6.8")],
            opened=False,
        ),
        _result(
            MARIA,
            7,
            now,
            6,
            name="Hemoglobin A1c",
            code="4548-4",
            components=[_component(HBA1C, "5.4")],
            opened=False,
        ),
    ]


def _riley_records(now: datetime) -> list[Record]:
    def d(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).date().isoformat()

    return [
        _record(
            "immunization",
            RILEY,
            1,
            now,
            2900,
            vaccine="MMR (measles, mumps, rubella)",
            code={"system": "cvx", "code": "03"},
            date=d(2900),
            dose_number=1,
        ),
        _record(
            "immunization",
            RILEY,
            2,
            now,
            1600,
            vaccine="MMR (measles, mumps, rubella)",
            code={"system": "cvx", "code": "03"},
            date=d(1600),
            dose_number=2,
        ),
        _record(
            "immunization",
            RILEY,
            3,
            now,
            50,
            vaccine="Influenza, seasonal",
            code={"system": "cvx", "code": "88"},
            date=d(50),
            dose_number=1,
        ),
        _record(
            "allergy",
            RILEY,
            1,
            now,
            900,
            substance="Peanuts",
            reaction="Hives and swelling",
            severity="severe",
        ),
    ]


def _quinn(now: datetime) -> tuple[list[Record], list[Result]]:
    def d(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).date().isoformat()

    records: list[Record] = [
        _record(
            "immunization",
            QUINN,
            1,
            now,
            400,
            vaccine="Tdap (tetanus, diphtheria, pertussis)",
            code={"system": "cvx", "code": "115"},
            date=d(400),
            dose_number=1,
        ),
        _record(
            "immunization",
            QUINN,
            2,
            now,
            60,
            vaccine="HPV, 9-valent",
            code={"system": "cvx", "code": "165"},
            date=d(60),
            dose_number=1,
        ),
    ]
    results = [
        _result(
            QUINN,
            1,
            now,
            40,
            name="Glucose, fasting",
            code="1558-6",
            components=[_component(GLUCOSE, "88")],
        ),
        _result(
            QUINN,
            2,
            now,
            12,
            name="Chlamydia and gonorrhea test",
            code="36902-5",
            components=[
                Component(code="43304-5", name="Chlamydia trachomatis rRNA", value_text="Not detected"),
                Component(code="43305-2", name="Neisseria gonorrhoeae rRNA", value_text="Not detected"),
            ],
            comment="Negative. Come back any time you want to talk.",
        ).model_copy(update={"confidential": True}),
    ]
    return records, results


_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _outside_record(now: datetime) -> Document:
    document_id = f"seed-{ALEX}-document-1"
    at = _day(now, 95, 12)
    return Document(
        id=document_id,
        patient_id=ALEX,
        category="outside_record",
        filename="Springfield Eye Center - exam.pdf",
        content_type="application/pdf",
        declared_size=len(_PDF),
        size=len(_PDF),
        status="available",
        s3_key=document_store.s3_key(ALEX, document_id),
        created_at=at,
        uploaded_at=at,
        uploaded_by="Sam Lee",
    )


def _chart_is_empty(patient_id: str) -> bool:
    response = aws.table().query(
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": patient_pk(patient_id), ":prefix": record_store.RECORD_PREFIX},
        Limit=1,
    )
    return not response.get("Items")


def seed_records(*, now: datetime | None = None) -> None:
    """Seed the demo charts (once: charts that already have entries are left alone)."""
    now = now or datetime.now(UTC)
    maria_records, maria_results = _maria(now)
    charts: dict[str, tuple[list[Record], list[Result]]] = {
        ALEX: (_alex_records(now), _alex_results(now)),
        MARIA: (maria_records, maria_results),
        RILEY: (_riley_records(now), []),
        QUINN: _quinn(now),
    }
    with aws.table().batch_writer() as batch:
        for patient_id, (records, results) in charts.items():
            if not _chart_is_empty(patient_id):
                continue
            for record in records:
                batch.put_item(Item=record_store.item(record))
            for result in results:
                for entry in result_store.create_entries(result, now=now):
                    batch.put_item(Item=entry["Put"]["Item"])
            if patient_id == ALEX:
                prefs = ResultPreferences.model_validate(
                    {
                        "patient_id": ALEX,
                        "categories": {
                            "pathology": {"review_first": True, "max_wait_days": 7},
                            "genetic": {"review_first": True, "max_wait_days": 14},
                        },
                        "version": 1,
                        "updated_at": _day(now, 400),
                        "updated_by": "Alex Morgan",
                    }
                )
                batch.put_item(
                    Item={
                        **prefs.model_dump(mode="json"),
                        "PK": patient_pk(ALEX),
                        "SK": result_store.PREFS_SK,
                    }
                )
                document = _outside_record(now)
                if document_store.bucket():
                    aws.s3_client().put_object(
                        Bucket=document_store.bucket(),
                        Key=document.s3_key,
                        Body=_PDF,
                        ContentType="application/pdf",
                    )
                    batch.put_item(
                        Item={
                            **document.model_dump(mode="json", exclude_none=True),
                            **document_store.document_key(ALEX, document.id),
                        }
                    )
