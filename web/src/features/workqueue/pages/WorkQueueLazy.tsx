// The clinician's work queue, loaded on first use (its own chunk) so the main bundle stays small.

import { msg } from '@lingui/core/macro';
import { lazyArea } from '../../../shared/ui/LazyArea';

export const WorkQueueArea = lazyArea(() => import('./WorkQueue').then((m) => m.WorkQueuePage), { title: msg`My work queue`, messages: 'workqueue' });
