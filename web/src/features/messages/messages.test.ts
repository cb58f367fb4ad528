// The pure helpers behind the messaging pages.

import { describe, expect, it } from 'vitest';
import {
  badgeText,
  bodyProblem,
  counterText,
  countChars,
  isPatientMessagesPath,
  isStaffMessagesPath,
  patientThreadStatus,
  subjectProblem,
  waitingText,
} from './messages';

describe('countChars', () => {
  it('counts code points like the server: an emoji is one character', () => {
    expect(countChars('hi 👋')).toBe(4);
  });
  it('ignores surrounding whitespace and counts CRLF as one line break', () => {
    expect(countChars('  a\r\nb  ')).toBe(3);
  });
});

describe('bodyProblem and the counter', () => {
  it('wants some text', () => {
    expect(bodyProblem('   \n ')).toBe('Write your message.');
  });
  it('accepts exactly 10,000 characters and refuses one more, in words', () => {
    expect(bodyProblem('x'.repeat(10_000))).toBeNull();
    expect(bodyProblem('x'.repeat(10_001))).toMatch(/^Your message is 1 character too long/);
    expect(bodyProblem('x'.repeat(10_002))).toMatch(/2 characters too long/);
  });
  it('keeps markup as ordinary text (it is rendered as text)', () => {
    expect(bodyProblem('<script>alert(1)</script>')).toBeNull();
  });
  it('says how many are used, or how many over', () => {
    expect(counterText(1234, 10_000)).toBe('1,234 of 10,000 characters');
    expect(counterText(10_001, 10_000)).toBe('1 character over the limit of 10,000');
    expect(counterText(10_050, 10_000)).toBe('50 characters over the limit of 10,000');
  });
});

describe('subjectProblem', () => {
  it('needs a subject of at most 120 characters', () => {
    expect(subjectProblem(' ')).toBe('Enter a subject.');
    expect(subjectProblem('x'.repeat(120))).toBeNull();
    expect(subjectProblem('x'.repeat(121))).toMatch(/120 characters or fewer/);
  });
});

describe('badgeText and waitingText', () => {
  it('caps a count the way the API does', () => {
    expect(badgeText(3, 100)).toBe('3');
    expect(badgeText(100, 100)).toBe('100+');
    expect(badgeText(7)).toBe('7');
  });
  it('says how long something has waited', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(waitingText('2026-03-10T11:59:40Z', now)).toBe('less than a minute');
    expect(waitingText('2026-03-10T11:59:00Z', now)).toBe('1 minute');
    expect(waitingText('2026-03-10T07:00:00Z', now)).toBe('5 hours');
    expect(waitingText('2026-03-07T12:00:00Z', now)).toBe('3 days');
  });
});

describe('patientThreadStatus', () => {
  it('reads from the patient side', () => {
    expect(patientThreadStatus({ status: 'open', last_from: 'patient' })).toBe('Waiting for the care team');
    expect(patientThreadStatus({ status: 'open', last_from: 'clinic' })).toBe('Care team replied');
    expect(patientThreadStatus({ status: 'closed', last_from: 'clinic' })).toBe('Closed');
  });
});

describe('paths', () => {
  it('knows the patient pages', () => {
    for (const p of ['/messages', '/messages/new', '/messages/abc123', '/refills']) expect(isPatientMessagesPath(p)).toBe(true);
    for (const p of ['/messages/a/b', '/message', '/staff/messages']) expect(isPatientMessagesPath(p)).toBe(false);
  });
  it('knows the staff pages, refills for clinicians only, and none for patients', () => {
    expect(isStaffMessagesPath('/staff/messages', 'front_desk')).toBe(true);
    expect(isStaffMessagesPath('/staff/messages/p-1/t-1', 'billing')).toBe(true);
    expect(isStaffMessagesPath('/staff/refills', 'clinician')).toBe(true);
    expect(isStaffMessagesPath('/staff/refills', 'front_desk')).toBe(false);
    expect(isStaffMessagesPath('/staff/refills/p-1/r-1/print', 'clinician')).toBe(true);
    expect(isStaffMessagesPath('/staff/refills/p-1/r-1/print', 'front_desk')).toBe(false);
    expect(isStaffMessagesPath('/staff/messages', 'patient')).toBe(false);
  });
});

describe('in Spanish', () => {
  it('words problems, counters, waiting times and statuses in Spanish, with plurals and Spanish numbers', async () => {
    const { i18n } = await import('@lingui/core');
    i18n.activate('es');
    expect(bodyProblem('')).toBe('Escriba su mensaje.');
    expect(bodyProblem('x'.repeat(10_001))).toBe('Su mensaje tiene 1 carácter de más. Acórtelo a 10,000 caracteres o menos.');
    expect(counterText(1234, 10_000)).toBe('1,234 de 10,000 caracteres');
    expect(subjectProblem(' ')).toBe('Escriba un asunto.');
    const now = new Date('2026-11-29T12:00:00Z');
    expect(waitingText('2026-11-29T11:59:00Z', now)).toBe('1 minuto');
    expect(waitingText('2026-11-27T10:00:00Z', now)).toBe('2 días');
    expect(patientThreadStatus({ status: 'open', last_from: 'clinic' })).toBe('El equipo de atención respondió');
  });
});
