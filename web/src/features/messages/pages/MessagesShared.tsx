// Pieces shared by the messaging pages: the message body field with its counter,
// the optional attachment, the list of messages (bodies as text), a conversation's row in a list, the
// radio group of teams or pharmacies with its error, and error wording.

import { plural, t } from '@lingui/core/macro';
import type { ComponentChildren, Ref } from 'preact';
import { useMemo } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { Icon } from '../../../shared/ui/Icons';
import { Field } from '../../../shared/ui/ui';
import { useApp } from '../../../shared/context';
import { formatDateTime, formatNumber, roleLabel } from '../../../shared/format';
import { countChars, counterText, listTime, MAX_BODY_CHARS } from '../messages';
import { messagesApi, type ThreadMessage, type ThreadSummary } from '../api';
import { checkUpload, formatBytes } from '../../records/records';
import { recordsApi } from '../../records/api';
import { uploadDocument } from '../../records/upload';
import { Link } from '../../../router';

export function useMessagesApi() {
  const { api } = useApp();
  return useMemo(() => messagesApi(api), [api]);
}

/** Words for a failed request, for a status line. */
export function failureText(e: unknown, fallback: string): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return e.message;
    if (e.status === 409 || e.status === 400) return e.message.charAt(0).toUpperCase() + e.message.slice(1).replace(/\.?$/, '.');
    if (e.status === 404) return t`We couldn't find this any more. It may have been removed.`;
  }
  return fallback;
}

export function BodyField({
  id,
  label,
  value,
  onValue,
  error,
  max = MAX_BODY_CHARS,
  rows = 8,
  inputRef,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  max?: number;
  rows?: number;
  inputRef?: Ref<HTMLTextAreaElement>;
  hint?: string;
}) {
  const count = countChars(value);
  const over = count > max;
  const near = !over && count >= max - Math.min(500, max / 10);
  return (
    <Field id={id} label={label} error={error} hint={hint ?? t`Plain text, up to ${formatNumber(max)} characters.`}>
      {(describedBy, invalid) => (
        <>
          <textarea
            ref={inputRef}
            id={id}
            name={id}
            class="msg-textarea"
            rows={rows}
            value={value}
            onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
            aria-describedby={[describedBy, `${id}-count`].filter(Boolean).join(' ')}
            aria-invalid={invalid || over ? 'true' : undefined}
          />
          <p id={`${id}-count`} class={`msg-counter${over ? ' msg-counter--over' : near ? ' msg-counter--near' : ''}`}>
            {counterText(count, max)}
          </p>
          {/* Announced only when it matters, not on every keystroke. */}
          <p class="visually-hidden" aria-live="polite">
            {over ? t`Your message is over the character limit.` : near ? plural(max - count, { one: `${formatNumber(max - count)} character left.`, other: `${formatNumber(max - count)} characters left.` }) : ''}
          </p>
        </>
      )}
    </Field>
  );
}

export function AttachmentField({
  id,
  file,
  error,
  onFile,
  inputRef,
}: {
  id: string;
  file: File | null;
  error?: string | undefined;
  onFile: (file: File | null, problem: string | null) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <Field id={id} label={t`Attach a file`} optional hint={t`A PDF, JPEG or PNG, at most 10 MB.`} error={error}>
      {(describedBy, invalid) => (
        <>
          <input
            ref={inputRef}
            id={id}
            type="file"
            class="msg-file"
            accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
            aria-describedby={describedBy}
            aria-invalid={invalid ? 'true' : undefined}
            onChange={(e) => {
              const chosen = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
              if (!chosen) return onFile(null, null);
              const check = checkUpload(chosen);
              onFile(chosen, check.ok ? null : check.message);
            }}
          />
          {file && !error ? (
            <p class="muted small">
              {t`Will be attached: ${file.name} (${formatBytes(file.size)})`}
            </p>
          ) : null}
        </>
      )}
    </Field>
  );
}

/** Upload the chosen file as a document of the patient (the documents rules apply) and return its id. */
export async function uploadAttachment(api: ReturnType<typeof useApp>['api'], patientId: string, file: File): Promise<string> {
  const check = checkUpload(file);
  if (!check.ok) throw new ApiError(400, 'bad_request', check.message);
  const doc = await uploadDocument(recordsApi(api), patientId, file, 'other', check.contentType);
  return doc.id;
}

export function attachmentErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'network' || e.code === 'upload_failed') return e.message;
    if (e.status === 415) return t`This file isn't a real PDF, JPEG or PNG, so it wasn't attached.`;
    if (e.status === 400) return Object.values(e.fields)[0] ?? e.message;
  }
  return t`The file didn't upload, so nothing was sent. Please try again.`;
}

export function MessageList({
  messages,
  onDownload,
  viewer,
}: {
  messages: ThreadMessage[];
  onDownload: (documentId: string, filename: string) => void;
  viewer: 'patient' | 'clinic';
}) {
  return (
    <ol class="msg-list">
      {messages.map((m) => {
        const mine = m.side === viewer;
        return (
          <li key={m.id} class={`msg msg--${m.side}${mine ? ' msg--mine' : ''}`}>
            <article aria-label={t`Message from ${m.author_name}, ${formatDateTime(m.sent_at)}`}>
              <header class="msg-head">
                <span class="msg-author">
                  {m.author_name}
                  {m.side === 'clinic' ? <span class="msg-role"> · {roleLabel(m.author_role)}</span> : null}
                </span>
                <time class="msg-time" dateTime={m.sent_at}>
                  {formatDateTime(m.sent_at)}
                </time>
              </header>
              {/* Text only: Preact escapes it, and pre-wrap keeps the writer's line breaks. */}
              <p class="msg-body">{m.body}</p>
              {m.attachments.length ? (
                <ul class="msg-attachments" aria-label={t`Attachments`}>
                  {m.attachments.map((a) => (
                    <li key={a.document_id}>
                      <button type="button" class="msg-attachment" onClick={() => onDownload(a.document_id, a.filename)}>
                        <Icon name="clipboard" size={20} />
                        <span class="msg-attachment-name">{a.filename}</span>
                        <span class="msg-attachment-size">{formatBytes(a.size)}</span>
                        <span class="visually-hidden">{t`, download`}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </article>
          </li>
        );
      })}
    </ol>
  );
}

/** A conversation in an inbox list: `children` fill its main column; the side shows when it last moved. */
export function ThreadRow({
  thread,
  href,
  children,
  side,
}: {
  thread: ThreadSummary;
  href: string;
  children: ComponentChildren;
  side?: ComponentChildren;
}) {
  return (
    <li class={`msg-thread${thread.unread ? ' is-unread' : ''}`} data-thread-id={thread.id}>
      <Link href={href} class="msg-thread-link">
        <span class="msg-thread-main">{children}</span>
        <span class="msg-thread-side">
          <time dateTime={thread.last_message_at} title={formatDateTime(thread.last_message_at)}>
            {listTime(thread.last_message_at)}
          </time>
          {side}
        </span>
        <Icon name="chevron" class="msg-thread-chevron" />
      </Link>
    </li>
  );
}

/** The badge before an unread conversation's first line. */
export function UnreadBadge({ children }: { children: ComponentChildren }) {
  return (
    <span class="msg-new" data-testid="thread-unread">
      {children}
    </span>
  );
}

/** A radio group (care teams, pharmacies) whose error sits under the legend and describes the group. */
export function ChoiceFieldset({
  legend,
  errorId,
  error,
  children,
}: {
  legend: string;
  errorId: string;
  error: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <fieldset class={`msg-pools${error ? ' field--error' : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p class="field-error" id={errorId}>
          <span>
            <span class="visually-hidden">{t`Error:`} </span>
            {error}
          </span>
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}
