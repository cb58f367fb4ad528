// One conversation, for the patient and for a member of its care team: the messages
// oldest first (bodies as text), attachments, reply until it is closed; staff also assign and close.

import { t } from '@lingui/core/macro';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { clearDraft, loadDraft, saveDraft } from '../../../shared/drafts';
import { ApiError } from '../../../shared/api/client';
import { Icon } from '../../../shared/ui/Icons';
import { Loading, Notice, Page } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { ConfidentialToggle } from '../../records/pages/ConfidentialToggle';
import { formatDateTime } from '../../../shared/format';
import { announceUnreadChanged, bodyProblem } from '../messages';
import type { ThreadDetail, ThreadMessage, ThreadSummary } from '../api';
import { Link } from '../../../router';
import {
  AttachmentField,
  attachmentErrorText,
  BodyField,
  failureText,
  MessageList,
  uploadAttachment,
  useMessagesApi,
} from './MessagesShared';
import { usePagedList } from '../../../shared/hooks/usePagedList';
import { loadFailure } from '../../../shared/hooks/useLoad';
import { ThreadDetails } from './MessagesThreadDetails';

export function ThreadView({ patientId, threadId, staff }: { patientId: string; threadId: string; staff: boolean }) {
  const { api, me, session } = useApp();
  const msg = useMessagesApi();
  const [thread, setThread] = useState<ThreadSummary | null>(null);
  const user = session.username;
  const slot = `reply:${patientId}.${threadId}`;
  const [restored] = useState(() => loadDraft(user, slot)?.body ?? '');
  const [body, setBody] = useState(restored);
  // Kept as it is typed, so a sign-out for inactivity loses nothing (shared/drafts.ts).
  // Saved at once (a layout effect, not one deferred to the next frame): the sign-out may come any time.
  useLayoutEffect(() => saveDraft(user, slot, { body }), [user, slot, body]);
  const [bodyError, setBodyError] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'reply' | 'assign' | 'close' | 'more' | null>(null);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(
    typeof location !== 'undefined' && location.search.includes('sent=1') ? { tone: 'success', text: t`Your message was sent to the care team.` } : null,
  );
  const [downloadStatus, setDownloadStatus] = useState('');
  const statusRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const viewer = staff ? 'clinic' : 'patient';
  const back = staff ? '/staff/messages' : '/messages';

  const list = usePagedList<ThreadMessage>(
    (cursor, signal) =>
      msg.openThread(patientId, threadId, cursor, signal).then((detail: ThreadDetail) => {
        if (cursor === null) {
          setThread(detail.thread);
          if (!staff) announceUnreadChanged(); // opening it marked it read
        }
        return { items: detail.messages, next_cursor: detail.next_cursor };
      }),
    [patientId, threadId],
    { keepItems: true, key: (m) => m.id },
  );
  const messages = list.items ?? [];
  const setMessages = list.setItems;
  const loadError = !list.error
    ? null
    : list.error instanceof ApiError && list.error.status === 404
      ? { missing: true, text: t`This conversation doesn't exist, or you can't see it.` }
      : { missing: false, text: loadFailure(list.error, t`We couldn't open this conversation. Please try again.`)! };

  useEffect(() => {
    if (status) requestAnimationFrame(() => statusRef.current?.focus());
  }, [status]);

  const loadMore = async () => {
    if (!list.hasMore || busy) return;
    setBusy('more');
    try {
      await list.loadMore();
    } catch (e) {
      setStatus({ tone: 'error', text: failureText(e, t`We couldn't load more messages. Please try again.`) });
    } finally {
      setBusy(null);
    }
  };

  const download = async (documentId: string, filename: string) => {
    setDownloadStatus('');
    try {
      const link = await msg.attachmentLink(patientId, threadId, documentId);
      const a = document.createElement('a');
      a.href = link.url;
      a.rel = 'noopener noreferrer';
      document.body.append(a);
      a.click();
      a.remove();
      setDownloadStatus(t`Downloading ${filename}.`);
    } catch {
      setDownloadStatus(t`We couldn't download ${filename}. Please try again.`);
    }
  };

  const reply = async (event: Event) => {
    event.preventDefault();
    if (!thread || busy) return;
    const problem = bodyProblem(body);
    setBodyError(problem ?? undefined);
    if (problem || fileError) {
      requestAnimationFrame(() => (problem ? bodyRef.current : fileRef.current)?.focus());
      return;
    }
    setBusy('reply');
    setStatus(null);
    try {
      const ids: string[] = [];
      if (file) {
        try {
          ids.push(await uploadAttachment(api, patientId, file));
        } catch (e) {
          if (e instanceof ApiError && e.code === 'unauthorized') return;
          setFileError(attachmentErrorText(e));
          requestAnimationFrame(() => fileRef.current?.focus());
          return;
        }
      }
      const sent = await msg.reply(patientId, threadId, { body, attachment_ids: ids });
      setThread(sent.thread);
      setMessages((prev) => [...prev, ...sent.messages]);
      clearDraft(user, slot);
      setBody('');
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
      setStatus({ tone: 'success', text: staff ? t`Your reply was sent. The patient gets an email telling them to sign in.` : t`Your reply was sent to the care team.` });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      if (e instanceof ApiError && e.status === 400 && e.fields.body) {
        setBodyError(t`Check your message: ${e.fields.body}`);
        requestAnimationFrame(() => bodyRef.current?.focus());
      } else {
        if (e instanceof ApiError && e.status === 409) list.reload(); // closed meanwhile: show it
        setStatus({ tone: 'error', text: failureText(e, t`Your reply wasn't sent. Please try again.`) });
      }
    } finally {
      setBusy(null);
    }
  };

  const act = async (kind: 'assign' | 'close') => {
    if (!thread || busy) return;
    setBusy(kind);
    setStatus(null);
    try {
      const updated = kind === 'assign' ? await msg.assign(patientId, threadId) : await msg.close(patientId, threadId);
      setThread(updated);
      setStatus({ tone: 'success', text: kind === 'assign' ? t`This conversation is now assigned to you.` : t`The conversation is closed. The patient can start a new one if they need you.` });
    } catch (e) {
      setStatus({ tone: 'error', text: failureText(e, t`That didn't work. Please try again.`) });
    } finally {
      setBusy(null);
    }
  };

  if (loadError) {
    return (
      <Page title={loadError.missing ? t`Conversation not found` : t`Messages`} narrow>
        <Notice tone="error" role="alert">
          <p>{loadError.text}</p>
          {loadError.missing ? (
            <Link href={back} class="button button--secondary">
              {t`Back to messages`}
            </Link>
          ) : (
            <button type="button" class="button button--secondary" onClick={list.reload}>
              {t`Try again`}
            </button>
          )}
        </Notice>
      </Page>
    );
  }
  if (!thread) return <Loading label={t`Opening the conversation…`} />;

  const closed = thread.status === 'closed';
  const assignedToMe = staff && thread.assignee_name !== null && thread.assignee_name === me?.user.display_name;

  return (
    <Page
      title={thread.subject}
      eyebrow={staff ? `${thread.pool_name} · ${thread.patient_name}` : t`Conversation with ${thread.pool_name}`}
    >
      <p class="msg-back">
        <Link href={back}>← {staff ? t`Inbox` : t`Messages`}</Link>
      </p>
      <div class="msg-thread-layout">
        <div class="msg-thread-body">
          <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" class="status-anchor">
            {status ? (
              <Notice tone={status.tone}>
                <p>{status.text}</p>
              </Notice>
            ) : null}
          </div>
          {staff && me?.user.role === 'clinician' ? (
            <p class="muted small">
              <ConfidentialToggle
                patientId={patientId}
                kind="thread"
                itemId={threadId}
                name={thread.subject}
                confidential={thread.confidential ?? false}
                onChanged={(hidden, message) => {
                  setThread((current) => (current ? { ...current, confidential: hidden } : current));
                  setStatus({ tone: 'success', text: message });
                }}
              />
            </p>
          ) : null}
          <h2 class="visually-hidden">{t`Messages`}</h2>
          <MessageList messages={messages} viewer={viewer} onDownload={download} />
          <p class="visually-hidden" role="status" aria-live="polite">
            {downloadStatus}
          </p>
          {list.hasMore ? (
            <p class="center">
              <button type="button" class="button button--secondary" onClick={loadMore} aria-disabled={busy === 'more' ? 'true' : undefined}>
                {busy === 'more' ? t`Loading…` : t`Show more messages`}
              </button>
            </p>
          ) : null}
          {!staff && thread.other_side_read_at && thread.last_from === 'patient' ? (
            <p class="muted small msg-receipt">
              <Icon name="check" size={18} /> {t`Read by the care team ${formatDateTime(thread.other_side_read_at)}`}
            </p>
          ) : null}

          {closed ? (
            <Notice tone="info" title={t`This conversation is closed`}>
              <p>
                {staff
                  ? t`Nobody can reply to it any more.`
                  : t`You can no longer reply here. If you need us again, please start a new message.`}
              </p>
              {!staff ? (
                <Link href="/messages/new" class="button button--secondary">
                  {t`New message`}
                </Link>
              ) : null}
            </Notice>
          ) : (
            <form class="card stack msg-reply" onSubmit={reply} noValidate aria-labelledby="msg-reply-title">
              <h2 id="msg-reply-title">{staff ? t`Reply to ${thread.patient_name}` : t`Reply`}</h2>
              <BodyField id="reply-body" label={t`Your reply`} value={body} onValue={setBody} error={bodyError} rows={5} inputRef={bodyRef} />
              {!staff ? (
                <AttachmentField
                  id="reply-file"
                  file={file}
                  error={fileError ?? undefined}
                  inputRef={fileRef}
                  onFile={(f, problem) => {
                    setFile(f);
                    setFileError(problem);
                  }}
                />
              ) : null}
              <div class="form-actions msg-form-actions">
                <button type="submit" class="button button--primary" aria-disabled={busy === 'reply' ? 'true' : undefined}>
                  {busy === 'reply' ? t`Sending…` : t`Send reply`}
                </button>
              </div>
            </form>
          )}
        </div>

        <ThreadDetails thread={thread} staff={staff} closed={closed} assignedToMe={assignedToMe} busy={busy} act={act} />
      </div>
    </Page>
  );
}
