// When the patient sees new results: for each kind, at once or after a clinician has reviewed them (with a
// longest wait).

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { recordsApi, type ResultPreferences } from '../api';
import { Loading, Notice } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';
import type { Choice } from './RecordsSummary';

export function ReleasePreferences() {
  const { api, patient } = useApp();
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [status, setStatus] = useState<{ tone: 'success' | 'error' | 'warning' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';

  const choicesOf = (p: ResultPreferences) =>
    Object.fromEntries(p.categories.map((c) => [c.id, { review_first: c.review_first, max_wait_days: c.max_wait_days }]));
  const loaded = useLoad(
    (signal) =>
      recordsApi(api)
        .resultPreferences(pid!, signal)
        .then((p) => {
          setChoices(choicesOf(p));
          return p;
        }),
    [pid],
    { enabled: pid !== null, keepData: true },
  );
  const prefs = loaded.data;
  const loadError = loadFailure(loaded.error, t`We couldn't load these choices.`);
  const adopt = (p: ResultPreferences) => {
    loaded.set(p);
    setChoices(choicesOf(p));
  };

  // Arriving from "Change when you see results": bring this section into view once it has loaded.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (prefs && location.hash === '#release-preferences') {
      requestAnimationFrame(() => {
        headingRef.current?.scrollIntoView({ block: 'start' });
        headingRef.current?.focus({ preventScroll: true });
      });
    }
  }, [prefs !== null]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (!pid || !prefs || busy) return;
    const changed = prefs.categories.some(
      (c) => choices[c.id]?.review_first !== c.review_first || (choices[c.id]?.review_first && choices[c.id]?.max_wait_days !== c.max_wait_days),
    );
    if (!changed) {
      setStatus({ tone: 'info', text: t`There are no changes to save.` });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const categories = Object.fromEntries(
        prefs.categories.filter((c) => c.allow_review_first).map((c) => [c.id, choices[c.id] ?? { review_first: false, max_wait_days: c.max_wait_days }]),
      );
      const updated = await recordsApi(api).updateResultPreferences(pid, { version: prefs.version, categories });
      adopt(updated);
      setStatus({ tone: 'success', text: t`Your choices were saved. They apply to results that arrive from now on.` });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      if (e instanceof ApiError && e.status === 409) {
        try {
          adopt(await recordsApi(api).resultPreferences(pid));
        } catch {
          /* the message still says to review */
        }
        setStatus({ tone: 'warning', text: t`These choices were changed elsewhere. We loaded the latest; please review and save again.` });
      } else {
        setStatus({
          tone: 'error',
          text: e instanceof ApiError && e.code === 'network' ? e.message : t`We couldn't save your choices. Please try again.`,
        });
      }
      requestAnimationFrame(() => statusRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card rec-prefs no-print" aria-labelledby="rec-prefs-title" id="release-preferences">
      <h2 id="rec-prefs-title" ref={headingRef} tabIndex={-1}>
        {forSelf ? t`When you see new test results` : t`When to see new test results`}
      </h2>
      <p>
        <Trans>
          <strong>By default, results appear here as soon as they are ready</strong>, often before your clinician has looked at them. For some kinds of
          results you may prefer to hear about them from your clinician first. If you choose that, a result of that kind appears when your clinician
          releases it, and never later than the wait you pick.
        </Trans>
      </p>
      {loadError ? (
        <Notice tone="error">
          <p>{loadError}</p>
        </Notice>
      ) : !prefs ? (
        <Loading label={t`Loading your choices…`} />
      ) : (
        <form onSubmit={save} noValidate>
          <ul class="rec-pref-list">
            {prefs.categories.map((c) => {
              const choice = choices[c.id] ?? { review_first: false, max_wait_days: c.max_wait_days };
              const set = (next: Partial<Choice>) => {
                setChoices((all) => ({ ...all, [c.id]: { ...choice, ...next } }));
                setStatus(null);
              };
              const boxId = `pref-${c.id}`;
              const waitId = `pref-${c.id}-wait`;
              return (
                <li key={c.id} class="rec-pref">
                  <fieldset>
                    <legend>{c.label}</legend>
                    {c.description ? <p class="hint" id={`${boxId}-desc`}>{c.description}</p> : null}
                    {c.allow_review_first ? (
                      <>
                        <div class="check">
                          <input
                            type="checkbox"
                            id={boxId}
                            checked={choice.review_first}
                            aria-describedby={c.description ? `${boxId}-desc` : undefined}
                            onChange={(e) => set({ review_first: (e.currentTarget as HTMLInputElement).checked })}
                          />
                          <label for={boxId}>{c.review_first_prompt}</label>
                        </div>
                        {choice.review_first ? (
                          <div class="field rec-wait">
                            <label for={waitId}>{t`Longest wait before I see them anyway`}</label>
                            <select
                              id={waitId}
                              value={String(choice.max_wait_days)}
                              onChange={(e) => set({ max_wait_days: Number((e.currentTarget as HTMLSelectElement).value) })}
                            >
                              {Array.from({ length: c.max_wait_days_limit }, (_, i) => i + 1).map((d) => (
                                <option key={d} value={String(d)}>
                                  {plural(d, { one: '# day', other: '# days' })}
                                </option>
                              ))}
                            </select>
                          </div>
                        ) : (
                          <p class="rec-pref-now">{t`Shown as soon as they are ready.`}</p>
                        )}
                      </>
                    ) : (
                      <p class="rec-pref-now">{t`Always shown as soon as they are ready.`}</p>
                    )}
                  </fieldset>
                </li>
              );
            })}
          </ul>
          <div class="form-actions">
            <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
              {busy ? t`Saving…` : t`Save my choices`}
            </button>
            {prefs.updated_at ? <p class="muted small">{t`Last changed ${formatDateTime(prefs.updated_at)}`}</p> : null}
          </div>
          <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" class="rec-status-line">
            {status ? (
              <Notice tone={status.tone}>
                <p>{status.text}</p>
              </Notice>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}
