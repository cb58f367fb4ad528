import { describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/api/client';
import { buildPatch, firstInvalid, hasChanges, mapApiFieldErrors, profileToForm, validateForm } from './profileForm';

const profile: Profile = {
  id: 'pat-1',
  legal_name: { given: 'Alex', family: 'Morgan' },
  birth_date: '1984-03-09',
  preferred_name: null,
  pronouns: 'they/them',
  phone: '+13125550142',
  email: 'alex@example.com',
  contact_source: null,
  address: { line1: '1 Main St', line2: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
  preferred_language: 'en',
  emergency_contact: { name: 'Sam Morgan', relationship: 'spouse', phone: '+12175550199' },
  communication: { email_notifications: true, sms_notifications: false, preferred_contact_method: 'portal' },
  sex: null,
  mrn: null,
  version: 3,
  updated_at: '2026-11-01T12:00:00Z',
};

describe('profile form', () => {
  it('shows phone numbers in the local format', () => {
    const form = profileToForm(profile);
    expect(form.phone).toBe('(312) 555-0142');
    expect(form.ec_phone).toBe('(217) 555-0199');
  });

  it('sends only the version when nothing changed', () => {
    const patch = buildPatch(profileToForm(profile), profile);
    expect(patch).toEqual({ version: 3 });
    expect(hasChanges(patch)).toBe(false);
  });

  it('treats the same number typed differently as unchanged', () => {
    const form = { ...profileToForm(profile), phone: '312-555-0142' };
    expect(buildPatch(form, profile)).toEqual({ version: 3 });
  });

  it('sends a changed phone as typed and null for a cleared field', () => {
    const form = { ...profileToForm(profile), phone: '(217) 555-0100', pronouns: '  ' };
    expect(buildPatch(form, profile)).toEqual({ version: 3, phone: '(217) 555-0100', pronouns: null });
  });

  it('sends whole address, emergency contact and communication objects when any part changed', () => {
    const form = { ...profileToForm(profile), postal_code: '62702', ec_relationship: 'partner', sms_notifications: true };
    expect(buildPatch(form, profile)).toEqual({
      version: 3,
      address: { line1: '1 Main St', line2: null, city: 'Springfield', state: 'IL', postal_code: '62702', country: 'US' },
      emergency_contact: { name: 'Sam Morgan', relationship: 'partner', phone: '(217) 555-0199' },
      communication: { email_notifications: true, sms_notifications: true, preferred_contact_method: 'portal' },
    });
  });

  it('clears the address when every line is blank', () => {
    const form = { ...profileToForm(profile), line1: '', city: '', state: '', postal_code: '' };
    expect(buildPatch(form, profile)).toEqual({ version: 3, address: null });
  });

  it('checks partly filled addresses and ZIP codes before sending', () => {
    const errors = validateForm({ ...profileToForm(profile), city: '', postal_code: '6270' });
    expect(errors).toEqual({ city: 'Enter the city.', postal_code: 'Enter a 5-digit ZIP code, like 62701.' });
    expect(firstInvalid(errors)).toBe('city');
  });

  it('places API field errors on inputs, dotted paths included', () => {
    const { errors, unplaced } = mapApiFieldErrors({
      phone: 'not a valid phone number',
      'address.postal_code': 'string does not match pattern',
      'emergency_contact.phone': 'not a valid phone number',
      mystery: 'odd',
    });
    expect(errors).toEqual({
      phone: 'Not a valid phone number.',
      postal_code: 'String does not match pattern.',
      ec_phone: 'Not a valid phone number.',
    });
    expect(unplaced).toEqual(['Odd.']);
    expect(firstInvalid(errors)).toBe('phone');
  });
});
