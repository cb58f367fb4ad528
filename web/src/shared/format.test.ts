import { describe, expect, it } from 'vitest';
import { i18n } from '@lingui/core';
import {
  accessibleBrand,
  contrastRatio,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPhone,
  formatWeekdayDateTime,
  normalizePhone,
  roleLabel,
} from './format';

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

  it('writes dates, times, money and numbers in the active language, whatever the browser says', () => {
    const instant = '2026-12-10T15:20:00Z';
    expect(formatDate('2026-12-10')).toBe('December 10, 2026');
    expect(formatDateTime(instant, 'America/Chicago')).toBe('Dec 10, 2026, 9:20 AM');
    expect(formatWeekdayDateTime(instant, 'America/Chicago')).toBe('Thursday, December 10 at 9:20 AM');
    expect(formatMoney(123450)).toBe('$1,234.50');

    i18n.activate('es');
    expect(formatDate('2026-12-10')).toBe('10 de diciembre de 2026');
    expect(formatDateTime(instant, 'America/Chicago')).toBe('10 dic 2026, 9:20 a.m.');
    expect(formatWeekdayDateTime(instant, 'America/Chicago')).toBe('jueves, 10 de diciembre, 9:20 a.m.');
    expect(formatMoney(123450)).toBe('$1,234.50');
    expect(formatNumber(1234.5)).toBe('1,234.5');
    expect(roleLabel('front_desk')).toBe('Recepción');

    // An explicit locale wins over the active one.
    expect(formatDate('2026-12-10', 'en')).toBe('December 10, 2026');
  });
});
