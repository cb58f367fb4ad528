// ECheck-in form state, client checks, and the body the API expects.
//
// Questionnaires arrive as data (a FHIR Questionnaire subset). Items with `enable_when` appear only when
// earlier answers meet the condition (e.g. PHQ-9 items 3-9 after a PHQ-2 score of 3 or more), exactly as
// the backend decides, and answers to hidden items are never sent.

import { t } from '@lingui/core/macro';
import { formatPhone } from '../../shared/format';
import type { CheckinAnswer, CheckinDetails, CheckinIn, Questionnaire, QuestionnaireItem } from './api';

export type Answer = CheckinAnswer | '';
export type Answers = Record<string, Record<string, Answer>>;

export interface MedicationRow {
  key: string;
  name: string;
  dose: string;
}

export interface AllergyRow {
  key: string;
  substance: string;
  reaction: string;
}

export interface CheckinForm {
  demographicsConfirmed: boolean;
  /** Prefilled from the profile; a change goes to staff to accept into the record. */
  phone: string;
  email: string;
  insuranceMode: '' | 'insurance' | 'self_pay';
  carrier: string;
  memberId: string;
  groupNumber: string;
  subscriberName: string;
  medications: MedicationRow[];
  noMedications: boolean;
  allergies: AllergyRow[];
  noKnownAllergies: boolean;
  answers: Answers;
}

/** Field keys used for errors; `answers.<questionnaire>.<link id>` for questionnaire items. */
export type CheckinErrors = Record<string, string>;

let rowCounter = 0;
export function rowKey(): string {
  rowCounter += 1;
  return `row-${rowCounter}`;
}

/** The id of the input an error key belongs to (dots are not friendly in ids or CSS selectors). */
export function checkinInputId(key: string): string {
  return `checkin-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Should this item be shown, given the answers so far? (Mirrors the backend's rule.) */
export function isEnabled(item: QuestionnaireItem, answers: Record<string, Answer>, questionnaire: Questionnaire): boolean {
  const rule = item.enable_when;
  if (!rule) return true;
  if (rule.answer_code !== null && rule.answer_code !== undefined) {
    return answers[rule.questions[0] ?? ''] === rule.answer_code;
  }
  let total = 0;
  for (const linkId of rule.questions) {
    const question = questionnaire.items.find((i) => i.link_id === linkId);
    const chosen = answers[linkId];
    const option = question?.options.find((o) => o.code === String(chosen));
    total += option?.score ?? 0;
  }
  return total >= (rule.score_at_least ?? 0);
}

/** A choice item answered on a scored scale (PHQ style): render its options side by side. */
export function isScale(item: QuestionnaireItem): boolean {
  return item.type === 'choice' && item.options.length >= 3 && item.options.every((o) => o.score !== null && o.score !== undefined);
}

/** The running total of a scored questionnaire (shown to nobody; handy for tests and future use). */
export function totalScore(questionnaire: Questionnaire, answers: Record<string, Answer>): number {
  let total = 0;
  for (const item of questionnaire.items) {
    if (item.type !== 'choice' || !isEnabled(item, answers, questionnaire)) continue;
    total += item.options.find((o) => o.code === String(answers[item.link_id]))?.score ?? 0;
  }
  return total;
}

function emptyAnswer(value: Answer | undefined): boolean {
  return value === undefined || value === '' || (typeof value === 'string' && value.trim() === '');
}

function checkItem(item: QuestionnaireItem, value: Answer | undefined): string | null {
  if (emptyAnswer(value)) {
    if (item.must_be_true) return t`Please agree to continue.`;
    if (!item.required) return null;
    if (item.type === 'signature') return t`Type your full name to sign.`;
    if (item.type === 'choice' || item.type === 'boolean') return t`Choose an answer.`;
    return t`Please answer this question.`;
  }
  if (item.must_be_true && value !== true) return t`Please agree to continue.`;
  if (item.type === 'integer' && !/^-?\d+$/.test(String(value).trim())) return t`Enter a whole number.`;
  if (item.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(String(value))) return t`Enter a date.`;
  if ((item.type === 'string' || item.type === 'text' || item.type === 'signature') && String(value).trim().length > item.max_length) {
    const max = item.max_length;
    return t`Use at most ${max} characters.`;
  }
  return null;
}

export function validateCheckin(form: CheckinForm, questionnaires: Questionnaire[]): CheckinErrors {
  const errors: CheckinErrors = {};
  if (!form.demographicsConfirmed) errors.demographics_confirmed = t`Confirm your details, or update them in your profile first.`;
  if (form.phone.trim() && form.phone.replace(/\D/g, '').length < 10) errors.phone = t`Enter a phone number with its area code, like (312) 555-0142.`;
  if (form.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) errors.email = t`Enter an email address like name@example.com.`;
  if (!form.insuranceMode) errors.insurance_mode = t`Choose how you will pay for this visit.`;
  else if (form.insuranceMode === 'insurance') {
    if (!form.carrier.trim()) errors.carrier = t`Enter your insurance company.`;
    if (!form.memberId.trim()) errors.member_id = t`Enter your member ID, as shown on your insurance card.`;
  }
  const meds = form.medications.filter((m) => m.name.trim() || m.dose.trim());
  meds.forEach((m) => {
    if (!m.name.trim()) errors[`medications.${m.key}.name`] = t`Enter the medication name, or remove this line.`;
  });
  if (!form.noMedications && meds.length === 0) errors.medications = t`Add the medications you take, or tick "I don't take any medications".`;
  const allergies = form.allergies.filter((a) => a.substance.trim() || a.reaction.trim());
  allergies.forEach((a) => {
    if (!a.substance.trim()) errors[`allergies.${a.key}.substance`] = t`Enter what you are allergic to, or remove this line.`;
  });
  if (!form.noKnownAllergies && allergies.length === 0) errors.allergies = t`Add your allergies, or tick "I have no known allergies".`;
  for (const q of questionnaires) {
    const answers = form.answers[q.id] ?? {};
    for (const item of q.items) {
      if (item.type === 'display' || !isEnabled(item, answers, q)) continue;
      const problem = checkItem(item, answers[item.link_id]);
      if (problem) errors[`answers.${q.id}.${item.link_id}`] = problem;
    }
  }
  return errors;
}

/** The order errors are listed in the summary (the order of the page). */
export function errorOrder(questionnaires: Questionnaire[]): string[] {
  return [
    'phone',
    'email',
    'demographics_confirmed',
    'insurance_mode',
    'carrier',
    'member_id',
    'medications',
    'allergies',
    ...questionnaires.flatMap((q) => q.items.map((i) => `answers.${q.id}.${i.link_id}`)),
  ];
}

const trimOrNull = (v: string) => (v.trim() ? v.trim() : null);

export function buildCheckin(form: CheckinForm, questionnaires: Questionnaire[]): CheckinIn {
  const answers: CheckinIn['answers'] = {};
  for (const q of questionnaires) {
    const given = form.answers[q.id] ?? {};
    const out: Record<string, CheckinAnswer> = {};
    for (const item of q.items) {
      if (item.type === 'display' || !isEnabled(item, given, q)) continue;
      const value = given[item.link_id];
      if (emptyAnswer(value)) continue;
      if (item.type === 'integer') out[item.link_id] = Number.parseInt(String(value), 10);
      else if (item.type === 'boolean') out[item.link_id] = value === true;
      else out[item.link_id] = typeof value === 'string' ? value.trim() : String(value);
    }
    answers[q.id] = out;
  }
  const meds = form.medications.filter((m) => m.name.trim());
  const allergies = form.allergies.filter((a) => a.substance.trim());
  const selfPay = form.insuranceMode === 'self_pay';
  return {
    demographics_confirmed: form.demographicsConfirmed,
    phone: trimOrNull(form.phone),
    email: trimOrNull(form.email),
    insurance: selfPay
      ? { self_pay: true }
      : {
          self_pay: false,
          carrier: trimOrNull(form.carrier),
          member_id: trimOrNull(form.memberId),
          group_number: trimOrNull(form.groupNumber),
          subscriber_name: trimOrNull(form.subscriberName),
        },
    medications: form.noMedications ? [] : meds.map((m) => ({ name: m.name.trim(), dose: trimOrNull(m.dose) })),
    no_medications: form.noMedications,
    allergies: form.noKnownAllergies ? [] : allergies.map((a) => ({ substance: a.substance.trim(), reaction: trimOrNull(a.reaction) })),
    no_known_allergies: form.noKnownAllergies,
    answers,
  };
}

function fhirValue(answer: Record<string, unknown> | undefined): Answer {
  if (!answer) return '';
  if (typeof answer.valueBoolean === 'boolean') return answer.valueBoolean;
  if (typeof answer.valueInteger === 'number') return String(answer.valueInteger);
  if (typeof answer.valueString === 'string') return answer.valueString;
  if (typeof answer.valueDate === 'string') return answer.valueDate;
  const coding = answer.valueCoding as { code?: unknown } | undefined;
  if (coding && typeof coding.code === 'string') return coding.code;
  return '';
}

export interface RecordLists {
  medications: { name: string; dose: string | null; status: string }[];
  allergies: { substance: string; reaction: string | null; status: string }[];
}

/**
 * The form to start from: what was submitted before if anything, else the lists on the health record
 * (so the patient confirms them rather than typing them), else empty.
 */
export function initialCheckinForm(details: CheckinDetails, record: RecordLists | null): CheckinForm {
  const sent = details.submitted;
  const answers: Answers = {};
  for (const q of details.questionnaires) {
    answers[q.id] = {};
    const response = sent?.questionnaire_responses?.find((r) => r.questionnaire.split('|')[0] === `Questionnaire/${q.id}`);
    for (const item of response?.item ?? []) {
      const q2 = answers[q.id];
      if (q2) q2[item.linkId] = fhirValue(item.answer?.[0]);
    }
  }
  const meds = sent
    ? (sent.medications ?? []).map((m) => ({ key: rowKey(), name: m.name, dose: m.dose ?? '' }))
    : (record?.medications ?? []).filter((m) => m.status === 'active').map((m) => ({ key: rowKey(), name: m.name, dose: m.dose ?? '' }));
  const allergies = sent
    ? (sent.allergies ?? []).map((a) => ({ key: rowKey(), substance: a.substance, reaction: a.reaction ?? '' }))
    : (record?.allergies ?? []).filter((a) => a.status === 'active').map((a) => ({ key: rowKey(), substance: a.substance, reaction: a.reaction ?? '' }));
  // Before a first submission, the insurance on file: the patient confirms or changes it.
  const insurance = sent ? sent.insurance : (details.on_file?.insurance ?? undefined);
  return {
    demographicsConfirmed: false, // always confirmed afresh
    phone: formatPhone(sent?.phone ?? details.demographics.phone),
    email: sent?.email ?? details.demographics.email ?? '',
    insuranceMode: insurance ? (insurance.self_pay ? 'self_pay' : 'insurance') : '',
    carrier: insurance?.carrier ?? '',
    memberId: insurance?.member_id ?? '',
    groupNumber: insurance?.group_number ?? '',
    subscriberName: insurance?.subscriber_name ?? '',
    medications: meds,
    noMedications: sent?.no_medications ?? false,
    allergies,
    noKnownAllergies: sent?.no_known_allergies ?? false,
    answers,
  };
}

/**
 * The API's field paths ("insurance", "answers.phq-9.phq1", "medications.0.name") as this form's keys;
 * anything we can't place is returned as text for the summary.
 */
export function mapCheckinApiErrors(
  fields: Record<string, string>,
  form: CheckinForm,
): { errors: CheckinErrors; unplaced: string[] } {
  const errors: CheckinErrors = {};
  const unplaced: string[] = [];
  const say = (m: string) => {
    const text = m.trim();
    return text ? text.charAt(0).toUpperCase() + text.slice(1).replace(/\.?$/, '.') : t`This is not valid.`;
  };
  for (const [path, message] of Object.entries(fields)) {
    const meds = form.medications.filter((m) => m.name.trim());
    const allergies = form.allergies.filter((a) => a.substance.trim());
    let match: RegExpExecArray | null;
    if (path === 'demographics_confirmed') errors.demographics_confirmed = say(message);
    else if (path === 'phone' || path === 'email') errors[path] = say(message);
    else if (path === 'insurance') errors[form.insuranceMode === 'insurance' ? 'member_id' : 'insurance_mode'] = say(message);
    else if (path === 'insurance.carrier') errors.carrier = say(message);
    else if (path === 'insurance.member_id') errors.member_id = say(message);
    else if ((match = /^medications\.(\d+)\.name$/.exec(path)) && meds[Number(match[1])]) {
      errors[`medications.${meds[Number(match[1])]?.key}.name`] = say(message);
    } else if ((match = /^allergies\.(\d+)\.substance$/.exec(path)) && allergies[Number(match[1])]) {
      errors[`allergies.${allergies[Number(match[1])]?.key}.substance`] = say(message);
    } else if (path.startsWith('medications')) errors.medications = say(message);
    else if (path.startsWith('allergies')) errors.allergies = say(message);
    else if (/^answers\.[^.]+\.[^.]+$/.test(path)) errors[path] = say(message);
    else unplaced.push(say(message));
  }
  return { errors, unplaced };
}
