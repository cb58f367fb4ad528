// The patient's test results list (a result opens in RecordsResultDetail), with the flag badge it shares.

import { plural, t } from '@lingui/core/macro';
import { Trans } from '@lingui/react/macro';
import { useRef, useState } from 'preact/hooks';
import { recordsApi, type RecordsApi, type ResultFlag, type ResultSummary } from '../api';
import { Icon } from '../../../shared/ui/Icons';
import { Page } from '../../../shared/ui/ui';
import { PagedListBody } from '../../../shared/ui/Lists';
import { useApp } from '../../../shared/context';
import { formatDate } from '../../../shared/format';
import { FLAG_LABELS, flagTone } from '../records';
import { Link } from '../../../router';
import { HiddenNotice } from '../../../shared/ui/HiddenNotice';
import { loadFailure } from '../../../shared/hooks/useLoad';
import { usePagedList } from '../../../shared/hooks/usePagedList';

const PAGE_SIZE = 10;
export const dateOnly = (iso: string) => formatDate(iso.slice(0, 10));

export function FlagBadge({ flag }: { flag: ResultFlag | null }) {
  if (!flag) return null;
  const tone = flagTone(flag);
  const mark = flag.endsWith('high') ? '▲' : flag.endsWith('low') ? '▼' : tone === 'normal' ? '✓' : '!';
  return (
    <span class={`flag flag--${tone}`}>
      <span aria-hidden="true" class="flag-mark">
        {mark}
      </span>
      {FLAG_LABELS[flag]}
    </span>
  );
}

function collectedOn(date: string): string {
  return t`Collected ${date}`;
}

function StatusLine({ r }: { r: ResultSummary }) {
  return (
    <span class="res-tags">
      {r.abnormal_count > 0 ? (
        <span class="res-tag res-tag--out">
          {plural(r.abnormal_count, { one: '# value outside the normal range', other: '# values outside the normal range' })}
        </span>
      ) : r.worst_flag === 'normal' ? (
        <span class="res-tag">{t`All values in the normal range`}</span>
      ) : null}
      {r.has_comment ? (
        <span class="res-tag">{t`Comment from your clinician`}</span>
      ) : r.reviewed ? (
        <span class="res-tag">{t`Reviewed by your clinician`}</span>
      ) : (
        <span class="res-tag res-tag--muted">{t`Not yet reviewed`}</span>
      )}
    </span>
  );
}

export interface ResultsPageData {
  items: ResultSummary[];
  next_cursor: string | null;
  /** Some results are private to the patient (a teenager's parent is told so, never what). */
  some_hidden: boolean;
}

/**
 * One page of results, topped up: the API applies its page size before hiding results the patient can't
 * see yet, so a page can come back short (even empty) while more remain. Ask again, a few times at most.
 */
export async function fetchResultsPage(
  records: Pick<RecordsApi, 'results'>,
  pid: string,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<ResultsPageData> {
  const items: ResultSummary[] = [];
  let next = cursor;
  let someHidden = false;
  for (let round = 0; round < 5; round++) {
    const page = await records.results(pid, next, signal, PAGE_SIZE - items.length);
    items.push(...page.items);
    someHidden ||= page.some_hidden ?? false;
    next = page.next_cursor;
    if (!next || items.length >= PAGE_SIZE) break;
  }
  return { items, next_cursor: next, some_hidden: someHidden };
}

export function ResultsPage() {
  const { api, patient } = useApp();
  const [moreError, setMoreError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLUListElement>(null);
  const pid = patient?.id ?? null;
  const forSelf = patient?.relationship === 'self';
  const list = usePagedList<ResultSummary, ResultsPageData>((cursor, signal) => fetchResultsPage(recordsApi(api), pid!, cursor, signal), [pid], {
    enabled: pid !== null,
  });
  const { items, loadingMore } = list;
  const error = loadFailure(list.error, t`We couldn't load the test results. Please try again.`) ?? moreError;

  const loadMore = async () => {
    const before = items?.length ?? 0;
    try {
      const page = await list.loadMore();
      if (!page) return;
      const count = page.items.length;
      setAnnounce(
        page.next_cursor
          ? plural(count, { one: '# more result loaded.', other: '# more results loaded.' })
          : plural(count, { one: '# more result loaded. That is all of them.', other: '# more results loaded. That is all of them.' }),
      );
      // Keep keyboard users in place: focus the first newly loaded result.
      requestAnimationFrame(() => listRef.current?.querySelectorAll<HTMLAnchorElement>('a.res-row')[before]?.focus());
    } catch (e) {
      setMoreError(loadFailure(e, t`We couldn't load more results. Please try again.`));
    }
  };

  const newCount = items?.filter((r) => r.is_new).length ?? 0;

  return (
    <Page
      title={forSelf || !patient ? t`Test results` : personsTestResults(patient.display_name)}
      lead={
        <span>
          <Trans>Newest first. Results appear as soon as they are ready, so you may see one before your clinician has reviewed it.</Trans>{' '}
          <Link href="/record#release-preferences">{t`Change when you see results`}</Link>
        </span>
      }
    >
      <p class="res-back">
        <Link href="/record">← {t`Health record`}</Link>
      </p>
      {list.first?.some_hidden ? <HiddenNotice /> : null}
      <PagedListBody
        error={error}
        onRetry={list.reload}
        items={items}
        loadingLabel={t`Loading test results…`}
        empty={<p>{t`There are no test results yet. They will appear here as soon as they are ready.`}</p>}
        hasMore={list.hasMore}
        onMore={loadMore}
        busy={loadingMore}
        announce={announce}
      >
        {(shown) => (
            <>
              {newCount > 0 ? (
                <p class="res-newcount">
                  {plural(newCount, { one: "# new result you haven't opened yet.", other: "# new results you haven't opened yet." })}
                </p>
              ) : null}
              <ul class="res-list" ref={listRef}>
                {shown.map((r) => (
                  <li key={r.id}>
                    <Link href={`/results/${encodeURIComponent(r.id)}`} class={`res-row${r.is_new ? ' res-row--new' : ''}`}>
                      <span class="res-row-main">
                        <span class="res-row-title">
                          {r.is_new ? <span class="res-new">{t`New`}</span> : null}
                          <span class="res-name">{r.name}</span>
                        </span>
                        <span class="res-row-meta">
                          <time dateTime={r.collected_at}>{collectedOn(dateOnly(r.collected_at))}</time> · {r.category_label}
                          {r.status !== 'final' ? ` · ${r.status === 'preliminary' ? t`Preliminary` : t`Corrected`}` : ''}
                        </span>
                        <StatusLine r={r} />
                      </span>
                      <Icon name="chevron" class="res-row-chevron" />
                    </Link>
                  </li>
                ))}
              </ul>
            </>
        )}
      </PagedListBody>
    </Page>
  );
}

// --- one result ------------------------------------------------------------------------------------

function personsTestResults(name: string): string {
  return t`${name}'s test results`;
}
