// ECheck-in. Confirm details, insurance, medications and allergies, then the
// visit type's questionnaires, rendered from their definitions (text, choices, PHQ-style scales, consent
// with a typed signature). Everything entered is shown back as text, never as markup.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { appointmentsApi, type CheckinDetails, type Questionnaire, type QuestionnaireItem } from '../api';
import {
  buildCheckin,
  checkinInputId,
  errorOrder,
  initialCheckinForm,
  isEnabled,
  isScale,
  mapCheckinApiErrors,
  rowKey,
  validateCheckin,
  type Answer,
  type CheckinErrors,
  type CheckinForm,
  type RecordLists,
} from '../appointmentsCheckin';
import { formatDay, formatShortDateTime, formatTime, zoneLabel } from '../appointmentsFormat';
import { Icon } from '../../../shared/ui/Icons';
import { ErrorSummary, Field, Loading, Notice, Page, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDate, formatDateTime, formatPhone } from '../../../shared/format';
import { Link } from '../../../router';
import { ApptIcon } from './AppointmentsHome';
import { errorText, focusSoon } from './AppointmentsShared';
import { recordsApi } from '../../records/api';
import { useLoad } from '../../../shared/hooks/useLoad';

const ERROR_LABELS: Record<string, string> = {
  demographics_confirmed: 'Your details',
  insurance_mode: 'Insurance',
  carrier: 'Insurance company',
  member_id: 'Member ID',
  medications: 'Medications',
  allergies: 'Allergies',
};

function Section({ id, title, description, children }: { id: string; title: string; description?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="card form-section" aria-labelledby={id}>
      <div class="form-section-head">
        <h2 id={id}>{title}</h2>
        {description ? <p class="muted">{description}</p> : null}
      </div>
      <div class="form-section-body">{children}</div>
    </section>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={id}>
      <Icon name="alert" size={18} />
      <span>
        <span class="visually-hidden">Error: </span>
        {message}
      </span>
    </p>
  );
}

/** /appointments/:id/check-in */
export function CheckinPage({ appointmentId }: { appointmentId: string }) {
  const { api, patient } = useApp();
  const pid = patient?.id ?? null;
  const [done, setDone] = useState<CheckinDetails | null>(null);
  const loaded = useLoad(
    async (signal) => {
      const [appointment, details] = await Promise.all([
        appointmentsApi(api).appointment(pid!, appointmentId, signal),
        appointmentsApi(api).checkin(pid!, appointmentId, signal),
      ]);
      let record: RecordLists | null = null;
      if (!details.submitted && details.available_now) {
        // Start from the lists on the health record, so the patient confirms rather than retypes them.
        record = await recordsApi(api)
          .healthSummary(pid!, signal)
          .then((s) => ({ medications: s.medications, allergies: s.allergies }))
          .catch(() => null);
      }
      return { appointment, details, record };
    },
    [pid, appointmentId],
    { enabled: pid !== null, keepData: true },
  );
  const appointment = loaded.data?.appointment ?? null;
  const details = loaded.data?.details ?? null;
  const record: RecordLists | null | undefined = loaded.data ? loaded.data.record : undefined;
  const loadError = !loaded.error
    ? null
    : loaded.error instanceof ApiError && loaded.error.status === 404
      ? "We couldn't find this appointment."
      : errorText(loaded.error, "We couldn't load eCheck-in. Please try again.");

  const tz = appointment?.time_zone ?? 'UTC';
  const lead = appointment ? (
    <>
      {appointment.visit_type?.name ?? 'Appointment'} with {appointment.provider.name}, {formatDay(appointment.starts_at, tz)} at{' '}
      {formatTime(appointment.starts_at, tz)} ({zoneLabel(tz, appointment.starts_at)})
    </>
  ) : undefined;

  return (
    <Page title="eCheck-in" lead={lead}>
      <p class="appt-back">
        <Link href="/appointments">
          <ApptIcon name="arrowLeft" size={18} />
          Back to appointments
        </Link>
      </p>
      {loadError ? (
        <Notice tone="error" role="alert">
          <p>{loadError}</p>
          <button type="button" class="button button--secondary" onClick={loaded.reload}>
            Try again
          </button>
        </Notice>
      ) : !appointment || !details || record === undefined ? (
        <Loading label="Loading eCheck-in…" />
      ) : done ? (
        <section class="card appt-confirm" aria-labelledby="checkin-done-title">
          <div class="appt-success">
            <ApptIcon name="check" size={28} />
            <h2 id="checkin-done-title" tabIndex={-1}>
              You're checked in
            </h2>
          </div>
          <p>
            Thank you. Your answers are with the clinic for your visit on {formatDay(appointment.starts_at, tz)} at{' '}
            {formatTime(appointment.starts_at, tz)}. You can update them until the visit starts.
          </p>
          {appointment.modality === 'video' ? (
            <p>On the day, open Appointments shortly before the start and choose "Join video visit".</p>
          ) : (
            <p>On the day, please tell the front desk you have checked in online.</p>
          )}
          <Link href="/appointments" class="button button--primary">
            Back to appointments
          </Link>
        </section>
      ) : !details.available_now ? (
        <Notice tone="info" title={appointment.status !== 'booked' ? 'eCheck-in is not open' : 'eCheck-in is not open yet'}>
          <p>
            {appointment.status === 'requested'
              ? 'eCheck-in opens once the clinic confirms your request.'
              : appointment.status !== 'booked'
                ? `This appointment is ${appointment.status}.`
                : Date.parse(details.opens_at) > Date.now()
                  ? `It opens on ${formatShortDateTime(details.opens_at, tz)}.`
                  : 'eCheck-in has closed because this visit has started.'}
          </p>
        </Notice>
      ) : (
        <CheckinEditor
          key={details.appointment_id}
          details={details}
          record={record}
          timeZone={tz}
          onDone={(d) => {
            setDone(d);
            focusSoon('checkin-done-title');
            window.scrollTo(0, 0);
          }}
        />
      )}
    </Page>
  );
}

function CheckinEditor({
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
        setSubmitError(errorText(e, "We couldn't send your eCheck-in. Please try again."));
        requestAnimationFrame(() => errorRef.current?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  const labelFor = (key: string): string => {
    if (ERROR_LABELS[key]) return ERROR_LABELS[key] ?? key;
    const med = /^medications\.(.+)\.name$/.exec(key);
    if (med) return `Medication ${form.medications.findIndex((m) => m.key === med[1]) + 1}`;
    const allergy = /^allergies\.(.+)\.substance$/.exec(key);
    if (allergy) return `Allergy ${form.allergies.findIndex((a) => a.key === allergy[1]) + 1}`;
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
    setAnnounce('A new medication line was added.');
    focusSoon(checkinInputId(`medications.${key}.name`));
  };
  const addAllergy = () => {
    const key = rowKey();
    update({ allergies: [...form.allergies, { key, substance: '', reaction: '' }], noKnownAllergies: false });
    clearError('allergies');
    setAnnounce('A new allergy line was added.');
    focusSoon(checkinInputId(`allergies.${key}.substance`));
  };

  const demo = details.demographics;

  return (
    <form class="profile-form appt-checkin-form" onSubmit={submit} noValidate>
      {submittedAt ? (
        <Notice tone="success" title="eCheck-in done">
          <p>You sent this on {formatDateTime(submittedAt, timeZone)}. You can change your answers and send them again.</p>
        </Notice>
      ) : (
        <p class="appt-intro">It takes about 5 minutes. Questions marked (optional) can be left blank.</p>
      )}
      <ErrorSummary items={summary} />
      <div ref={errorRef} tabIndex={-1} class="status-anchor">
        {submitError ? (
          <Notice tone="error" role="alert">
            <p>{submitError}</p>
          </Notice>
        ) : null}
      </div>

      <Section
        id="checkin-details"
        title={patient && patient.relationship !== 'self' ? `${patient.display_name}'s details` : 'Your details'}
        description="Check these are right, so the clinic can reach you and bill correctly."
      >
        <dl class="readonly-list">
          <div>
            <dt>Legal name</dt>
            <dd>{demo.name}</dd>
          </div>
          <div>
            <dt>Date of birth</dt>
            <dd>{formatDate(demo.birth_date)}</dd>
          </div>
          <div>
            <dt>Phone</dt>
            <dd>{demo.phone ? formatPhone(demo.phone) : 'Not given'}</dd>
          </div>
          <div class="appt-facts-wide">
            <dt>Email</dt>
            <dd class="appt-break">{demo.email ?? 'Not given'}</dd>
          </div>
          <div class="appt-facts-wide">
            <dt>Home address</dt>
            <dd>{demo.address ?? 'Not given'}</dd>
          </div>
        </dl>
        <div class={`check${err('demographics_confirmed') ? ' field--error' : ''}`}>
          <input
            type="checkbox"
            id={checkinInputId('demographics_confirmed')}
            checked={form.demographicsConfirmed}
            onChange={(e) => {
              update({ demographicsConfirmed: (e.currentTarget as HTMLInputElement).checked });
              clearError('demographics_confirmed');
            }}
            aria-invalid={err('demographics_confirmed') ? 'true' : undefined}
            aria-describedby={err('demographics_confirmed') ? `${checkinInputId('demographics_confirmed')}-error` : undefined}
          />
          <label for={checkinInputId('demographics_confirmed')}>These details are correct</label>
          <FieldError id={`${checkinInputId('demographics_confirmed')}-error`} message={err('demographics_confirmed')} />
        </div>
        <p class="hint-box">
          <Icon name="info" size={20} />
          <span>
            Something wrong? <Link href="/profile">Update your profile</Link>, then come back here. To change your legal name or date
            of birth, contact the clinic.
          </span>
        </p>
      </Section>

      <Section id="checkin-insurance" title="Insurance" description="As shown on your insurance card.">
        <fieldset
          class={`radios${err('insurance_mode') ? ' field--error' : ''}`}
          aria-describedby={err('insurance_mode') ? `${checkinInputId('insurance_mode')}-error` : undefined}
        >
          <legend>How will you pay for this visit?</legend>
          <FieldError id={`${checkinInputId('insurance_mode')}-error`} message={err('insurance_mode')} />
          {(
            [
              ['insurance', 'With my health insurance'],
              ['self_pay', "I'll pay myself (self-pay)"],
            ] as const
          ).map(([value, label], i) => {
            const id = i === 0 ? checkinInputId('insurance_mode') : `${checkinInputId('insurance_mode')}-${value}`;
            return (
              <div class="check" key={value}>
                <input
                  type="radio"
                  name="checkin-insurance-mode"
                  id={id}
                  checked={form.insuranceMode === value}
                  onChange={() => {
                    update({ insuranceMode: value });
                    clearError('insurance_mode');
                  }}
                />
                <label for={id}>{label}</label>
              </div>
            );
          })}
        </fieldset>
        {form.insuranceMode === 'insurance' ? (
          <div class="form-grid appt-insurance">
            <TextField
              id={checkinInputId('carrier')}
              label="Insurance company"
              value={form.carrier}
              onValue={(v) => {
                update({ carrier: v });
                clearError('carrier');
              }}
              error={err('carrier')}
              maxLength={120}
              autoComplete="off"
            />
            <TextField
              id={checkinInputId('member_id')}
              label="Member ID"
              value={form.memberId}
              onValue={(v) => {
                update({ memberId: v });
                clearError('member_id');
              }}
              error={err('member_id')}
              maxLength={40}
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
            />
            <TextField
              id={checkinInputId('group_number')}
              label="Group number"
              optional
              value={form.groupNumber}
              onValue={(v) => update({ groupNumber: v })}
              maxLength={40}
              autoComplete="off"
              spellcheck={false}
            />
            <TextField
              id={checkinInputId('subscriber_name')}
              label="Policy holder's name"
              optional
              hint="If the insurance is in someone else's name."
              value={form.subscriberName}
              onValue={(v) => update({ subscriberName: v })}
              maxLength={120}
              autoComplete="off"
            />
          </div>
        ) : null}
      </Section>

      <ListSection
        kind="medications"
        title="Medications"
        description={
          record?.medications.length && !details.submitted
            ? 'From your health record. Remove any you no longer take, and add any that are missing, including over-the-counter medicines and supplements.'
            : 'Include prescriptions, over-the-counter medicines and supplements.'
        }
        rows={form.medications.map((m) => ({ key: m.key, first: m.name, second: m.dose }))}
        firstLabel="Medication"
        secondLabel="Dose"
        secondHint="For example: 10 mg once a day"
        none={form.noMedications}
        noneLabel="I don't take any medications"
        addLabel="Add a medication"
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
          setAnnounce(`${name || 'The medication'} was removed from the list.`);
          const next = rest[Math.min(index, rest.length - 1)];
          focusSoon(next ? checkinInputId(`medications.${next.key}.name`) : 'checkin-medications-add');
        }}
        onAdd={addMedication}
      />

      <ListSection
        kind="allergies"
        title="Allergies"
        description={
          record?.allergies.length && !details.submitted
            ? 'From your health record. Remove any that are wrong and add any that are missing.'
            : 'Medicines, foods, latex, insect stings, or anything else.'
        }
        rows={form.allergies.map((a) => ({ key: a.key, first: a.substance, second: a.reaction }))}
        firstLabel="Allergic to"
        secondLabel="Reaction"
        secondHint="For example: hives, swelling"
        none={form.noKnownAllergies}
        noneLabel="I have no known allergies"
        addLabel="Add an allergy"
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
          setAnnounce(`${name || 'The allergy'} was removed from the list.`);
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
          emergency={clinic?.emergency_notice ?? 'If this is a medical emergency, call 911.'}
          onAnswer={(linkId, value) => {
            setAnswer(q.id, linkId, value);
            clearError(`answers.${q.id}.${linkId}`);
          }}
        />
      ))}

      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Sending…' : submittedAt ? 'Send updated eCheck-in' : 'Submit eCheck-in'}
        </button>
        <p class="muted small">Your answers go to your care team for this visit.</p>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </form>
  );
}

function ListSection({
  kind,
  title,
  description,
  rows,
  firstLabel,
  secondLabel,
  secondHint,
  none,
  noneLabel,
  addLabel,
  error,
  rowError,
  rowErrorKey,
  onNone,
  onRow,
  onRemove,
  onAdd,
}: {
  kind: 'medications' | 'allergies';
  title: string;
  description: string;
  rows: { key: string; first: string; second: string }[];
  firstLabel: string;
  secondLabel: string;
  secondHint: string;
  none: boolean;
  noneLabel: string;
  addLabel: string;
  error: string | undefined;
  rowError: (key: string) => string | undefined;
  rowErrorKey: (key: string) => string;
  onNone: (v: boolean) => void;
  onRow: (key: string, first: string, second: string) => void;
  onRemove: (key: string, first: string) => void;
  onAdd: () => void;
}) {
  const noneId = checkinInputId(kind);
  const singular = kind === 'medications' ? 'medication' : 'allergy';
  return (
    <Section id={`checkin-${kind}-title`} title={title} description={description}>
      <div class={error ? 'field--error appt-list-error' : ''}>
        <FieldError id={`${noneId}-error`} message={error} />
        {!none && rows.length > 0 ? (
          <ul class="appt-rows" aria-label={`Your ${kind}`}>
            {rows.map((row, i) => {
              const firstId = checkinInputId(rowErrorKey(row.key));
              const secondId = `${firstId}-second`;
              const problem = rowError(row.key);
              return (
                <li class="appt-row-edit" key={row.key}>
                  <Field id={firstId} label={`${firstLabel} ${i + 1}`} error={problem}>
                    {(describedBy, invalid) => (
                      <input
                        id={firstId}
                        type="text"
                        value={row.first}
                        maxLength={120}
                        autoComplete="off"
                        aria-describedby={describedBy}
                        aria-invalid={invalid ? 'true' : undefined}
                        onInput={(e) => onRow(row.key, (e.currentTarget as HTMLInputElement).value, row.second)}
                      />
                    )}
                  </Field>
                  <Field id={secondId} label={`${secondLabel}`} optional hint={i === 0 ? secondHint : undefined}>
                    {(describedBy) => (
                      <input
                        id={secondId}
                        type="text"
                        value={row.second}
                        maxLength={120}
                        autoComplete="off"
                        aria-describedby={describedBy}
                        aria-label={`${secondLabel} for ${singular} ${i + 1} (optional)`}
                        onInput={(e) => onRow(row.key, row.first, (e.currentTarget as HTMLInputElement).value)}
                      />
                    )}
                  </Field>
                  <button type="button" class="button button--ghost appt-remove" onClick={() => onRemove(row.key, row.first)}>
                    Remove<span class="visually-hidden"> {row.first || `${singular} ${i + 1}`}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        ) : null}
        {!none ? (
          <p>
            <button type="button" class="button button--secondary" id={`checkin-${kind}-add`} onClick={onAdd}>
              + {addLabel}
            </button>
          </p>
        ) : null}
        <div class="check">
          <input
            type="checkbox"
            id={noneId}
            checked={none}
            onChange={(e) => onNone((e.currentTarget as HTMLInputElement).checked)}
            aria-describedby={error ? `${noneId}-error` : undefined}
          />
          <label for={noneId}>{noneLabel}</label>
        </div>
      </div>
    </Section>
  );
}

function QuestionnaireSection({
  questionnaire: q,
  answers,
  errors,
  emergency,
  onAnswer,
}: {
  questionnaire: Questionnaire;
  answers: Record<string, Answer>;
  errors: CheckinErrors;
  emergency: string;
  onAnswer: (linkId: string, value: Answer) => void;
}) {
  const scored = q.items.some(isScale);
  const visible = q.items.filter((item) => isEnabled(item, answers, q));
  // Follow-up questions can appear as answers are given (e.g. the rest of the PHQ-9): say so.
  const [announce, setAnnounce] = useState('');
  const shown = useRef(visible.length);
  useEffect(() => {
    const added = visible.length - shown.current;
    if (added > 0) setAnnounce(`${added} more ${added === 1 ? 'question appears' : 'questions appear'} below.`);
    else if (added < 0) setAnnounce(`${-added} ${added === -1 ? 'question was' : 'questions were'} removed, as they no longer apply.`);
    shown.current = visible.length;
  }, [visible.length]);
  return (
    <Section id={`checkin-q-${q.id}`} title={q.title} description={q.description || undefined}>
      {scored ? (
        <p class="hint-box">
          <Icon name="info" size={20} />
          <span>Your care team reads these answers before your visit, not right away. {emergency}</span>
        </p>
      ) : null}
      <div class="appt-questions">
        {visible.map((item) => (
          <QuestionItem
            key={item.link_id}
            questionnaire={q}
            item={item}
            value={answers[item.link_id]}
            error={errors[`answers.${q.id}.${item.link_id}`]}
            onAnswer={(v) => onAnswer(item.link_id, v)}
          />
        ))}
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>
    </Section>
  );
}

function QuestionItem({
  questionnaire: q,
  item,
  value,
  error,
  onAnswer,
}: {
  questionnaire: Questionnaire;
  item: QuestionnaireItem;
  value: Answer | undefined;
  error: string | undefined;
  onAnswer: (v: Answer) => void;
}) {
  const id = checkinInputId(`answers.${q.id}.${item.link_id}`);
  const errorId = `${id}-error`;
  const optional = !item.required && !item.must_be_true;
  const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);

  if (item.type === 'display') return <p class="appt-q-display">{item.text}</p>;

  if (item.type === 'choice' || (item.type === 'boolean' && !item.must_be_true)) {
    const choices = item.type === 'choice' ? item.options.map((o) => ({ code: o.code, display: o.display })) : [
      { code: 'yes', display: 'Yes' },
      { code: 'no', display: 'No' },
    ];
    const current = item.type === 'boolean' ? (value === true ? 'yes' : value === false ? 'no' : '') : text;
    return (
      <fieldset
        class={`appt-question radios${isScale(item) ? ' appt-scale' : ''}${error ? ' field--error' : ''}`}
        aria-describedby={error ? errorId : undefined}
      >
        <legend>
          {item.text}
          {optional ? <span class="optional"> (optional)</span> : null}
        </legend>
        <FieldError id={errorId} message={error} />
        <div class="appt-choices">
          {choices.map((c, i) => {
            const optionId = i === 0 ? id : `${id}-${c.code.replace(/[^A-Za-z0-9_-]/g, '-')}`;
            return (
              <div class="check appt-choice" key={c.code}>
                <input
                  type="radio"
                  id={optionId}
                  name={id}
                  checked={current === c.code}
                  aria-invalid={error ? 'true' : undefined}
                  onChange={() => onAnswer(item.type === 'boolean' ? c.code === 'yes' : c.code)}
                />
                <label for={optionId}>{c.display}</label>
              </div>
            );
          })}
        </div>
      </fieldset>
    );
  }

  if (item.type === 'boolean') {
    // A consent: one checkbox that must be ticked.
    return (
      <div class={`check appt-consent${error ? ' field--error' : ''}`}>
        <input
          type="checkbox"
          id={id}
          checked={value === true}
          onChange={(e) => onAnswer((e.currentTarget as HTMLInputElement).checked)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <label for={id}>{item.text}</label>
        <FieldError id={errorId} message={error} />
      </div>
    );
  }

  const hint =
    item.type === 'signature'
      ? `Typing your full name here is your electronic signature, dated ${new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }).format(new Date())}.`
      : item.type === 'text'
        ? `Up to ${item.max_length} characters.`
        : undefined;

  return (
    <Field id={id} label={item.text} hint={hint} error={error} optional={optional} class="appt-question">
      {(describedBy, invalid) =>
        item.type === 'text' ? (
          <textarea
            id={id}
            class="appt-textarea"
            rows={4}
            value={text}
            maxLength={item.max_length}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(e) => onAnswer((e.currentTarget as HTMLTextAreaElement).value)}
          />
        ) : (
          <input
            id={id}
            type={item.type === 'date' ? 'date' : 'text'}
            class={item.type === 'signature' ? 'appt-signature' : item.type === 'integer' ? 'input--short' : undefined}
            value={text}
            maxLength={item.type === 'date' ? undefined : item.max_length}
            inputMode={item.type === 'integer' ? 'numeric' : undefined}
            autoComplete={item.type === 'signature' ? 'name' : 'off'}
            spellcheck={item.type === 'signature' ? false : undefined}
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(e) => onAnswer((e.currentTarget as HTMLInputElement).value)}
          />
        )
      }
    </Field>
  );
}

