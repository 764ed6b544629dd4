import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Settings } from '@protocol/settings.ts';
// Pure data (which role may do what), shared with the server so the UI hides exactly what the API refuses.
import { can as roleCan, type Permission } from '@protocol/roles.ts';
import type { StaffView } from './api/types.ts';

export interface Session {
  user: StaffView;
  settings: Settings;
  can(permission: Permission): boolean;
  reloadSettings(): Promise<void>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in shell');
  return session;
}

export function permissionsOf(user: StaffView): (permission: Permission) => boolean {
  return (permission) => roleCan(user.role, permission);
}

export type { Permission };
