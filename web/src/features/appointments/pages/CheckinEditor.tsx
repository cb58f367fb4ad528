// The eCheck-in form: details, insurance, medications and allergies, questionnaires; checks, then submit.

import { msg, t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { appointmentsApi, type CheckinDetails } from '../api';
import {
  buildCheckin,
  checkinInputId,
  errorOrder,
  initialCheckinForm,
  mapCheckinApiErrors,
  rowKey,
  validateCheckin,
  type Answer,
  type CheckinErrors,
  type CheckinForm,
  type RecordLists,
} from '../appointmentsCheckin';
import { ErrorSummary, Notice, type SummaryItem } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { i18n } from '../../../shared/i18n';
import type { MessageDescriptor } from '@lingui/core';
import { formatDateTime } from '../../../shared/format';
import { errorText, focusSoon } from './AppointmentsShared';
import { ListSection } from './CheckinSections';
import { QuestionnaireSection } from './CheckinQuestions';
import { DetailsSection, InsuranceSection } from './CheckinDetailsSections';

const ERROR_LABELS: Record<string, MessageDescriptor> = {
  demographics_confirmed: msg`Your details`,
  insurance_mode: msg`Insurance`,
  carrier: msg`Insurance company`,
  member_id: msg`Member ID`,
  medications: msg`Medications`,
  allergies: msg`Allergies`,
};

function removedText(name: string): string {
  return t`${name} was removed from the list.`;
}

function sentOnText(when: string): string {
  return t`You sent this on ${when}. You can change your answers and send them again.`;
}

export function CheckinEditor({
  details,
  record,
  timeZone,
  onDone,
}: {
  details: CheckinDetails;
  record: RecordLists | null;
  timeZone: string;
  onDone: (d: CheckinDetails) => void;
}) {
  const { api, patient, clinic } = useApp();
  const [form, setForm] = useState<CheckinForm>(() => initialCheckinForm(details, record));
  const [errors, setErrors] = useState<CheckinErrors>({});
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');
  const errorRef = useRef<HTMLDivElement>(null);
  const questionnaires = details.questionnaires;
  const submittedAt = details.submitted?.submitted_at;

  const update = (patch: Partial<CheckinForm>) => setForm((f) => ({ ...f, ...patch }));
  const setAnswer = (qid: string, linkId: string, value: Answer) =>
    setForm((f) => ({ ...f, answers: { ...f.answers, [qid]: { ...(f.answers[qid] ?? {}), [linkId]: value } } }));

  const showErrors = (next: CheckinErrors, extra: string[] = []) => {
    setErrors(next);
    setUnplaced(extra);
    requestAnimationFrame(() => {
      const first = errorOrderFor(next)[0];
      const target = first ? document.getElementById(checkinInputId(first)) : null;
      if (target) target.focus();
      else errorRef.current?.focus();
    });
  };

  const errorOrderFor = (errs: CheckinErrors) => {
    const order = errorOrder(questionnaires);
    const rowKeys = [...form.medications.map((m) => `medications.${m.key}.name`), ...form.allergies.map((a) => `allergies.${a.key}.substance`)];
    return Object.keys(errs).sort((a, b) => rank(a) - rank(b));
    function rank(key: string): number {
      const i = order.indexOf(key);
      if (i >= 0) return i + (i >= order.indexOf('medications') ? rowKeys.length : 0);
      const r = rowKeys.indexOf(key);
      return r >= 0 ? order.indexOf('medications') + r : 9999;
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || !patient) return;
    setSubmitError(null);
    const clientErrors = validateCheckin(form, questionnaires);
    if (Object.keys(clientErrors).length > 0) {
      showErrors(clientErrors);
      return;
    }
    setErrors({});
    setUnplaced([]);
    setBusy(true);
    try {
      const saved = await appointmentsApi(api).submitCheckin(patient.id, details.appointment_id, buildCheckin(form, questionnaires));
      onDone(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && Object.keys(e.fields).length > 0) {
        const mapped = mapCheckinApiErrors(e.fields, form);
        showErrors(mapped.errors, mapped.unplaced);
      } else if (!(e instanceof ApiError && e.code === 'unauthorized')) {
        setSubmitError(errorText(e, t`We couldn't send your eCheck-in. Please try again.`));
        requestAnimationFrame(() => errorRef.current?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  const labelFor = (key: string): string => {
    if (key === 'phone') return t`Phone`;
    if (key === 'email') return t`Email`;
    const label = ERROR_LABELS[key];
    if (label) return i18n._(label);
    const med = /^medications\.(.+)\.name$/.exec(key);
    if (med) {
      const n = form.medications.findIndex((m) => m.key === med[1]) + 1;
      return t`Medication ${n}`;
    }
    const allergy = /^allergies\.(.+)\.substance$/.exec(key);
    if (allergy) {
      const n = form.allergies.findIndex((a) => a.key === allergy[1]) + 1;
      return t`Allergy ${n}`;
    }
    const answer = /^answers\.([^.]+)\.(.+)$/.exec(key);
    if (answer) {
      const q = questionnaires.find((x) => x.id === answer[1]);
      const item = q?.items.find((i) => i.link_id === answer[2]);
      if (item) {
        const text = item.text.replace(/[.?:!]+$/, '');
        return `${q?.title}, ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
      }
    }
    return key;
  };

  const summary: SummaryItem[] = [
    ...errorOrderFor(errors).map((key) => ({ target: checkinInputId(key), text: `${labelFor(key)}: ${errors[key]}` })),
    ...unplaced.map((text) => ({ target: null, text })),
  ];
  const err = (key: string) => errors[key];
  const clearError = (key: string) => {
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest);
  };

  const addMedication = () => {
    const key = rowKey();
    update({ medications: [...form.medications, { key, name: '', dose: '' }], noMedications: false });
    clearError('medications');
    setAnnounce(t`A new medication line was added.`);
    focusSoon(checkinInputId(`medications.${key}.name`));
  };
  const addAllergy = () => {
    const key = rowKey();
    update({ allergies: [...form.allergies, { key, substance: '', reaction: '' }], noKnownAllergies: false });
    clearError('allergies');
    setAnnounce(t`A new allergy line was added.`);
    focusSoon(checkinInputId(`allergies.${key}.substance`));
  };

  const demo = details.demographics;

  return (
    <form class="profile-form appt-checkin-form" onSubmit={submit} noValidate>
      {submittedAt ? (
        <Notice tone="success" title={t`eCheck-in done`}>
          <p>{sentOnText(formatDateTime(submittedAt, timeZone))}</p>
        </Notice>
      ) : (
        <p class="appt-intro">{t`It takes about 5 minutes. Questions marked (optional) can be left blank.`}</p>
      )}
      <ErrorSummary items={summary} />
      <div ref={errorRef} tabIndex={-1} class="status-anchor">
        {submitError ? (
          <Notice tone="error" role="alert">
            <p>{submitError}</p>
          </Notice>
        ) : null}
      </div>

      <DetailsSection demo={demo} patient={patient} form={form} err={err} update={update} clearError={clearError} />

      <InsuranceSection form={form} err={err} update={update} clearError={clearError} />

      <ListSection
        kind="medications"
        title={t`Medications`}
        description={
          record?.medications.length && !details.submitted
            ? t`From your health record. Remove any you no longer take, and add any that are missing, including over-the-counter medicines and supplements.`
            : t`Include prescriptions, over-the-counter medicines and supplements.`
        }
        rows={form.medications.map((m) => ({ key: m.key, first: m.name, second: m.dose }))}
        firstLabel={t`Medication`}
        secondLabel={t`Dose`}
        secondHint={t`For example: 10 mg once a day`}
        none={form.noMedications}
        noneLabel={t`I don't take any medications`}
        addLabel={t`Add a medication`}
        error={err('medications')}
        rowError={(key) => err(`medications.${key}.name`)}
        rowErrorKey={(key) => `medications.${key}.name`}
        onNone={(v) => {
          update({ noMedications: v });
          clearError('medications');
        }}
        onRow={(key, first, second) => {
          update({ medications: form.medications.map((m) => (m.key === key ? { ...m, name: first, dose: second } : m)) });
          clearError(`medications.${key}.name`);
          clearError('medications');
        }}
        onRemove={(key, name) => {
          const index = form.medications.findIndex((m) => m.key === key);
          const rest = form.medications.filter((m) => m.key !== key);
          update({ medications: rest });
          setAnnounce(name ? removedText(name) : t`The medication was removed from the list.`);
          const next = rest[Math.min(index, rest.length - 1)];
          focusSoon(next ? checkinInputId(`medications.${next.key}.name`) : 'checkin-medications-add');
        }}
        onAdd={addMedication}
      />

      <ListSection
        kind="allergies"
        title={t`Allergies`}
        description={
          record?.allergies.length && !details.submitted
            ? t`From your health record. Remove any that are wrong and add any that are missing.`
            : t`Medicines, foods, latex, insect stings, or anything else.`
        }
        rows={form.allergies.map((a) => ({ key: a.key, first: a.substance, second: a.reaction }))}
        firstLabel={t`Allergic to`}
        secondLabel={t`Reaction`}
        secondHint={t`For example: hives, swelling`}
        none={form.noKnownAllergies}
        noneLabel={t`I have no known allergies`}
        addLabel={t`Add an allergy`}
        error={err('allergies')}
        rowError={(key) => err(`allergies.${key}.substance`)}
        rowErrorKey={(key) => `allergies.${key}.substance`}
        onNone={(v) => {
          update({ noKnownAllergies: v });
          clearError('allergies');
        }}
        onRow={(key, first, second) => {
          update({ allergies: form.allergies.map((a) => (a.key === key ? { ...a, substance: first, reaction: second } : a)) });
          clearError(`allergies.${key}.substance`);
          clearError('allergies');
        }}
        onRemove={(key, name) => {
          const index = form.allergies.findIndex((a) => a.key === key);
          const rest = form.allergies.filter((a) => a.key !== key);
          update({ allergies: rest });
          setAnnounce(name ? removedText(name) : t`The allergy was removed from the list.`);
          const next = rest[Math.min(index, rest.length - 1)];
          focusSoon(next ? checkinInputId(`allergies.${next.key}.substance`) : 'checkin-allergies-add');
        }}
        onAdd={addAllergy}
      />

      {questionnaires.map((q) => (
        <QuestionnaireSection
          key={q.id}
          questionnaire={q}
          answers={form.answers[q.id] ?? {}}
          errors={errors}
          emergency={clinic?.emergency_notice ?? t`If this is a medical emergency, call 911.`}
          onAnswer={(linkId, value) => {
            setAnswer(q.id, linkId, value);
            clearError(`answers.${q.id}.${linkId}`);
          }}
        />
      ))}

      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Sending…` : submittedAt ? t`Send updated eCheck-in` : t`Submit eCheck-in`}
        </button>
        <p class="muted small">{t`Your answers go to your care team for this visit.`}</p>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </form>
  );
}
