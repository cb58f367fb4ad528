import { describe, expect, it } from 'vitest';
import { countText, priorityText, refillsSummary, resultsSummary, threadsInAll, threadsSummary } from './workqueue';

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
    expect(refillsSummary(1, 100)).toBe('1 refill request to decide.');
    expect(refillsSummary(3, 100)).toBe('3 refill requests to decide.');
    expect(threadsSummary(100, 100)).toBe('100+ messages waiting for a reply.');
    expect(threadsInAll(1, 100)).toBe('1 conversation in all: see the inbox.');
  });
});

describe('work queue wording in Spanish', () => {
  it('counts and priorities follow the chosen language', async () => {
    const { i18n } = await import('@lingui/core');
    i18n.activate('es');
    expect(resultsSummary(6, 4, 100)).toBe('6 resultados por revisar, 4 anormales o críticos.');
    expect(refillsSummary(1, 100)).toBe('1 solicitud de resurtido por decidir.');
    expect(priorityText('critical')).toBe('Crítico');
  });
});
