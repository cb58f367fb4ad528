// The clinician's forms on a patient's chart: add a result (with its components); problems and medications are in RecordsChartListForms.

import { plural, t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type CategoryPreference, type LabResult, recordsApi } from '../api';
import { Field, Notice, TextField } from '../../../shared/ui/ui';
import { localDateInput, parseNumber } from '../recordsStaff';
import { type Api, emptyComponent, errorText } from './RecordsStaff';

export interface ComponentDraft {
  name: string;
  code: string;
  value: string;
  unit: string;
  low: string;
  high: string;
}
export function FormStatus({ status }: { status: { tone: 'success' | 'error'; text: string } | null }) {
  return (
    <div role="status" aria-live="polite">
      {status ? (
        <Notice tone={status.tone}>
          <p>{status.text}</p>
        </Notice>
      ) : null}
    </div>
  );
}

function reviewFirstHint(category: string, days: number): string {
  return plural(days, {
    one: `This patient asked to review ${category} first: the result waits for your release, at most # day.`,
    other: `This patient asked to review ${category} first: the result waits for your release, at most # days.`,
  });
}

export function AddResultForm({
  api,
  patientId,
  categories,
  onAdded,
}: {
  api: Api;
  patientId: string;
  categories: CategoryPreference[];
  onAdded: (r: LabResult) => void;
}) {
  const [category, setCategory] = useState(categories[0]?.id ?? 'lab');
  const [name, setName] = useState('');
  const [collected, setCollected] = useState(() => localDateInput(0));
  const [components, setComponents] = useState<ComponentDraft[]>([emptyComponent()]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const setComp = (i: number, patch: Partial<ComponentDraft>) =>
    setComponents((all) => all.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems: string[] = [];
    if (!name.trim()) problems.push(t`Give the result a name.`);
    const parsed = components.map((c, i) => {
      const n = i + 1;
      const value = parseNumber(c.value);
      const low = parseNumber(c.low);
      const high = parseNumber(c.high);
      if (!c.name.trim()) problems.push(t`Value ${n}: give it a name.`);
      if (!c.value.trim()) problems.push(t`Value ${n}: enter the result.`);
      if (c.code.trim() && !/^\d{1,7}-\d$/.test(c.code.trim())) problems.push(t`Value ${n}: a LOINC code looks like 4548-4.`);
      const numeric = value !== null;
      if (!numeric && (c.unit.trim() || c.low.trim() || c.high.trim())) problems.push(t`Value ${n}: a unit or range needs a number as the result.`);
      return {
        name: c.name.trim(),
        code: c.code.trim() || null,
        ...(numeric ? { value, unit: c.unit.trim() || null, ref_low: low, ref_high: high } : { value_text: c.value.trim() }),
      };
    });
    if (problems.length > 0) {
      setStatus({ tone: 'error', text: problems.join(' ') });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      // Collected today means "now"; an earlier day means midday of that day.
      const at = collected === localDateInput(0) ? new Date().toISOString() : new Date(`${collected}T12:00:00`).toISOString();
      const added = await recordsApi(api).addResult(patientId, {
        category,
        name: name.trim(),
        collected_at: at,
        components: parsed,
        comment: comment.trim() || null,
      });
      onAdded(added);
      setStatus({ tone: 'success', text: t`${added.name} was added.` });
      setName('');
      setComponents([emptyComponent()]);
      setComment('');
      nameRef.current?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, t`The result wasn't added. Please try again.`) });
    } finally {
      setBusy(false);
    }
  };

  const chosen = categories.find((c) => c.id === category);
  return (
    <form onSubmit={submit} noValidate class="stack">
      <div class="form-grid">
        <Field id="ar-category" label={t`Category`}>
          {() => (
            <select id="ar-category" value={category} onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value)}>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="ar-name" label={t`Result name`} hint={t`As the patient will see it, e.g. Lipid panel.`}>
          {(describedBy) => (
            <input ref={nameRef} id="ar-name" type="text" maxLength={200} value={name} aria-describedby={describedBy} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          )}
        </Field>
        <Field id="ar-collected" label={t`Collected on`}>
          {() => (
            <input id="ar-collected" type="date" max={localDateInput(0)} value={collected} class="input--short rec-date" onInput={(e) => setCollected((e.currentTarget as HTMLInputElement).value)} />
          )}
        </Field>
      </div>
      {chosen?.review_first ? (
        <p class="hint-box">{reviewFirstHint(chosen.label.toLowerCase(), chosen.max_wait_days)}</p>
      ) : (
        <p class="hint-box">{t`The patient sees this result as soon as you add it.`}</p>
      )}
      {components.map((c, i) => (
        <fieldset key={i} class="st-component">
          <legend>{t`Value ${i + 1}`}</legend>
          <div class="form-grid">
            <TextField id={`ar-c${i}-name`} label={t`Name`} value={c.name} onValue={(v) => setComp(i, { name: v })} maxLength={120} />
            <TextField id={`ar-c${i}-code`} label={t`LOINC code`} optional value={c.code} onValue={(v) => setComp(i, { code: v })} maxLength={9} hint={t`Lets it appear in trends.`} />
            <TextField id={`ar-c${i}-value`} label={t`Result`} value={c.value} onValue={(v) => setComp(i, { value: v })} maxLength={500} hint={t`A number, or words.`} />
            <TextField id={`ar-c${i}-unit`} label={t`Unit`} optional value={c.unit} onValue={(v) => setComp(i, { unit: v })} maxLength={30} />
            <TextField id={`ar-c${i}-low`} label={t`Normal range from`} optional value={c.low} onValue={(v) => setComp(i, { low: v })} inputMode="decimal" />
            <TextField id={`ar-c${i}-high`} label={t`Normal range to`} optional value={c.high} onValue={(v) => setComp(i, { high: v })} inputMode="decimal" />
          </div>
          {components.length > 1 ? (
            <button type="button" class="link-button" onClick={() => setComponents((all) => all.filter((_, j) => j !== i))}>
              {t`Remove value ${i + 1}`}
            </button>
          ) : null}
        </fieldset>
      ))}
      <div>
        <button
          type="button"
          class="button button--secondary"
          onClick={() => {
            setComponents((all) => [...all, emptyComponent()]);
            requestAnimationFrame(() => document.getElementById(`ar-c${components.length}-name`)?.focus());
          }}
        >
          {t`Add another value`}
        </button>
      </div>
      <Field id="ar-comment" label={t`Comment for the patient`} optional hint={t`Adding a comment also marks the result reviewed.`}>
        {(describedBy) => (
          <textarea class="rec-textarea" id="ar-comment" rows={3} maxLength={2000} value={comment} aria-describedby={describedBy} onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)} />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? t`Adding…` : t`Add result`}
        </button>
      </div>
      <FormStatus status={status} />
    </form>
  );
}
