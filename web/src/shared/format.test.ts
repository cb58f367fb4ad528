import { describe, expect, it } from 'vitest';
import { accessibleBrand, contrastRatio, formatDate, formatPhone, normalizePhone } from './format';

describe('format helpers', () => {
  it('keeps a dark brand colour and darkens a pale one to 4.5:1 against white', () => {
    expect(accessibleBrand('#0f5f8c')).toBe('#0f5f8c');
    const fixed = accessibleBrand('#7fd3ff');
    expect(contrastRatio(fixed, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(accessibleBrand('not-a-colour')).toBe('#0f5f8c');
  });

  it('formats dates without time-zone drift', () => {
    expect(formatDate('1984-03-09')).toMatch(/1984/);
    expect(formatDate('1984-03-09')).toMatch(/9/);
  });

  it('formats and normalises US phone numbers', () => {
    expect(formatPhone('+13125550142')).toBe('(312) 555-0142');
    expect(formatPhone('+442071838750')).toBe('+442071838750');
    expect(normalizePhone('(312) 555-0142')).toBe('+13125550142');
    expect(normalizePhone('1 312 555 0142')).toBe('+13125550142');
    expect(normalizePhone('+44 20 7183 8750')).toBe('+442071838750');
  });
});
