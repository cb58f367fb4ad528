// Import existing patients (administrators, at go-live): choose a CSV or FHIR file, check it (a dry run,
// nothing written), read the report, then import; optionally email invitations at SES's pace. The file goes
// to the API in chunks, each keeping the file's line numbers, and a progress bar follows them.

import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { useApp } from '../../../shared/context';
import { Notice, Page } from '../../../shared/ui/ui';
import { Link } from '../../../router';
import { adminApi, type AdminClient, type ImportInvitationsOut, type PatientImportOut } from '../api';
import { addReports, type Chunk, chunksOf, FileProblem, type ImportFormat, plural } from '../patientImport';

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
  return 'Something went wrong. Please try again.';
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
      setError(e instanceof FileProblem ? e.message : "We couldn't read this file. Is it a CSV or a FHIR Bundle (.json)?");
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
      title="Import existing patients"
      lead="Bring the clinic's patient list into the portal: a CSV file or a FHIR R4 Bundle. The file is checked first and nothing is saved until you press Import. Patients already in the portal are never added twice."
    >
      <p>
        <Link href="/admin/staff">Back to staff accounts</Link>
      </p>
      <section class="card import-step" aria-labelledby="import-file-title">
        <h2 id="import-file-title">1. Choose the file</h2>
        <div class="field">
          <label for="import-file">Patient file (.csv or .json)</label>
          <p class="hint" id="import-file-hint">
            A CSV with the columns below, or a FHIR R4 Bundle of Patient resources. Up to thousands of rows.
          </p>
          <input id="import-file" type="file" accept=".csv,.json,text/csv,application/json,application/fhir+json" aria-describedby="import-file-hint" onChange={choose} disabled={busy} />
        </div>
        <details class="import-columns">
          <summary>What the CSV needs</summary>
          <p>
            A header line naming the columns, in any order. Required: <code>given_name</code>, <code>family_name</code>, <code>birth_date</code> (YYYY-MM-DD),{' '}
            <code>sex</code> (female, male, other, unknown, or F/M/O/U). Optional: <code>mrn</code> (the medical record number: letters, digits, dashes),{' '}
            <code>email</code>, <code>phone</code>, <code>address_line1</code>, <code>address_line2</code>, <code>city</code>, <code>state</code> (2 letters),{' '}
            <code>postal_code</code>.
          </p>
          <p>
            A patient whose MRN is already in the portal is skipped; without an MRN, the same name and birth date count as the same patient. In a FHIR
            Patient, the MRN is the identifier of type MR.
          </p>
        </details>
        {file ? (
          <p class="import-file">
            <strong>{file.name}</strong>: {file.format === 'fhir' ? 'FHIR Bundle' : 'CSV'}, {plural(file.rows, 'row')}
          </p>
        ) : null}
        {file && phase === 'idle' ? (
          <div class="form-actions">
            <button type="button" class="button button--primary" onClick={() => void run(true)}>
              Check the file
            </button>
          </div>
        ) : null}
      </section>

      {phase === 'checking' || phase === 'importing' ? (
        <ImportProgress id="import-progress" label={phase === 'checking' ? 'Checking the file' : 'Importing patients'} done={progress.done} total={progress.total} unit="rows" />
      ) : null}

      {error ? (
        <Notice tone="error" role="alert" title={phase === 'idle' ? "This file can't be imported" : 'The import stopped'}>
          <p>{error}</p>
          {file && (reports.length > 0 || invitations) ? (
            <p>
              <button type="button" class="button button--secondary" onClick={resume}>
                Continue where it stopped
              </button>
            </p>
          ) : null}
        </Notice>
      ) : null}

      {checked && phase === 'checked' ? (
        <section class="card import-step" aria-labelledby="import-check-title">
          <h2 id="import-check-title" ref={reportRef} tabIndex={-1}>
            2. Check result
          </h2>
          <Counts report={checked} />
          <Rejected report={checked} />
          {checkedNew > 0 ? (
            <>
              {checked.new_with_email > 0 ? (
                <div class="check">
                  <input id="import-invite" type="checkbox" checked={invite} onChange={(e) => setInvite((e.currentTarget as HTMLInputElement).checked)} />
                  <label for="import-invite">
                    Email a portal invitation to the {plural(checked.new_with_email, 'new patient')} with an email address
                  </label>
                </div>
              ) : null}
              <p class="hint">{checked.rejected.length > 0 ? 'Rejected rows are left out. Fix them in the file and import it again later: patients already imported are skipped.' : ''}</p>
              <div class="form-actions">
                <button type="button" class="button button--primary" onClick={() => void run(false)}>
                  Import {plural(checkedNew, 'patient')}
                </button>
              </div>
            </>
          ) : (
            <p>There is nobody new to import in this file.</p>
          )}
        </section>
      ) : null}

      {imported ? (
        <section class="card import-step" aria-labelledby="import-done-title">
          <h2 id="import-done-title" ref={reportRef} tabIndex={-1}>
            Import finished
          </h2>
          <Notice tone="success">
            <p>
              {plural(imported.new, 'patient')} imported{imported.already_registered.length > 0 ? `, ${plural(imported.already_registered.length, 'was', 'were')} already registered` : ''}.
            </p>
          </Notice>
          <Counts report={imported} />
          <Rejected report={imported} />
          {invitations ? <InvitationProgress state={invitations} /> : null}
        </section>
      ) : null}
    </Page>
  );
}

function ImportProgress({ id, label, done, total, unit }: { id: string; label: string; done: number; total: number; unit: string }) {
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <section class="card import-progress" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} for={id}>
        {label}
      </label>
      <progress id={id} max={total} value={done}>
        {pct}%
      </progress>
      <p class="muted small" role="status">
        {done.toLocaleString('en-US')} of {plural(total, unit.replace(/s$/, ''))} ({pct}%)
      </p>
    </section>
  );
}

function Counts({ report }: { report: PatientImportOut }) {
  const byName = report.already_registered.filter((e) => e.matched_by === 'name_and_birth_date').length;
  return (
    <dl class="import-counts">
      <div>
        <dt>Rows read</dt>
        <dd>{report.read.toLocaleString('en-US')}</dd>
      </div>
      <div>
        <dt>Accepted</dt>
        <dd>{report.accepted.toLocaleString('en-US')}</dd>
      </div>
      <div>
        <dt>{report.dry_run ? 'New (to be created)' : 'New (created)'}</dt>
        <dd>{report.new.toLocaleString('en-US')}</dd>
      </div>
      <div>
        <dt>Already registered</dt>
        <dd>
          {report.already_registered.length.toLocaleString('en-US')}
          {byName > 0 ? <span class="muted small"> ({byName.toLocaleString('en-US')} by name and birth date)</span> : null}
        </dd>
      </div>
      <div>
        <dt>Rejected</dt>
        <dd>{report.rejected.length.toLocaleString('en-US')}</dd>
      </div>
    </dl>
  );
}

function Rejected({ report }: { report: PatientImportOut }) {
  if (report.rejected.length === 0) return <p>No rows were rejected.</p>;
  const unit = report.numbered_by === 'entry' ? 'Entry' : 'Line';
  const shown = report.rejected.slice(0, SHOWN_REJECTED);
  return (
    <>
      <h3>Rejected rows</h3>
      <table class="log-table import-rejected">
        <caption class="visually-hidden">Rejected rows, with the reason</caption>
        <thead>
          <tr>
            <th scope="col">{unit}</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.row}>
              <td data-label={unit}>{r.row}</td>
              <td data-label="Reason">{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.rejected.length > shown.length ? <p class="muted small">The first {SHOWN_REJECTED} of {report.rejected.length.toLocaleString('en-US')} are shown.</p> : null}
    </>
  );
}

function InvitationProgress({ state }: { state: Invitations }) {
  const done = state.sent + state.notSent.length;
  return (
    <div class="import-invitations">
      <h3>Invitations</h3>
      {!state.done ? <ImportProgress id="invite-progress" label="Sending invitations at the email service's pace" done={done} total={state.total} unit="invitations" /> : null}
      <p role="status">
        {plural(state.sent, 'invitation')} sent{state.notSent.length > 0 ? `, ${state.notSent.length.toLocaleString('en-US')} not sent` : ''}.
        {state.done && state.quotaUsedUp && state.left.length > 0
          ? ` Today's email quota is used up: ${plural(state.left.length, 'patient')} not invited yet. Invite them tomorrow from their records, or run the command-line import again with invitations.`
          : ''}
      </p>
      {state.notSent.length > 0 ? (
        <details>
          <summary>Why some were not sent</summary>
          <ul>
            {state.notSent.map((n) => (
              <li key={n.patient_id}>
                {n.patient_id}: {n.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
