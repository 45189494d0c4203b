import { ROLES, type ApiComponents } from '@aegis/contracts';

/** A role as the API's documents carry it. */
export type ApiRole = ApiComponents['schemas']['Role'];

/** Every role, least powerful first. */
export const ROLE_ORDER: readonly ApiRole[] = ROLES;

const LABELS: Record<ApiRole, string> = { viewer: 'Viewer', operator: 'Operator', admin: 'Administrator' };

export function roleLabel(role: ApiRole): string {
  return LABELS[role];
}

/** `role` and every role below it: what someone with `role` may hand out. */
export function rolesUpTo(role: ApiRole): ApiRole[] {
  return ROLE_ORDER.slice(0, ROLE_ORDER.indexOf(role) + 1);
}

export function isRoleValue(value: unknown): value is ApiRole {
  return typeof value === 'string' && (ROLE_ORDER as readonly string[]).includes(value);
}
