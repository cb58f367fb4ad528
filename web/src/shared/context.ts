import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Clinic, Me, PatientRef, Profile } from './api/client';
import type { Session } from './session';

export interface AppContextValue {
  api: Api;
  session: Session;
  clinic: Clinic | null;
  me: Me | null;
  /** The patient whose record is being viewed (patients only). */
  patient: PatientRef | null;
  /** The signed-in person's own profile, once loaded (used for greetings). */
  selfProfile: Profile | null;
  setSelfProfile: (profile: Profile) => void;
  openHelp: () => void;
  /** Read /me again (after the account's own settings change, two-step sign-in say). */
  reloadMe?: () => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}
