// A tiny history-API router: the backend answers every non-/api path with index.html.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();
let focusPending = false;

/**
 * True once after an in-app navigation (not on first load, nor when content merely re-renders),
 * so the next page to mount moves focus to its h1.
 */
export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

/** Ask the next page to mount to take focus (e.g. after signing in, which changes the page in place). */
export function requestFocus(): void {
  focusPending = true;
}

function notify(): void {
  focusPending = true;
  for (const listener of [...listeners]) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

export function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname;
}

// Pages whose document is served with headers of their own (as the server's CARD_PAGES and VISIT_PAGES):
// the card pages' policy alone lets the card processor's script run; the visit page's alone lets the
// camera, microphone and video service's hosts be used. They are entered by loading them, not in place.
const CARD_PAGE = /^\/billing\/(statements\/[^/?#]+\/(pay|plan)|card)(?:[?#].*)?$/;
const VISIT_PAGE = /^\/visit\/[^?#]*(?:[?#].*)?$/;
const FOCUS_AFTER_LOAD = 'portal.focus-after-load';

export type PagePolicy = 'card' | 'visit' | 'app';

/** Which headers family the server serves a path's document with. */
export function pagePolicy(path: string): PagePolicy {
  if (CARD_PAGE.test(path)) return 'card';
  if (VISIT_PAGE.test(path)) return 'visit';
  return 'app';
}

if (typeof sessionStorage !== 'undefined' && sessionStorage.getItem(FOCUS_AFTER_LOAD)) {
  sessionStorage.removeItem(FOCUS_AFTER_LOAD);
  focusPending = true; // the page entered by a load still moves focus to its heading, as in place
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const target = pagePolicy(to);
  if (target !== 'app' && target !== pagePolicy(currentPath())) {
    sessionStorage.setItem(FOCUS_AFTER_LOAD, '1');
    if (options.replace) location.replace(to);
    else location.assign(to);
    return;
  }
  if (to === currentPath() + location.search && !options.replace) {
    notify();
    return;
  }
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return path;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & { href: string; children?: ComponentChildren };

/** An anchor that navigates in-app on a plain click and behaves normally otherwise (new tab etc.). */
export function Link({ href, onClick, children, ...rest }: LinkProps) {
  const path = usePath();
  const current = path === href ? 'page' : undefined;
  return (
    <a
      href={href}
      aria-current={current}
      onClick={(event) => {
        if (onClick) (onClick as (e: JSX.TargetedMouseEvent<HTMLAnchorElement>) => void)(event);
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
      {...rest}
    >
      {children}
    </a>
  );
}
