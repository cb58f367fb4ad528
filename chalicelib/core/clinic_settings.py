"""Sections of the clinic file that features read: billing and result categories.

They live in core because the clinic file (core/clinic.py) is validated as a whole, before any feature runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from chalicelib.core import i18n
from chalicelib.core.models import Model

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
CategoryId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,30}$")]


# --- text the clinic writes, in each language the portal speaks ---


class ClinicStr(str):
    """A string of the clinic file: its English text (so every existing reader keeps working), with the
    other languages the clinic wrote alongside. Readers that show it to a person call `localize`."""

    translations: Mapping[str, str]

    def __new__(cls, english: str, translations: Mapping[str, str] | None = None) -> ClinicStr:
        made = super().__new__(cls, english)
        made.translations = MappingProxyType(dict(translations or {}))
        return made

    def __reduce__(self) -> tuple[object, ...]:  # copies keep the translations
        return (ClinicStr, (str(self), dict(self.translations)))


def localize(value: str, locale: i18n.Locale) -> str:
    """`value` in `locale` when the clinic wrote it in that language, else as written (English)."""
    if isinstance(value, ClinicStr):
        return value.translations.get(locale) or str(value)
    return value


def _clinic_text(min_length: int, max_length: int) -> PlainValidator:
    def parse(value: object) -> ClinicStr:
        if isinstance(value, ClinicStr):
            return value
        texts: dict[object, object]
        if isinstance(value, str):
            texts = {"en": value}
        elif isinstance(value, dict):
            texts = dict(value)
            unknown = set(texts) - set(i18n.LOCALES)
            if unknown:
                raise ValueError(f"languages must be among {', '.join(i18n.LOCALES)}")
            if "en" not in texts:
                raise ValueError('give the English text under "en"')
        else:
            raise ValueError('expected text, or the text in each language such as {"en": "...", "es": "..."}')
        for language, written in texts.items():
            if not isinstance(written, str):
                raise ValueError(f"the {language} text must be a string")
            if not min_length <= len(written) <= max_length:
                raise ValueError(f"the {language} text must be {min_length} to {max_length} characters")
        english = str(texts.pop("en"))
        return ClinicStr(english, {str(k): str(v) for k, v in texts.items()})

    return PlainValidator(parse)


_BILINGUAL_SCHEMA = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {locale: {"type": "string"} for locale in i18n.LOCALES},
            "required": ["en"],
            "additionalProperties": False,
        },
    ]
}


def _as_written(value: str) -> str | dict[str, str]:
    """Back to the clinic file's shape, so a dumped clinic (the deployed copy) keeps every language."""
    if isinstance(value, ClinicStr) and value.translations:
        return {"en": str(value), **value.translations}
    return str(value)


def _bilingual(
    max_length: int, min_length: int = 0
) -> tuple[PlainValidator, PlainSerializer, WithJsonSchema, WithJsonSchema]:
    return (
        _clinic_text(min_length, max_length),
        PlainSerializer(_as_written),
        WithJsonSchema(_BILINGUAL_SCHEMA, mode="validation"),
        # What the API sends is always localized first (`localize`, Questionnaire.in_locale): plain text.
        WithJsonSchema({"type": "string"}, mode="serialization"),
    )


# Clinic-written string fields: plain text (English), or {"en": ..., "es": ...}. A dump writes them back
# in that shape; show one to a person through `localize`.
ClinicLabel = Annotated[str, *_bilingual(80, min_length=1)]
ClinicShortLabel = Annotated[str, *_bilingual(60, min_length=1)]
ClinicHours = Annotated[str, *_bilingual(40, min_length=1)]
ClinicLine = Annotated[str, *_bilingual(200)]
ClinicText = Annotated[str, *_bilingual(300)]
ClinicQuestion = Annotated[str, *_bilingual(500, min_length=1)]
ClinicLongText = Annotated[str, *_bilingual(500)]


# --- "billing" ---


class PlanLimits(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_months: Annotated[int, Field(ge=2, le=60)] = 2
    max_months: Annotated[int, Field(ge=2, le=60)] = 12
    min_balance_cents: Annotated[int, Field(ge=0)] = 5_000
    min_installment_cents: Annotated[int, Field(ge=100)] = 2_500
    first_due_within_days: Annotated[int, Field(ge=0, le=60)] = 30
    retry_attempts: Annotated[int, Field(ge=1, le=5)] = 3  # charges of one installment before it is missed
    retry_after_days: Annotated[int, Field(ge=1, le=14)] = 3

    @model_validator(mode="after")
    def _ordered(self) -> PlanLimits:
        if self.min_months > self.max_months:
            raise ValueError("plans.min_months must not exceed plans.max_months")
        return self


SECRET_ARN = r"^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$"  # noqa: S105  a pattern


class StripeSettings(Model):
    """The clinic's own Stripe account. The secret key stays in Secrets Manager; only its ARN is here."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publishable_key: Annotated[str, Field(pattern=r"^pk_(test|live)_[A-Za-z0-9]+$")]
    secret_key_arn: Annotated[str, Field(pattern=SECRET_ARN)]
    # The signing secret of the webhook endpoint (whsec_...), in its own secret: payments settle from it.
    webhook_secret_arn: Annotated[str, Field(pattern=SECRET_ARN)]


class BillingSettings(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: Currency = "USD"
    # "simulated" charges nothing and is refused when STAGE=prod; "stripe" needs the stripe block.
    provider: Literal["simulated", "stripe"] = "simulated"
    stripe: StripeSettings | None = None
    plans: PlanLimits = Field(default_factory=PlanLimits)
    billing_phone: Annotated[str, Field(pattern=r"^\+[1-9]\d{6,14}$")] | None = None

    @model_validator(mode="after")
    def _stripe_configured(self) -> BillingSettings:
        if self.provider == "stripe" and self.stripe is None:
            raise ValueError("billing.provider 'stripe' needs billing.stripe")
        return self


# --- "result_categories" ---


_REVIEW_FIRST_PROMPT = ClinicStr(
    "Let my clinician review these results with me before I see them",
    {"es": "Quiero que mi médico revise estos resultados conmigo antes de verlos"},
)


class ResultCategory(Model):
    """One category of results as a clinic names and explains it to patients."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: CategoryId
    label: ClinicShortLabel
    description: ClinicText = ""
    review_first_prompt: ClinicLine = Field(default_factory=lambda: _REVIEW_FIRST_PROMPT)
    allow_review_first: bool = True  # may patients choose to wait for these? (never a clinic-wide delay)
    max_wait_days_limit: Annotated[int, Field(ge=1, le=30)] = 14
    default_max_wait_days: Annotated[int, Field(ge=1, le=30)] = 7

    @model_validator(mode="after")
    def _default_within_limit(self) -> ResultCategory:
        if self.default_max_wait_days > self.max_wait_days_limit:
            raise ValueError("default_max_wait_days cannot exceed max_wait_days_limit")
        return self


def default_result_categories() -> list[ResultCategory]:
    def category(id: str, label: tuple[str, str], description: tuple[str, str]) -> ResultCategory:
        return ResultCategory.model_validate(
            {
                "id": id,
                "label": {"en": label[0], "es": label[1]},
                "description": {"en": description[0], "es": description[1]},
            }
        )

    return [
        category(
            "lab",
            ("Lab tests", "Análisis de laboratorio"),
            (
                "Blood, urine and other routine lab tests",
                "Análisis de sangre, de orina y otros análisis de rutina",
            ),
        ),
        category(
            "microbiology",
            ("Cultures and infections", "Cultivos e infecciones"),
            ("Cultures and swabs", "Cultivos y muestras con hisopo"),
        ),
        category(
            "imaging",
            ("Imaging reports", "Informes de imágenes"),
            (
                "X-ray, ultrasound, CT and MRI reports",
                "Informes de radiografías, ultrasonidos, tomografías y resonancias",
            ),
        ),
        category(
            "pathology",
            ("Pathology", "Patología"),
            (
                "Biopsies and other tissue or cell tests, which may show cancer",
                "Biopsias y otros análisis de tejidos o células, que pueden mostrar cáncer",
            ),
        ),
        category(
            "genetic",
            ("Genetic tests", "Pruebas genéticas"),
            (
                "Tests of your genes, which may say something about your family too",
                "Pruebas de sus genes, que también pueden decir algo sobre su familia",
            ),
        ),
    ]


# --- "minors": what a parent or guardian sees of a teenager's record (the age rules vary by state) ---

# The areas a grant may cover (core/identity.py Area), plus "immunizations": the immunization list of the
# health record, without the rest of it.
TeenSafeArea = Literal[
    "appointments", "messages", "billing", "health_record", "documents", "refills", "immunizations"
]
_TEEN_SAFE_DEFAULT: tuple[TeenSafeArea, ...] = ("appointments", "billing", "immunizations")
ConfidentialCategory = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{1,40}$")]


class MinorsSettings(Model):
    """From `teen_from_age` until `adult_at_age` (ages in the clinic's time zone), a parent's or guardian's
    grant opens only `teen_safe_areas` and never shows an item marked confidential, nor one of a
    `confidential_categories` category. The teen's own account has the whole record from
    `teen_own_account_from_age`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    teen_from_age: Annotated[int, Field(ge=1, le=20)] = 12
    adult_at_age: Annotated[int, Field(ge=14, le=21)] = 18
    teen_own_account_from_age: Annotated[int, Field(ge=1, le=21)] = 13
    teen_safe_areas: list[TeenSafeArea] = Field(default_factory=lambda: list(_TEEN_SAFE_DEFAULT))
    confidential_categories: list[ConfidentialCategory] = Field(
        default_factory=lambda: ["sexual-health", "pregnancy", "mental-health", "substance-use"]
    )

    @model_validator(mode="after")
    def _ordered(self) -> MinorsSettings:
        if self.teen_from_age >= self.adult_at_age:
            raise ValueError("minors.teen_from_age must be below minors.adult_at_age")
        if not self.teen_from_age <= self.teen_own_account_from_age <= self.adult_at_age:
            raise ValueError(
                "minors.teen_own_account_from_age must lie between teen_from_age and adult_at_age"
            )
        if len(set(self.teen_safe_areas)) != len(self.teen_safe_areas):
            raise ValueError("minors.teen_safe_areas must not repeat an area")
        return self
