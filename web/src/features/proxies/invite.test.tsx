import { describe, expect, it } from 'vitest';
import { validateInvite } from './pages/ProxyInvite';
import { EMPTY_SCOPE, scopeBody } from './ScopeFields';

const form = { caregiver_name: 'Alex Morgan', email: 'alex@example.org', relationship: 'spouse' as const, expires_on: '' };

describe('the patient invitation form', () => {
  it('asks for a name, an email address, a relationship and at least one area', () => {
    expect(validateInvite({ caregiver_name: ' ', email: 'nope', relationship: '', expires_on: '' }, EMPTY_SCOPE)).toEqual({
      caregiver_name: 'Enter their name.',
      email: 'Enter their email address, like name@example.com.',
      relationship: 'Choose how they are related to you.',
      scope: 'Choose at least one area, or everything.',
    });
    expect(validateInvite(form, { ...EMPTY_SCOPE, areas: ['billing'] })).toEqual({});
    expect(validateInvite(form, { ...EMPTY_SCOPE, whole: true })).toEqual({});
  });

  it('refuses an end date in the past', () => {
    const now = new Date(2026, 11, 7);
    expect(validateInvite({ ...form, expires_on: '2026-12-06' }, { ...EMPTY_SCOPE, whole: true }, now).expires_on).toBe('Choose today or a later date.');
  });

  it('sends the whole record as "full" and chosen areas as a list', () => {
    expect(scopeBody({ whole: true, areas: ['billing'], access: 'read' })).toEqual({ areas: 'full', access: 'read' });
    expect(scopeBody({ whole: false, areas: ['appointments', 'billing'], access: 'act' })).toEqual({ areas: ['appointments', 'billing'], access: 'act' });
  });
});
