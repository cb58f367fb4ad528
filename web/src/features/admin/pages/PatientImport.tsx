// Import existing patients (administrators, at go-live): choose a CSV or FHIR file, check it (a dry run,
// nothing written), read the report, then import; optionally email invitations at SES's pace. The file goes
// to the API in chunks, each keeping the file's line numbers, and a progress bar follows them.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { useApp } from '../../../shared/context';
import { Notice, Page } from '../../../shared/ui/ui';
import { Link } from '../../../router';
import { formatNumber } from '../../../shared/format';
import { adminApi, type AdminClient, type ImportInvitationsOut, type PatientImportOut } from '../api';
import { addReports, type Chunk, chunksOf, FileProblem, type ImportFormat } from '../patientImport';

const INVITE_BATCH = 100;
const SHOWN_REJECTED = 1000;

type Phase = 'idle' | 'checking' | 'checked' | 'importing' | 'imported';

interface Loaded {
  name: string;
  format: ImportFormat;
  chunks: Chunk[];
  rows: number;
}

interface Invitations {
  sent: number;
  notSent: { patient_id: string; reason: string }[];
  left: string[];
  total: number;
  done: boolean;
  quotaUsedUp: boolean;
}

function message(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = Object.values(e.fields ?? {});
    const text = [e.message, ...fields].filter(Boolean).join(': ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
  }
  return t`Something went wrong. Please try again.`;
}

function importedText(report: PatientImportOut): string {
  const already = report.already_registered.length;
  if (already === 0) return plural(report.new, { one: '# patient imported.', other: '# patients imported.' });
  return t`${plural(report.new, { one: '# patient imported', other: '# patients imported' })}, ${plural(already, {
    one: '# was already registered',
    other: '# were already registered',
  })}.`;
}

function byNameText(count: number): string {
  const n = formatNumber(count);
  return t`(${n} by name and birth date)`;
}

function firstShown(shown: number, total: number): string {
  const first = formatNumber(shown);
  const all = formatNumber(total);
  return t`The first ${first} of ${all} are shown.`;
}

function sentText(state: Invitations): string {
  const notSent = state.notSent.length;
  if (notSent === 0) return plural(state.sent, { one: '# invitation sent.', other: '# invitations sent.' });
  const notSentText = formatNumber(notSent);
  return t`${plural(state.sent, { one: '# invitation sent', other: '# invitations sent' })}, ${notSentText} not sent.`;
}

function quotaText(left: number): string {
  return plural(left, {
    one: "Today's email quota is used up: # patient not invited yet. Invite them tomorrow from their records, or run the command-line import again with invitations.",
    other:
      "Today's email quota is used up: # patients not invited yet. Invite them tomorrow from their records, or run the command-line import again with invitations.",
  });
}

export function PatientImportPage() {
  const { api } = useApp();
  const client = useMemo<AdminClient>(() => adminApi(api), [api]);
  const [file, setFile] = useState<Loaded | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [reports, setReports] = useState<PatientImportOut[]>([]);
  const [checked, setChecked] = useState<PatientImportOut | null>(null);
  const [imported, setImported] = useState<PatientImportOut | null>(null);
  const [invite, setInvite] = useState(false);
  const [invitations, setInvitations] = useState<Invitations | null>(null);
  const [error, setError] = useState('');
  const reportRef = useRef<HTMLHeadingElement>(null);
  const busy = phase === 'checking' || phase === 'importing' || (invitations !== null && !invitations.done && !error);

  const choose = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const chosen = input.files?.[0];
    setFile(null);
    setPhase('idle');
    setChecked(null);
    setImported(null);
    setInvitations(null);
    setReports([]);
    setError('');
    if (!chosen) return;
    try {
      const text = await chosen.text();
      const { format, chunks } = chunksOf(chosen.name, text);
      setFile({ name: chosen.name, format, chunks, rows: chunks.reduce((n, c) => n + c.rows, 0) });
    } catch (e) {
      setError(e instanceof FileProblem ? e.message : t`We couldn't read this file. Is it a CSV or a FHIR Bundle (.json)?`);
    }
  };

  // Sends the chunks from `from` on; on a failure it stops there, and "Continue" resumes from that chunk.
  const run = async (dryRun: boolean, from = 0, before: PatientImportOut[] = []) => {
    if (!file) return;
    setError('');
    setPhase(dryRun ? 'checking' : 'importing');
    const done = [...before];
    setProgress({ done: done.reduce((n, r) => n + r.read, 0), total: file.rows });
    for (let i = from; i < file.chunks.length; i++) {
      const chunk = file.chunks[i]!;
      try {
        done.push(
          await client.importPatients({ format: file.format, content: chunk.content, first_row: chunk.firstRow, dry_run: dryRun, file_name: file.name }),
        );
      } catch (e) {
        setReports(done);
        setError(message(e));
        return;
      }
      setReports([...done]);
      setProgress({ done: done.reduce((n, r) => n + r.read, 0), total: file.rows });
    }
    const total = addReports(done, dryRun);
    setReports([]);
    if (dryRun) {
      setChecked(total);
      setPhase('checked');
    } else {
      setImported(total);
      setPhase('imported');
      const ids = total.created.filter((c) => c.has_email).map((c) => c.patient_id);
      if (invite && ids.length > 0) void sendInvitations({ sent: 0, notSent: [], left: ids, total: ids.length, done: false, quotaUsedUp: false });
    }
    requestAnimationFrame(() => reportRef.current?.focus());
  };

  const sendInvitations = async (start: Invitations) => {
    let state = start;
    setInvitations(state);
    setError('');
    while (state.left.length > 0) {
      let out: ImportInvitationsOut;
      try {
        out = await client.inviteImported(state.left.slice(0, INVITE_BATCH));
      } catch (e) {
        setError(message(e));
        return;
      }
      state = {
        ...state,
        sent: state.sent + out.sent.length,
        notSent: [...state.notSent, ...out.not_sent],
        left: [...out.remaining, ...state.left.slice(INVITE_BATCH)],
        quotaUsedUp: out.quota_left === 0,
      };
      setInvitations(state);
      // The day's quota is used up, or the server could try none of them: stop rather than ask again at once.
      if (state.quotaUsedUp || out.sent.length + out.not_sent.length === 0) break;
    }
    state = { ...state, done: true };
    setInvitations(state);
  };

  const resume = () => {
    if (invitations && !invitations.done) void sendInvitations(invitations);
    else void run(phase === 'checking', reports.length, reports);
  };

  const checkedNew = checked?.new ?? 0;
  return (
    <Page
      title={t`Import existing patients`}
      lead={t`Bring the clinic's patient list into the portal: a CSV file or a FHIR R4 Bundle. The file is checked first and nothing is saved until you press Import. Patients already in the portal are never added twice.`}
    >
      <p>
        <Link href="/admin/staff">{t`Back to staff accounts`}</Link>
      </p>
      <section class="card import-step" aria-labelledby="import-file-title">
        <h2 id="import-file-title">{t`1. Choose the file`}</h2>
        <div class="field">
          <label for="import-file">{t`Patient file (.csv or .json)`}</label>
          <p class="hint" id="import-file-hint">
            {t`A CSV with the columns below, or a FHIR R4 Bundle of Patient resources. Up to thousands of rows.`}
          </p>
          <input id="import-file" type="file" accept=".csv,.json,text/csv,application/json,application/fhir+json" aria-describedby="import-file-hint" onChange={choose} disabled={busy} />
        </div>
        <details class="import-columns">
          <summary>{t`What the CSV needs`}</summary>
          {/* Column names and values stay as the file must spell them, in every language. */}
          <p>
            <Trans>
              A header line naming the columns, in any order. Required: <code>given_name</code>, <code>family_name</code>, <code>birth_date</code> (YYYY-MM-DD),{' '}
              <code>sex</code> (female, male, other, unknown, or F/M/O/U). Optional: <code>mrn</code> (the medical record number: letters, digits,
              dashes), <code>email</code>, <code>phone</code>, <code>address_line1</code>, <code>address_line2</code>, <code>city</code>,{' '}
              <code>state</code> (2 letters), <code>postal_code</code>.
            </Trans>
          </p>
          <p>
            {t`A patient whose MRN is already in the portal is skipped; without an MRN, the same name and birth date count as the same patient. In a FHIR Patient, the MRN is the identifier of type MR.`}
          </p>
        </details>
        {file ? (
          <p class="import-file">
            <strong>{file.name}</strong>:{' '}
            {file.format === 'fhir'
              ? plural(file.rows, { one: 'FHIR Bundle, # row', other: 'FHIR Bundle, # rows' })
              : plural(file.rows, { one: 'CSV, # row', other: 'CSV, # rows' })}
          </p>
        ) : null}
        {file && phase === 'idle' ? (
          <div class="form-actions">
            <button type="button" class="button button--primary" onClick={() => void run(true)}>
              {t`Check the file`}
            </button>
          </div>
        ) : null}
      </section>

      {phase === 'checking' || phase === 'importing' ? (
        <ImportProgress id="import-progress" label={phase === 'checking' ? t`Checking the file` : t`Importing patients`} done={progress.done} total={progress.total} unit="rows" />
      ) : null}

      {error ? (
        <Notice tone="error" role="alert" title={phase === 'idle' ? t`This file can't be imported` : t`The import stopped`}>
          <p>{error}</p>
          {file && (reports.length > 0 || invitations) ? (
            <p>
              <button type="button" class="button button--secondary" onClick={resume}>
                {t`Continue where it stopped`}
              </button>
            </p>
          ) : null}
        </Notice>
      ) : null}

      {checked && phase === 'checked' ? (
        <section class="card import-step" aria-labelledby="import-check-title">
          <h2 id="import-check-title" ref={reportRef} tabIndex={-1}>
            {t`2. Check result`}
          </h2>
          <Counts report={checked} />
          <Rejected report={checked} />
          {checkedNew > 0 ? (
            <>
              {checked.new_with_email > 0 ? (
                <div class="check">
                  <input id="import-invite" type="checkbox" checked={invite} onChange={(e) => setInvite((e.currentTarget as HTMLInputElement).checked)} />
                  <label for="import-invite">
                    {plural(checked.new_with_email, {
                      one: 'Email a portal invitation to the # new patient with an email address',
                      other: 'Email a portal invitation to the # new patients with an email address',
                    })}
                  </label>
                </div>
              ) : null}
              <p class="hint">
                {checked.rejected.length > 0
                  ? t`Rejected rows are left out. Fix them in the file and import it again later: patients already imported are skipped.`
                  : ''}
              </p>
              <div class="form-actions">
                <button type="button" class="button button--primary" onClick={() => void run(false)}>
                  {plural(checkedNew, { one: 'Import # patient', other: 'Import # patients' })}
                </button>
              </div>
            </>
          ) : (
            <p>{t`There is nobody new to import in this file.`}</p>
          )}
        </section>
      ) : null}

      {imported ? (
        <section class="card import-step" aria-labelledby="import-done-title">
          <h2 id="import-done-title" ref={reportRef} tabIndex={-1}>
            {t`Import finished`}
          </h2>
          <Notice tone="success">
            <p>{importedText(imported)}</p>
          </Notice>
          <Counts report={imported} />
          <Rejected report={imported} />
          {invitations ? <InvitationProgress state={invitations} /> : null}
        </section>
      ) : null}
    </Page>
  );
}

function ImportProgress({ id, label, done, total, unit }: { id: string; label: string; done: number; total: number; unit: 'rows' | 'invitations' }) {
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  const doneText = formatNumber(done);
  const status =
    unit === 'rows'
      ? plural(total, { one: `${doneText} of # row (${pct}%)`, other: `${doneText} of # rows (${pct}%)` })
      : plural(total, { one: `${doneText} of # invitation (${pct}%)`, other: `${doneText} of # invitations (${pct}%)` });
  return (
    <section class="card import-progress" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} for={id}>
        {label}
      </label>
      <progress id={id} max={total} value={done}>
        {pct}%
      </progress>
      <p class="muted small" role="status">
        {status}
      </p>
    </section>
  );
}

function Counts({ report }: { report: PatientImportOut }) {
  const byName = report.already_registered.filter((e) => e.matched_by === 'name_and_birth_date').length;
  return (
    <dl class="import-counts">
      <div>
        <dt>{t`Rows read`}</dt>
        <dd>{formatNumber(report.read)}</dd>
      </div>
      <div>
        <dt>{t`Accepted`}</dt>
        <dd>{formatNumber(report.accepted)}</dd>
      </div>
      <div>
        <dt>{report.dry_run ? t`New (to be created)` : t`New (created)`}</dt>
        <dd>{formatNumber(report.new)}</dd>
      </div>
      <div>
        <dt>{t`Already registered`}</dt>
        <dd>
          {formatNumber(report.already_registered.length)}
          {byName > 0 ? <span class="muted small"> {byNameText(byName)}</span> : null}
        </dd>
      </div>
      <div>
        <dt>{t`Rejected`}</dt>
        <dd>{formatNumber(report.rejected.length)}</dd>
      </div>
    </dl>
  );
}

function Rejected({ report }: { report: PatientImportOut }) {
  if (report.rejected.length === 0) return <p>{t`No rows were rejected.`}</p>;
  const unit = report.numbered_by === 'entry' ? t`Entry` : t`Line`;
  const shown = report.rejected.slice(0, SHOWN_REJECTED);
  return (
    <>
      <h3>{t`Rejected rows`}</h3>
      <table class="log-table import-rejected">
        <caption class="visually-hidden">{t`Rejected rows, with the reason`}</caption>
        <thead>
          <tr>
            <th scope="col">{unit}</th>
            <th scope="col">{t`Reason`}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.row}>
              <td data-label={unit}>{r.row}</td>
              {/* The server gives its reasons in English. */}
              <td data-label={t`Reason`} lang="en">
                {r.reason}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.rejected.length > shown.length ? <p class="muted small">{firstShown(shown.length, report.rejected.length)}</p> : null}
    </>
  );
}

function InvitationProgress({ state }: { state: Invitations }) {
  const done = state.sent + state.notSent.length;
  return (
    <div class="import-invitations">
      <h3>{t`Invitations`}</h3>
      {!state.done ? <ImportProgress id="invite-progress" label={t`Sending invitations at the email service's pace`} done={done} total={state.total} unit="invitations" /> : null}
      <p role="status">
        {sentText(state)}
        {state.done && state.quotaUsedUp && state.left.length > 0 ? ` ${quotaText(state.left.length)}` : ''}
      </p>
      {state.notSent.length > 0 ? (
        <details>
          <summary>{t`Why some were not sent`}</summary>
          <ul>
            {state.notSent.map((n) => (
              <li key={n.patient_id}>
                {n.patient_id}: <span lang="en">{n.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
