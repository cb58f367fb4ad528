// A result's review box in Spanish: the date sits inside one Spanish sentence, never an English fragment
// glued to a Spanish date.

import { i18n } from '@lingui/core';
import { render } from 'preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LabResult } from './api';
import { ReviewBox } from './pages/RecordsResultDetail';
import { mountPoint } from '../../shared/test/fakes';

const mount = mountPoint();

beforeEach(() => {
  i18n.activate('es');
});


function result(extra: Partial<LabResult>): LabResult {
  return { comment: null, comment_at: null, reviewed: false, reviewed_by: null, reviewed_at: null, ...extra } as LabResult;
}

describe('result review in Spanish', () => {
  it('says who commented and when in one Spanish sentence', () => {
    render(
      <ReviewBox
        result={result({ comment: 'Todo bien.', comment_at: '2026-12-07T15:00:00Z', reviewed: true, reviewed_by: 'Dr. Priya Rivera' })}
        audience="patient"
      />,
      mount(),
    );
    expect(mount().querySelector('h2')?.textContent).toBe('Comentario de Dr. Priya Rivera');
    const line = mount().querySelector('p.muted')?.textContent ?? '';
    expect(line).toMatch(/^Escrito el 7 dic 2026, .+\. Revisado por un profesional de salud\.$/);
    expect(line).not.toMatch(/Written|Reviewed/);
  });

  it('says who reviewed it and when, and what waiting means', () => {
    render(<ReviewBox result={result({ reviewed: true, reviewed_by: 'Dr. Priya Rivera', reviewed_at: '2026-12-07T15:00:00Z' })} audience="patient" />, mount());
    expect(mount().textContent).toMatch(/Dr\. Priya Rivera revisó este resultado el 7 dic 2026/);
    render(<ReviewBox result={result({})} audience="patient" />, mount());
    expect(mount().textContent).toContain('Usted ve este resultado en cuanto estuvo listo.');
  });
});
