// Documents: list, upload (presigned POST straight to storage, then finalize), download.

import { t } from '@lingui/core/macro';
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api/client';
import { type DocumentCategory, type PortalDocument, recordsApi } from '../api';
import { uploadDocument } from '../upload';
import { Icon } from '../../../shared/ui/Icons';
import { Field, Loading, Notice, Page } from '../../../shared/ui/ui';
import { LoadFailed } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { formatDateTime } from '../../../shared/format';
import { checkUpload, DOCUMENT_CATEGORIES, documentCategoryWords, formatBytes } from '../records';
import { Link } from '../../../router';
import { HiddenNotice } from '../../../shared/ui/HiddenNotice';
import { loadFailure, useLoad } from '../../../shared/hooks/useLoad';

function uploadErrorText(e: unknown): string {
  if (!(e instanceof ApiError)) return t`The upload didn't finish. Please try again.`;
  if (e.code === 'network' || e.code === 'upload_failed') return e.message;
  if (e.status === 415) return t`This file isn't a real PDF, JPEG or PNG, so it wasn't kept. Save or scan it again as one of these.`;
  if (e.status === 400) {
    const detail = Object.values(e.fields)[0] ?? e.message;
    const reason = detail.replace(/\.?$/, '.');
    return t`The file wasn't accepted: ${reason}`;
  }
  if (e.status === 409) return t`The upload didn't reach us in time. Please choose the file and upload it again.`;
  return t`The upload didn't finish. Please try again.`;
}

export function DocumentsPage() {
  const { api, patient } = useApp();
  const [category, setCategory] = useState<DocumentCategory>('insurance_card_front');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [downloadStatus, setDownloadStatus] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';

  const loaded = useLoad((signal) => recordsApi(api).documents(pid!, signal), [pid], {
    enabled: pid !== null,
    keepData: true,
  });
  const items = loaded.data?.items ?? null;
  const someHidden = loaded.data?.some_hidden ?? false;
  const setItems = (update: (previous: PortalDocument[] | null) => PortalDocument[]) =>
    loaded.set((previous) => ({ some_hidden: previous?.some_hidden ?? false, items: update(previous?.items ?? null) }));
  const loadError = loadFailure(loaded.error, t`We couldn't load the documents. Please try again.`);

  const choose = (chosen: File | null) => {
    setStatus(null);
    setFile(chosen);
    if (!chosen) {
      setFileError(null);
      return;
    }
    const check = checkUpload(chosen);
    setFileError(check.ok ? null : check.message);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!pid || busy) return;
    if (!file) {
      setFileError(t`Choose a file to upload.`);
      fileInput.current?.focus();
      return;
    }
    const check = checkUpload(file);
    if (!check.ok) {
      setFileError(check.message);
      fileInput.current?.focus();
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const doc = await uploadDocument(recordsApi(api), pid, file, category, check.contentType);
      setItems((prev) => [doc, ...(prev ?? []).filter((d) => d.id !== doc.id)]);
      setStatus({ tone: 'success', text: uploaded(doc.filename) });
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setStatus({ tone: 'error', text: uploadErrorText(e) });
    } finally {
      setBusy(false);
      requestAnimationFrame(() => statusRef.current?.focus());
    }
  };

  const download = async (doc: PortalDocument) => {
    if (!pid) return;
    setDownloadStatus('');
    try {
      const link = await recordsApi(api).documentLink(pid, doc.id);
      // A one-minute link that answers "attachment": the browser saves the file and stays on this page.
      const a = document.createElement('a');
      a.href = link.url;
      a.rel = 'noopener noreferrer';
      document.body.append(a);
      a.click();
      a.remove();
      setDownloadStatus(downloading(doc.filename));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthorized') return;
      setDownloadStatus(couldNotDownload(doc.filename));
    }
  };

  return (
    <Page
      title={forSelf || !patient ? t`Documents` : t`${patient.display_name}'s documents`}
      lead={t`Insurance cards, forms and records from other providers, shared with the clinic.`}
    >
      <p class="res-back">
        <Link href="/record">← {t`Health record`}</Link>
      </p>
      <div class="doc-layout">
        <section class="card" aria-labelledby="doc-upload-title">
          <h2 id="doc-upload-title">{t`Upload a document`}</h2>
          <form onSubmit={submit} noValidate class="stack">
            <Field id="doc-category" label={t`What is it?`}>
              {() => (
                <select id="doc-category" value={category} onChange={(e) => setCategory((e.currentTarget as HTMLSelectElement).value as DocumentCategory)}>
                  {DOCUMENT_CATEGORIES.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="doc-file" label={t`File`} hint={t`A PDF, JPEG or PNG, at most 10 MB. A clear photo of a card works.`} error={fileError ?? undefined}>
              {(describedBy, invalid) => (
                <input
                  ref={fileInput}
                  id="doc-file"
                  type="file"
                  class="doc-file"
                  accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
                  aria-describedby={describedBy}
                  aria-invalid={invalid ? 'true' : undefined}
                  onChange={(e) => choose((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
                />
              )}
            </Field>
            {file && !fileError ? (
              <p class="muted small">{readyToUpload(file.name, formatBytes(file.size))}</p>
            ) : null}
            <div>
              <button type="submit" class="button button--primary" aria-disabled={busy ? 'true' : undefined}>
                {busy ? t`Uploading…` : t`Upload`}
              </button>
            </div>
            <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" class="rec-status-line">
              {status ? (
                <Notice tone={status.tone}>
                  <p>{status.text}</p>
                </Notice>
              ) : null}
            </div>
          </form>
        </section>

        <section aria-labelledby="doc-list-title">
          <h2 id="doc-list-title" class="section-title">
            {t`Your documents`}
          </h2>
          {someHidden ? <HiddenNotice /> : null}
          {loadError ? (
            <LoadFailed error={loadError} onRetry={loaded.reload} />
          ) : items === null ? (
            <Loading label={t`Loading documents…`} />
          ) : items.length === 0 ? (
            <div class="card empty">
              <p>{t`No documents yet.`}</p>
            </div>
          ) : (
            <ul class="doc-list">
              {items.map((d) => (
                <li key={d.id} class="doc-item">
                  <span class="doc-icon">
                    <Icon name="clipboard" />
                  </span>
                  <span class="doc-text">
                    <span class="doc-name">{d.filename}</span>
                    <span class="doc-meta">
                      {documentCategoryWords(d)}
                      {d.size ? ` · ${formatBytes(d.size)}` : ''}
                      {' · '}
                      {d.uploaded_at ? addedOnBy(formatDateTime(d.uploaded_at), d.uploaded_by) : addedBy(d.uploaded_by)}
                    </span>
                  </span>
                  <button type="button" class="button button--secondary doc-download" onClick={() => download(d)}>
                    {t`Download`}
                    <span class="visually-hidden"> {d.filename}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p class="visually-hidden" role="status" aria-live="polite">
            {downloadStatus}
          </p>
        </section>
      </div>
    </Page>
  );
}

function readyToUpload(name: string, size: string): string {
  return t`Ready: ${name} (${size})`;
}

function addedOnBy(when: string, who: string): string {
  return t`Added ${when} by ${who}`;
}

function addedBy(who: string): string {
  return t`Added by ${who}`;
}

function uploaded(name: string): string {
  return t`“${name}” was uploaded.`;
}

function downloading(name: string): string {
  return t`Downloading ${name}.`;
}

function couldNotDownload(name: string): string {
  return t`We couldn't download ${name}. Please try again.`;
}
