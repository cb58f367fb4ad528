// The route table of the health-record area (loaded lazily by RecordsLazy).

import '../records.css';
import { useApp } from '../../../shared/context';
import { NotFoundPage } from '../../../shared/ui/Misc';
import { DocumentsPage } from './RecordsDocuments';
import { ResultDetailPage } from './RecordsResultDetail';
import { ResultsPage } from './RecordsResults';
import { StaffChartPage } from './RecordsChart';
import { StaffWorkListPage } from './RecordsStaff';
import { HealthRecordPage } from './RecordsSummary';
import { HealthSummaryPage } from './RecordsHealthSummary';

export function RecordsRoutes({ path }: { path: string }) {
  const { me, patient } = useApp();
  if (me?.user.role === 'clinician') {
    if (path === '/staff/results') return <StaffWorkListPage />;
    const chart = /^\/staff\/patients\/([^/]+)$/.exec(path);
    if (chart) {
      const pid = decodeURIComponent(chart[1]!);
      return <StaffChartPage key={pid} patientId={pid} />;
    }
    return <NotFoundPage />;
  }
  if (!patient) return <NotFoundPage />;
  if (path === '/record') return <HealthRecordPage />;
  if (path === '/record/summary') return <HealthSummaryPage />;
  if (path === '/results') return <ResultsPage />;
  if (path === '/documents') return <DocumentsPage />;
  const detail = /^\/results\/([^/]+)$/.exec(path);
  if (detail) {
    const rid = decodeURIComponent(detail[1]!);
    return <ResultDetailPage key={rid} resultId={rid} />;
  }
  return <NotFoundPage />;
}
