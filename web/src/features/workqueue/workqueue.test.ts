import { describe, expect, it } from 'vitest';
import { countText, plural, priorityText, resultsSummary } from './workqueue';

describe('work queue wording', () => {
  it('caps counts the way the server does', () => {
    expect(countText(7, 100)).toBe('7');
    expect(countText(100, 100)).toBe('100+');
  });

  it('summarises the results waiting for review', () => {
    expect(resultsSummary(0, 0, 100)).toBe('No results waiting for review.');
    expect(resultsSummary(1, 0, 100)).toBe('1 result to review.');
    expect(resultsSummary(6, 4, 100)).toBe('6 results to review, 4 abnormal or critical.');
    expect(resultsSummary(100, 100, 100)).toBe('100+ results to review, 100+ abnormal or critical.');
  });

  it('names priorities and plurals in words', () => {
    expect(priorityText('critical')).toBe('Critical');
    expect(plural(1, 100, 'refill request', 'refill requests')).toBe('1 refill request');
    expect(plural(3, 100, 'refill request', 'refill requests')).toBe('3 refill requests');
  });
});
