// A tiny history-API router: the backend answers every non-/api path with index.html.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();
let navigations = 0;

/** How many in-app navigations have happened (0 on first load): pages move focus only after one. */
export function navigationCount(): number {
  return navigations;
}

function notify(): void {
  navigations += 1;
  for (const listener of [...listeners]) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

export function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
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
