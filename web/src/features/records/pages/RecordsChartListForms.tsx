// The clinician's forms on a patient's chart for the lists: add a problem, add a medication.

import { t } from '@lingui/core/macro';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type HealthSummary, recordsApi } from '../api';
import { Field, TextField } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { localDateInput } from '../recordsStaff';
import { type Api, errorText } from './RecordsStaff';
import { FormStatus } from './RecordsChartForms';

export function AddProblemForm({ api, patientId, onAdded }: { api: Api; patientId: string; onAdded: (p: HealthSummary['problems'][number]) => void }) {
  const [name, setName] = useState('');
  const [onset, setOnset] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setStatus({ tone: 'error', text: t`Enter the problem.` });
      document.getElementById('ap-name')?.focus();
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const added = await recordsApi(api).addProblem(patientId, { name: name.trim(), onset_date: onset || null, note: note.trim() || null });
      onAdded(added);
      setStatus({ tone: 'success', text: t`${added.name} was added.` });
      setName('');
      setOnset('');
      setNote('');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, t`The problem wasn't added. Please try again.`) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="st-inline">
      <summary>{t`Add a problem`}</summary>
      <form onSubmit={submit} noValidate class="stack">
        <TextField id="ap-name" label={t`Problem`} value={name} onValue={setName} maxLength={200} />
        <Field id="ap-onset" label={t`Since`} optional>
          {() => <input id="ap-onset" type="date" max={localDateInput(0)} value={onset} class="input--short rec-date" onInput={(e) => setOnset((e.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <TextField id="ap-note" label={t`Note`} optional value={note} onValue={setNote} maxLength={1000} />
        <div>
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t`Adding…` : t`Add problem`}
          </button>
        </div>
        <FormStatus status={status} />
      </form>
    </details>
  );
}

export function AddMedicationForm({ api, patientId, onAdded }: { api: Api; patientId: string; onAdded: (m: HealthSummary['medications'][number]) => void }) {
  const { me } = useApp();
  const [form, setForm] = useState({ name: '', dose: '', instructions: '', prescriber: me?.user.display_name ?? '', start: localDateInput(0) });
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const missing = (
      [
        ['name', t`the medication`],
        ['dose', t`the dose`],
        ['instructions', t`how to take it`],
        ['prescriber', t`the prescriber`],
        ['start', t`the start date`],
      ] as const
    ).filter(([k]) => !form[k].trim());
    if (missing.length > 0) {
      const list = missing.map(([, label]) => label).join(', ');
      setStatus({ tone: 'error', text: t`Enter ${list}.` });
      document.getElementById(`am-${missing[0]![0]}`)?.focus();
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const added = await recordsApi(api).addMedication(patientId, {
        name: form.name.trim(),
        dose: form.dose.trim(),
        instructions: form.instructions.trim(),
        prescriber: form.prescriber.trim(),
        start_date: form.start,
      });
      onAdded(added);
      setStatus({ tone: 'success', text: t`${added.name} was added.` });
      setForm((f) => ({ ...f, name: '', dose: '', instructions: '' }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: errorText(e, t`The medication wasn't added. Please try again.`) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="st-inline">
      <summary>{t`Add a medication`}</summary>
      <form onSubmit={submit} noValidate class="stack">
        <TextField id="am-name" label={t`Medication`} value={form.name} onValue={set('name')} maxLength={200} hint={t`Name and strength, e.g. Metformin 500 mg tablet.`} />
        <TextField id="am-dose" label={t`Dose`} value={form.dose} onValue={set('dose')} maxLength={100} />
        <TextField id="am-instructions" label={t`How to take it`} value={form.instructions} onValue={set('instructions')} maxLength={500} />
        <TextField id="am-prescriber" label={t`Prescriber`} value={form.prescriber} onValue={set('prescriber')} maxLength={100} />
        <Field id="am-start" label={t`Start date`}>
          {() => <input id="am-start" type="date" max={localDateInput(0)} value={form.start} class="input--short rec-date" onInput={(e) => set('start')((e.currentTarget as HTMLInputElement).value)} />}
        </Field>
        <div>
          <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? t`Adding…` : t`Add medication`}
          </button>
        </div>
        <FormStatus status={status} />
      </form>
    </details>
  );
}
