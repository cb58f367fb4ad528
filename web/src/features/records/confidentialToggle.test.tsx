// A clinician marks a chart item confidential only after confirming; the API gets the item's kind and id.

import { i18n } from '@lingui/core';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../shared/api/client';
import { AppContext } from '../../shared/context';
import { ConfidentialToggle } from './pages/ConfidentialToggle';
import { appContext } from '../../shared/test/fakes';

let root: HTMLElement;

beforeEach(() => {
  i18n.activate('en');
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

function mount(request: ReturnType<typeof vi.fn>, onChanged: (hidden: boolean, message: string) => void, confidential = false) {
  const value = appContext({ request } as unknown as Api, null);
  render(
    <AppContext.Provider value={value}>
      <ConfidentialToggle patientId="p-teen" kind="problem" itemId="pr-1" name="Anxiety" confidential={confidential} onChanged={onChanged} />
    </AppContext.Provider>,
    root,
  );
}

const button = (text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(text))!;

describe('the confidential toggle on a chart item', () => {
  it('asks first, and Cancel changes nothing', async () => {
    const request = vi.fn();
    mount(request, () => undefined);
    expect(button('Mark confidential').textContent).toBe('Mark confidential Anxiety');
    await act(async () => button('Mark confidential').click());
    expect(root.querySelector('dialog h2')?.textContent).toBe('Mark this confidential?');
    await act(async () => button('Cancel').click());
    expect(request).not.toHaveBeenCalled();
  });

  it('marks the item once confirmed and says so', async () => {
    const request = vi.fn(async () => ({ kind: 'problem', item_id: 'pr-1', confidential: true, hidden: true }));
    const onChanged = vi.fn();
    mount(request, onChanged);
    await act(async () => button('Mark confidential').click());
    await act(async () => button('Yes, hide it').click());
    expect(request).toHaveBeenCalledWith('/staff/patients/p-teen/confidential', {
      method: 'POST',
      body: { kind: 'problem', item_id: 'pr-1', confidential: true },
    });
    expect(onChanged).toHaveBeenCalledWith(true, "Anxiety is hidden from a teenager's parent or guardian.");
  });

  it('shows the mark in words and offers to undo it', async () => {
    const request = vi.fn(async () => ({ kind: 'problem', item_id: 'pr-1', confidential: false, hidden: false }));
    const onChanged = vi.fn();
    mount(request, onChanged, true);
    expect(root.querySelector('.conf-tag')?.textContent).toBe('Confidential');
    await act(async () => button("Show to a teen's parent").click());
    await act(async () => button('Yes, show it').click());
    expect(request).toHaveBeenCalledWith('/staff/patients/p-teen/confidential', {
      method: 'POST',
      body: { kind: 'problem', item_id: 'pr-1', confidential: false },
    });
    expect(onChanged).toHaveBeenCalledWith(false, "A teenager's parent or guardian can see Anxiety again.");
  });
});
