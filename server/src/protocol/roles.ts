import type { Role } from './model.ts';

/**
 * What each role may do (DESIGN section 5). Least privilege: a permission not listed for a role
 * is refused, and a new permission is refused for everyone until a role is given it.
 */
export const permissions = {
  'staff:manage': ['admin'],
  'settings:write': ['admin'],
  'audit:read': ['admin'],
  'backup:manage': ['admin'],
  'volunteers:read': ['admin', 'staff'],
  'volunteers:write': ['admin', 'staff'],
  'activities:read': ['admin', 'staff', 'viewer'],
  'activities:write': ['admin', 'staff'],
  'attendance:write': ['admin', 'staff'],
  'points:write': ['admin', 'staff'],
  'devices:manage': ['admin', 'staff'],
  'goods:read': ['admin', 'staff', 'counter'],
  'goods:write': ['admin', 'staff'],
  'redemption:run': ['admin', 'staff', 'counter'],
  'redemption:void': ['admin', 'staff'],
  'reports:read': ['admin', 'staff', 'viewer'],
  'exports:personal': ['admin', 'staff'],
  'board:view': ['admin', 'staff', 'counter', 'viewer'],
  // Residents are personal data: counter staff never see them; viewers get only the anonymous figures in reports.
  'residents:read': ['admin', 'staff'],
  'residents:write': ['admin', 'staff'],
  'requests:read': ['admin', 'staff'],
  'requests:write': ['admin', 'staff'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
