// A part of the app that loads on first use (its own chunk), so the main bundle stays small. One place
// for the loading state, the "didn't load" notice with Try again, and the module cache.

import { t } from '@lingui/core/macro';
import { i18n, type MessageDescriptor } from '@lingui/core';
import type { FunctionComponent, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadAreaMessages } from '../i18n';
import { Loading, Notice, Page } from './ui';

export function lazyArea<P extends object>(
  load: () => Promise<FunctionComponent<P>>,
  // msg`…` descriptors are read when shown, so they follow the language on screen.
  {
    title,
    loadingLabel,
    messages,
  }: {
    title?: string | MessageDescriptor;
    loadingLabel?: string | MessageDescriptor;
    /** The area's messages (an area named in vite.config.ts), fetched alongside its code. */
    messages?: string;
  } = {},
): FunctionComponent<P> & { preload: () => void } {
  let loaded: FunctionComponent<P> | null = null;
  let pending: Promise<FunctionComponent<P>> | null = null;
  const fetchOnce = () => {
    pending ??= Promise.all([load(), messages ? loadAreaMessages(messages) : undefined])
      .then(([component]) => (loaded = component))
      .catch((e: unknown) => {
        pending = null; // let "Try again" fetch it afresh
        throw e;
      });
    return pending;
  };

  function LazyArea(props: P): JSX.Element {
    const [Component, setComponent] = useState<FunctionComponent<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (Component) return undefined;
      let live = true;
      setFailed(false);
      fetchOnce()
        .then((component) => live && setComponent(() => component))
        .catch(() => live && setFailed(true));
      return () => {
        live = false;
      };
    }, [attempt]);
    if (Component) return <Component {...props} />;
    if (failed) {
      return (
        <Page title={title ? text(title) : t`Something went wrong`} narrow>
          <Notice tone="error" role="alert" title={t`This page didn't load`}>
            <p>{t`Check your internet connection and try again.`}</p>
            <button type="button" class="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
              {t`Try again`}
            </button>
          </Notice>
        </Page>
      );
    }
    return <Loading label={loadingLabel ? text(loadingLabel) : t`Loading…`} />;
  }
  /** Start fetching now (the page is known before the account is), so it is ready when it is shown. */
  LazyArea.preload = () => void fetchOnce().catch(() => undefined);
  return LazyArea;
}

function text(label: string | MessageDescriptor): string {
  return typeof label === 'string' ? label : i18n._(label);
}
