// A new conversation with a care team: team, subject, body (10,000 characters),
// an optional attachment (uploaded under the documents rules), and the clinic's emergency notice.

import { t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { clearDraft, loadDraft, saveDraft } from '../../../shared/drafts';
import { ApiError } from '../../../shared/api/client';
import { ErrorSummary, Loading, Notice, Page, type SummaryItem, TextField } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { announceUnreadChanged, bodyProblem, MAX_SUBJECT_CHARS, subjectProblem } from '../messages';
import { Link, navigate } from '../../../router';
import { attachmentErrorText, AttachmentField, BodyField, ChoiceFieldset, uploadAttachment, useMessagesApi } from './MessagesShared';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';

interface Errors {
  pool?: string;
  subject?: string;
  body?: string;
  file?: string;
}

export function ComposePage() {
  const { api, patient, session } = useApp();
  const msg = useMessagesApi();
  const user = session.username;
  const slot = `new:${patient?.id ?? ''}`;
  const [draft] = useState(() => loadDraft(user, slot));
  const loaded = useLoad((signal) => msg.careTeams(signal), [], { keepData: true });
  const teams = loaded.data;
  const loadError = loadFailure(loaded.error, t`We couldn't load the care teams. Please try again.`);
  const [pool, setPool] = useState(draft?.pool ?? '');
  const [subject, setSubject] = useState(draft?.subject ?? '');
  const [body, setBody] = useState(draft?.body ?? '');
  // Kept as it is typed, so a sign-out for inactivity loses nothing (shared/drafts.ts).
  // Saved at once (a layout effect, not one deferred to the next frame): the sign-out may come any time.
  useLayoutEffect(() => saveDraft(user, slot, { pool, subject, body }), [user, slot, pool, subject, body]);
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const pid = patient?.id ?? null;

  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!pid || !teams || busy) return;
    const found: Errors = {};
    if (!pool) found.pool = t`Choose who your message is for.`;
    const s = subjectProblem(subject);
    if (s) found.subject = s;
    const b = bodyProblem(body, teams.max_body_chars);
    if (b) found.body = b;
    if (fileProblem) found.file = fileProblem;
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length) {
      focusSummary();
      return;
    }
    setBusy(true);
    try {
      const attachmentIds: string[] = [];
      if (file) {
        try {
          attachmentIds.push(await uploadAttachment(api, pid, file));
        } catch (e) {
          if (e instanceof ApiError && e.code === 'unauthorized') return;
          setErrors({ file: attachmentErrorText(e) });
          focusSummary();
          return;
        }
      }
      const started = await msg.startThread(pid, { pool_id: pool, subject: subject.trim(), body, attachment_ids: attachmentIds });
      clearDraft(user, slot);
      announceUnreadChanged();
      navigate(`/messages/${encodeURIComponent(started.thread.id)}?sent=1`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      if (e instanceof ApiError && e.status === 400 && Object.keys(e.fields).length) {
        const f = e.fields;
        setErrors({
          ...(f.pool_id ? { pool: t`Choose one of the care teams listed.` } : {}),
          ...(f.subject ? { subject: checkSubject(f.subject) } : {}),
          ...(f.body ? { body: checkMessage(f.body) } : {}),
          ...(f.attachment_ids || f['attachment_ids.0'] ? { file: t`This file could not be attached. Choose a PDF, JPEG or PNG up to 10 MB.` } : {}),
        });
        focusSummary();
      } else {
        setFailure(e instanceof ApiError && e.code === 'network' ? e.message : t`Your message wasn't sent. Please try again.`);
        focusSummary();
      }
    } finally {
      setBusy(false);
    }
  };

  const summary: SummaryItem[] = [
    ...(errors.pool ? [{ target: `pool-${teams?.pools[0]?.id ?? ''}`, text: errors.pool }] : []),
    ...(errors.subject ? [{ target: 'msg-subject', text: errors.subject }] : []),
    ...(errors.body ? [{ target: 'msg-body', text: errors.body }] : []),
    ...(errors.file ? [{ target: 'msg-file', text: errors.file }] : []),
  ];

  return (
    <Page title={t`New message`} lead={t`Your care team reads messages during business hours.`}>
      <p class="msg-back">
        <Link href="/messages">← {t`Messages`}</Link>
      </p>
      {loadError ? (
        <LoadFailed error={loadError} onRetry={loaded.reload} />
      ) : !teams ? (
        <Loading label={t`Loading…`} />
      ) : (
        <div class="msg-compose-layout">
          <form class="card stack msg-compose" onSubmit={submit} noValidate aria-labelledby="msg-compose-title">
            <h2 id="msg-compose-title" class="visually-hidden">
              {t`Write your message`}
            </h2>
            <Notice tone="warning" title={t`Not for emergencies`}>
              <p data-testid="emergency-notice">{teams.emergency_notice}</p>
            </Notice>
            <div ref={summaryRef} tabIndex={-1} class="status-anchor">
              {failure ? (
                <Notice tone="error" role="alert">
                  <p>{failure}</p>
                </Notice>
              ) : (
                <ErrorSummary items={summary} />
              )}
            </div>
            <ChoiceFieldset legend={t`To`} errorId="pool-error" error={errors.pool}>
              <div class="msg-pool-options">
                {teams.pools.map((team) => (
                  <label key={team.id} class="msg-pool" for={`pool-${team.id}`}>
                    <input
                      type="radio"
                      id={`pool-${team.id}`}
                      name="pool"
                      value={team.id}
                      checked={pool === team.id}
                      aria-invalid={errors.pool ? 'true' : undefined}
                      onChange={() => setPool(team.id)}
                    />
                    <span>{team.name}</span>
                  </label>
                ))}
              </div>
            </ChoiceFieldset>
            <TextField
              id="msg-subject"
              label={t`Subject`}
              value={subject}
              onValue={setSubject}
              error={errors.subject}
              maxLength={MAX_SUBJECT_CHARS}
              autoComplete="off"
            />
            <BodyField id="msg-body" label={t`Message`} value={body} onValue={setBody} error={errors.body} max={teams.max_body_chars} rows={10} />
            <AttachmentField
              id="msg-file"
              file={file}
              error={errors.file ?? fileProblem ?? undefined}
              onFile={(f, problem) => {
                setFile(f);
                setFileProblem(problem);
                setErrors(({ file: _drop, ...rest }) => rest);
              }}
            />
            <div class="form-actions msg-form-actions">
              <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
                {busy ? t`Sending…` : t`Send message`}
              </button>
              <Link href="/messages" class="button button--ghost">
                {t`Cancel`}
              </Link>
            </div>
          </form>
          <aside class="card msg-aside" aria-labelledby="msg-aside-title">
            <h2 id="msg-aside-title">{t`Good to know`}</h2>
            <ul class="checklist">
              <li>{t`Messages are for non-urgent questions. Expect an answer within 2 business days.`}</li>
              <li>
                <Trans>
                  To ask for a prescription refill, use <Link href="/refills">Prescription refills</Link>.
                </Trans>
              </li>
              <li>{t`We email you when there is a reply. For your privacy the email never includes what was written.`}</li>
            </ul>
          </aside>
        </div>
      )}
    </Page>
  );
}

function checkSubject(problem: string): string {
  return t`Check the subject: ${problem}`;
}

function checkMessage(problem: string): string {
  return t`Check your message: ${problem}`;
}
