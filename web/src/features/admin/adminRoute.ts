// The admin pages' addresses, kept apart from the pages' labels: the shell reads them on every load, and
// anything it imports ships (with its messages) in the first-load bundle.

export type AdminRoute =
  | { page: 'list' }
  | { page: 'new' }
  | { page: 'edit'; sub: string }
  | { page: 'audit' }
  | { page: 'import' }
  | { page: 'access' }
  | { page: 'privacy' };

/** The admin pages' addresses: /admin/staff, /admin/staff/new, /admin/staff/<sub>, /admin/audit, /admin/import,
 *  /admin/access (who opened a patient's record). */
export function adminRoute(path: string): AdminRoute | null {
  if (path === '/admin/staff') return { page: 'list' };
  if (path === '/admin/import') return { page: 'import' };
  if (path === '/admin/staff/new') return { page: 'new' };
  if (path === '/admin/audit') return { page: 'audit' };
  if (path === '/admin/access') return { page: 'access' };
  if (path === '/admin/privacy-report') return { page: 'privacy' };
  const match = /^\/admin\/staff\/([A-Za-z0-9._:-]{1,200})$/.exec(path);
  return match ? { page: 'edit', sub: decodeURIComponent(match[1]!) } : null;
}
