// Uploading one document, apart from the documents page so the other pages that upload (an insurance
// card, a message's attachment) don't load that page with it.

import { t } from '@lingui/core/macro';
import { ApiError } from '../../shared/api/client';
import type { DocumentCategory, PortalDocument, RecordsApi } from './api';

/** Upload one file: ask for a ticket, POST the file to storage with the ticket's fields, then finalize. */
export async function uploadDocument(
  records: Pick<RecordsApi, 'startUpload' | 'finalizeUpload'>,
  patientId: string,
  file: File,
  category: DocumentCategory,
  contentType: string,
): Promise<PortalDocument> {
  const ticket = await records.startUpload(patientId, { filename: file.name, content_type: contentType, size: file.size, category });
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
  form.append('file', file); // the file must come last
  let response: Response;
  try {
    response = await fetch(ticket.upload.url, { method: 'POST', body: form, credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    throw new ApiError(0, 'network', t`The file didn't upload. Check your internet connection and try again.`);
  }
  if (!response.ok) {
    throw new ApiError(response.status, 'upload_failed', t`The file was refused by the storage service. Please try again.`);
  }
  return records.finalizeUpload(patientId, ticket.document.id);
}
