// The lazily loaded chunk of the staff schedules (an area of its own: a patient never downloads it):
// one provider's schedule with the front-desk queue, and the clinic's day.

import '../appointments.css';

export { StaffSchedulePage } from './AppointmentsSchedule';
export { ClinicDayPage } from './ClinicDay';
