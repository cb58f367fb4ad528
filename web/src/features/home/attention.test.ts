import { describe, expect, it } from 'vitest';
import { attentionItems } from './attention';
import type { HomeSummary } from './api';
import { quietHome } from '../../shared/test/fakes';

describe('the attention list of a caregiver whose grant covers some areas', () => {
  it('lists what the server sent and says nothing about the areas it left out', () => {
    const summary: HomeSummary = {
      ...quietHome('p-1'),
      new_results: null,
      unread_threads: null,
      balance: { currency: 'USD', balance_cents: 4500, pending_cents: 0, overdue_cents: 0, open_statements: 1 },
    };
    expect(attentionItems(summary).map((i) => i.key)).toEqual(['balance']);
  });

  it('a messages-only grant sees unread messages and no balance', () => {
    const summary: HomeSummary = { ...quietHome('p-1'), new_results: null, unread_threads: 2, balance: null };
    const items = attentionItems(summary);
    expect(items.map((i) => i.key)).toEqual(['messages']);
    expect(items[0]!.title).toBe('2 unread messages');
  });
});
