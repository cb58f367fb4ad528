// The signed-in patient's own pages: profile and contact details, and who viewed the record (loaded by
// AccountLazy on first use).

import './account.css';
import { NotFoundPage } from '../../shared/ui/Misc';
import { AccessLogPage } from './pages/AccessLog';
import { ProfilePage } from './pages/Profile';

export function AccountRoutes({ path }: { path: string }) {
  if (path === '/profile') return <ProfilePage />;
  if (path === '/access-log') return <AccessLogPage />;
  return <NotFoundPage />;
}
