// Time-zone formatting, grouping of open times, and the eCheck-in form logic.

import { describe, expect, it } from 'vitest';
import type { AppointmentSlot, CheckinDetails, CheckinSubmitted, Questionnaire } from './api';
import {
  buildCheckin,
  checkinInputId,
  initialCheckinForm,
  isEnabled,
  isScale,
  mapCheckinApiErrors,
  totalScore,
  validateCheckin,
  type CheckinForm,
} from './appointmentsCheckin';
import {
  addDays,
  clinicDay,
  formatDay,
  formatTime,
  groupByDay,
  isValidDay,
  onePerTime,
  sentence,
  slotLabel,
  statusLabel,
  todayIn,
  zoneLabel,
} from './appointmentsFormat';

const TZ = 'America/Chicago';
const NOW = new Date('2026-11-29T16:00:00Z');
const rivera = { id: 'dr-rivera', name: 'Dr. Priya Rivera', credentials: 'MD', specialty: 'Family medicine' };
const chen = { id: 'dr-chen', name: 'Dr. Marcus Chen', credentials: 'MD', specialty: 'Pediatrics' };

function slot(start: string, provider = rivera): AppointmentSlot {
  const end = new Date(Date.parse(start) + 20 * 60_000).toISOString();
  return { id: `${provider.id}.${start}`, provider, visit_type_id: 'follow-up', starts_at: start, ends_at: end, modality: 'in_person' };
}

const norm = (s: string) => s.replace(/[\u202f\u2009]/g, ' ');

describe('clinic time', () => {
  it('labels a time completely, in the clinic zone, whatever the browser zone', () => {
    // 15:20Z is 9:20 AM in Chicago (CST, UTC-6)
    expect(norm(slotLabel(slot('2026-12-01T09:20:00-06:00'), TZ, NOW))).toBe('Tuesday, December 1, 9:20 AM with Dr. Priya Rivera');
    expect(norm(formatTime('2026-12-01T15:20:00Z', TZ))).toBe('9:20 AM');
  });

  it('adds the year only when it is not this year', () => {
    expect(formatDay('2027-01-05T09:00:00-06:00', TZ, NOW)).toBe('Tuesday, January 5, 2027');
    expect(formatDay('2026-12-31T09:00:00-06:00', TZ, NOW)).toBe('Thursday, December 31');
  });

  it('names the zone for people, with standard and daylight time', () => {
    expect(zoneLabel(TZ, '2026-12-01T15:00:00Z')).toBe('Central Time (CST)');
    expect(zoneLabel(TZ, '2026-07-01T15:00:00Z')).toBe('Central Time (CDT)');
  });

  it("knows the clinic's today, which can differ from UTC's", () => {
    expect(todayIn(TZ, new Date('2026-11-30T03:00:00Z'))).toBe('2026-11-29'); // 9 PM the evening before
    expect(todayIn(TZ, NOW)).toBe('2026-11-29');
  });

  it('does calendar arithmetic without time zones (across months and DST)', () => {
    expect(addDays('2026-11-29', 7)).toBe('2026-12-06');
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-12-01', -1)).toBe('2026-11-30');
    expect(isValidDay('2026-02-30')).toBe(false);
    expect(isValidDay('2026-12-01')).toBe(true);
    expect(isValidDay('')).toBe(false);
  });

  it('groups open times by clinic day, in order', () => {
    const late = slot('2026-12-01T23:40:00-06:00'); // 05:40Z on Dec 2, still Dec 1 at the clinic
    const early = slot('2026-12-01T09:20:00-06:00');
    const next = slot('2026-12-02T09:20:00-06:00');
    const days = groupByDay([next, late, early]);
    expect(days.map((d) => d.day)).toEqual(['2026-12-01', '2026-12-02']);
    expect(days[0]?.slots).toEqual([early, late]);
    expect(clinicDay(late.starts_at)).toBe('2026-12-01');
  });

  it('keeps one choice per start time for "any provider"', () => {
    const a = slot('2026-12-01T13:00:00-06:00', chen);
    const b = slot('2026-12-01T13:00:00-06:00', rivera);
    const c = slot('2026-12-01T13:20:00-06:00', rivera);
    expect(onePerTime([a, b, c])).toEqual([a, c]);
  });

  it('says statuses in words', () => {
    expect(statusLabel({ status: 'booked' })).toBe('Confirmed');
    expect(statusLabel({ status: 'booked' }, true)).toBe('Past visit');
    expect(statusLabel({ status: 'requested' })).toMatch(/waiting for the clinic/);
    expect(sentence('please call the clinic at (555) 010-0100 to book this visit')).toBe(
      'Please call the clinic at (555) 010-0100 to book this visit.',
    );
  });
});

const choice = (code: string, score: number) => ({ code, display: `Option ${code}`, score });
const scale = [choice('0', 0), choice('1', 1), choice('2', 2), choice('3', 3)];
const item = (link_id: string, extra: Partial<Questionnaire['items'][number]> = {}): Questionnaire['items'][number] => ({
  link_id,
  text: `Question ${link_id}`,
  type: 'choice',
  required: true,
  options: scale,
  max_length: 1000,
  must_be_true: false,
  enable_when: null,
  ...extra,
});

const phq: Questionnaire = {
  id: 'phq-9',
  title: 'PHQ-9',
  description: '',
  version: '1',
  items: [
    item('phq1'),
    item('phq2'),
    item('phq3', { enable_when: { questions: ['phq1', 'phq2'], score_at_least: 3, answer_code: null } }),
  ],
};

const consent: Questionnaire = {
  id: 'telehealth-consent',
  title: 'Consent to a video visit',
  description: '',
  version: '1',
  items: [
    item('info', { type: 'display', required: false, options: [] }),
    item('agree', { type: 'boolean', options: [], must_be_true: true }),
    item('signature', { type: 'signature', options: [], max_length: 120 }),
  ],
};

const reason: Questionnaire = {
  id: 'reason-for-visit',
  title: 'Reason for visit',
  description: '',
  version: '1',
  items: [item('reason', { type: 'text', options: [] }), item('since', { type: 'string', required: false, options: [] }), item('count', { type: 'integer', required: false, options: [] })],
};

type SentResponse = CheckinSubmitted['questionnaire_responses'][number];

function response(questionnaireId: string, item: SentResponse['item']): SentResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id: `qr-${questionnaireId}`,
    questionnaire: `Questionnaire/${questionnaireId}|1`,
    status: 'completed',
    subject: { reference: 'Patient/p-1' },
    authored: '2026-03-01T15:00:00.000000Z',
    item,
  };
}

function details(questionnaires: Questionnaire[], submitted: CheckinDetails['submitted'] = null): CheckinDetails {
  return {
    appointment_id: 'apt-1',
    status: submitted ? 'completed' : 'not_started',
    opens_at: '2026-11-25T13:00:00-06:00',
    available_now: true,
    demographics: { name: 'Alexandra Morgan', birth_date: '1984-03-09', phone: null, email: null, address: null },
    questionnaires,
    submitted,
    on_file: null,
  };
}

function filled(questionnaires: Questionnaire[]): CheckinForm {
  return {
    ...initialCheckinForm(details(questionnaires), null),
    demographicsConfirmed: true,
    insuranceMode: 'self_pay',
    noMedications: true,
    noKnownAllergies: true,
  };
}

describe('eCheck-in questionnaires', () => {
  it('shows PHQ-9 follow-up items only from a PHQ-2 score of 3', () => {
    const q3 = phq.items[2]!;
    expect(isEnabled(q3, { phq1: '1', phq2: '1' }, phq)).toBe(false);
    expect(isEnabled(q3, { phq1: '1', phq2: '2' }, phq)).toBe(true);
    expect(isEnabled(q3, {}, phq)).toBe(false);
    expect(isScale(phq.items[0]!)).toBe(true);
    expect(totalScore(phq, { phq1: '1', phq2: '2', phq3: '3' })).toBe(6);
    expect(totalScore(phq, { phq1: '1', phq2: '1', phq3: '3' })).toBe(2); // phq3 hidden: not counted
  });

  it('follows answer_code conditions', () => {
    const q: Questionnaire = {
      ...reason,
      items: [item('smoke', { options: [choice('yes', 0), choice('no', 0)] }), item('packs', { type: 'integer', options: [], enable_when: { questions: ['smoke'], answer_code: 'yes', score_at_least: null } })],
    };
    expect(isEnabled(q.items[1]!, { smoke: 'no' }, q)).toBe(false);
    expect(isEnabled(q.items[1]!, { smoke: 'yes' }, q)).toBe(true);
  });

  it('asks for everything required, consent ticked and a typed signature', () => {
    const form = { ...filled([phq, consent, reason]), answers: {} };
    const errors = validateCheckin(form, [phq, consent, reason]);
    expect(errors).toEqual({
      'answers.phq-9.phq1': 'Choose an answer.',
      'answers.phq-9.phq2': 'Choose an answer.',
      'answers.telehealth-consent.agree': 'Please agree to continue.',
      'answers.telehealth-consent.signature': 'Type your full name to sign.',
      'answers.reason-for-visit.reason': 'Please answer this question.',
    });
  });

  it('checks the confirmations, insurance and the lists', () => {
    const form: CheckinForm = {
      ...filled([]),
      demographicsConfirmed: false,
      insuranceMode: 'insurance',
      noMedications: false,
      noKnownAllergies: false,
      medications: [{ key: 'm1', name: '', dose: '5 mg' }],
    };
    const errors = validateCheckin(form, []);
    expect(Object.keys(errors).sort()).toEqual(
      ['allergies', 'carrier', 'demographics_confirmed', 'medications.m1.name', 'member_id'].sort(),
    );
    expect(validateCheckin({ ...form, insuranceMode: '' }, [])).toHaveProperty('insurance_mode');
  });

  it('builds the body: typed values, trimmed text, hidden and display items left out', () => {
    const form: CheckinForm = {
      ...filled([phq, consent, reason]),
      insuranceMode: 'insurance',
      carrier: ' Prairie Health ',
      memberId: 'PHM-1',
      groupNumber: '',
      noMedications: false,
      medications: [
        { key: 'a', name: 'Lisinopril 10 mg tablet', dose: ' 10 mg ' },
        { key: 'b', name: '  ', dose: '' },
      ],
      answers: {
        'phq-9': { phq1: '1', phq2: '1', phq3: '3' },
        'telehealth-consent': { agree: true, signature: ' Alexandra Morgan ' },
        'reason-for-visit': { reason: ' BP check ', since: '', count: '3' },
      },
    };
    expect(validateCheckin(form, [phq, consent, reason])).toEqual({});
    expect(buildCheckin(form, [phq, consent, reason])).toEqual({
      demographics_confirmed: true,
      phone: null,
      email: null,
      insurance: { self_pay: false, carrier: 'Prairie Health', member_id: 'PHM-1', group_number: null, subscriber_name: null },
      medications: [{ name: 'Lisinopril 10 mg tablet', dose: '10 mg' }],
      no_medications: false,
      allergies: [],
      no_known_allergies: true,
      answers: {
        'phq-9': { phq1: '1', phq2: '1' },
        'telehealth-consent': { agree: true, signature: 'Alexandra Morgan' },
        'reason-for-visit': { reason: 'BP check', count: 3 },
      },
    });
  });

  it('refuses non-numbers for whole-number questions', () => {
    const form: CheckinForm = { ...filled([reason]), answers: { 'reason-for-visit': { reason: 'x', count: 'three' } } };
    expect(validateCheckin(form, [reason])).toEqual({ 'answers.reason-for-visit.count': 'Enter a whole number.' });
  });

  it('starts from the health record lists, or from what was sent before', () => {
    const record = {
      medications: [
        { name: 'Atorvastatin 20 mg tablet', dose: '20 mg', status: 'active' },
        { name: 'Old pill', dose: '1 mg', status: 'stopped' },
      ],
      allergies: [{ substance: 'Penicillin', reaction: 'Hives', status: 'active' }],
    };
    const fresh = initialCheckinForm(details([reason]), record);
    expect(fresh.medications.map((m) => m.name)).toEqual(['Atorvastatin 20 mg tablet']);
    expect(fresh.allergies.map((a) => [a.substance, a.reaction])).toEqual([['Penicillin', 'Hives']]);
    expect(fresh.demographicsConfirmed).toBe(false);
    expect(fresh.insuranceMode).toBe('');

    const insured = initialCheckinForm(
      {
        ...details([reason]),
        on_file: {
          insurance: { self_pay: false, carrier: 'Acme Health', member_id: 'ACM1', group_number: 'G7', subscriber_name: null },
          medications: [],
          allergies: [],
        },
      },
      record,
    );
    expect([insured.insuranceMode, insured.carrier, insured.memberId, insured.groupNumber]).toEqual(['insurance', 'Acme Health', 'ACM1', 'G7']);

    const again = initialCheckinForm(
      details([phq, consent], {
        submitted_at: '2026-03-01T15:00:00.000000Z',
        submitted_by_role: 'patient',
        demographics_confirmed: true,
        phone: null,
        email: 'new@example.com',
        insurance: { self_pay: true, carrier: null, member_id: null, group_number: null, subscriber_name: null },
        medications: [],
        no_medications: true,
        allergies: [{ substance: 'Latex', reaction: null }],
        no_known_allergies: false,
        consents: [],
        questionnaire_responses: [
          response('phq-9', [{ linkId: 'phq1', text: 'Little interest', answer: [{ valueCoding: { code: '2', display: 'x' } }] }]),
          response('telehealth-consent', [
            { linkId: 'agree', text: 'I agree', answer: [{ valueBoolean: true }] },
            { linkId: 'signature', text: 'Signature', answer: [{ valueString: 'Alexandra Morgan' }] },
          ]),
        ],
      }),
      record,
    );
    expect(again.insuranceMode).toBe('self_pay');
    expect(again.email).toBe('new@example.com');
    expect(again.noMedications).toBe(true);
    expect(again.medications).toEqual([]);
    expect(again.allergies.map((a) => a.substance)).toEqual(['Latex']);
    expect(again.answers).toEqual({ 'phq-9': { phq1: '2' }, 'telehealth-consent': { agree: true, signature: 'Alexandra Morgan' } });
  });

  it('starts phone and email from the profile (or the last eCheck-in) and sends what the patient typed', () => {
    const onFile = { ...details([]), demographics: { ...details([]).demographics, phone: '+13125550142', email: 'alex@example.com' } };
    const form = initialCheckinForm(onFile, null);
    expect([form.phone, form.email]).toEqual(['(312) 555-0142', 'alex@example.com']);
    const body = buildCheckin({ ...filled([]), phone: ' (312) 555-0199 ', email: '' }, []);
    expect([body.phone, body.email]).toEqual(['(312) 555-0199', null]);
    expect(validateCheckin({ ...filled([]), phone: '555-01', email: 'alex@' }, [])).toMatchObject({
      phone: expect.any(String),
      email: expect.any(String),
    });
    expect(validateCheckin({ ...filled([]), phone: '', email: '' }, [])).toEqual({});
  });

  it("places the API's field errors on this form's inputs", () => {
    const form: CheckinForm = {
      ...filled([]),
      insuranceMode: 'insurance',
      medications: [
        { key: 'blank', name: '', dose: '' },
        { key: 'k2', name: 'Aspirin', dose: '' },
      ],
    };
    const { errors, unplaced } = mapCheckinApiErrors(
      {
        insurance: 'enter your insurance carrier and member id, or choose self-pay',
        'medications.0.name': 'String should have at most 120 characters',
        'answers.phq-9.phq1': 'choose one of the options',
        body: 'something else',
      },
      form,
    );
    expect(errors).toEqual({
      member_id: 'Enter your insurance carrier and member id, or choose self-pay.',
      'medications.k2.name': 'String should have at most 120 characters.',
      'answers.phq-9.phq1': 'Choose one of the options.',
    });
    expect(unplaced).toEqual(['Something else.']);
    expect(checkinInputId('answers.phq-9.phq1')).toBe('checkin-answers-phq-9-phq1');
  });
});
