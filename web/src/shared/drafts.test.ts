import { beforeEach, describe, expect, it } from 'vitest';
import { clearAllDrafts, clearDraft, loadDraft, saveDraft } from './drafts';

describe('message drafts', () => {
  beforeEach(() => localStorage.clear());

  it('are kept per account and restored for the same account only', () => {
    saveDraft('alex', 'new:p-1', { subject: 'Knee', body: 'It still hurts' });
    expect(loadDraft('alex', 'new:p-1')).toEqual({ subject: 'Knee', body: 'It still hurts' });
    expect(loadDraft('maria', 'new:p-1')).toBeNull();
  });

  it('are forgotten when blank or sent', () => {
    saveDraft('alex', 'reply:t-1', { body: 'Thanks' });
    saveDraft('alex', 'reply:t-1', { body: '  ' });
    expect(loadDraft('alex', 'reply:t-1')).toBeNull();
    saveDraft('alex', 'reply:t-1', { body: 'Thanks' });
    clearDraft('alex', 'reply:t-1');
    expect(loadDraft('alex', 'reply:t-1')).toBeNull();
  });

  it('all go at an explicit sign-out, and nothing else in storage does', () => {
    localStorage.setItem('other', 'kept');
    saveDraft('alex', 'new:p-1', { body: 'a' });
    saveDraft('maria', 'reply:t-2', { body: 'b' });
    clearAllDrafts();
    expect(loadDraft('alex', 'new:p-1')).toBeNull();
    expect(loadDraft('maria', 'reply:t-2')).toBeNull();
    expect(localStorage.getItem('other')).toBe('kept');
  });
});
