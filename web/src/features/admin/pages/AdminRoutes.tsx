// Staff administration: the route into its pages, loaded on first use (their own chunk).

import { msg } from '@lingui/core/macro';
import { lazyArea } from '../../../shared/ui/LazyArea';

export const AdminArea = lazyArea(() => import('./AdminPages').then((m) => m.AdminPage), { title: msg`Staff accounts`, messages: 'admin' });
