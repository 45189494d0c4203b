/** Who someone is to Aegis. Ordered: each role can do everything the one before it can. */
export enum Role {
  Viewer = 'viewer',
  Operator = 'operator',
  Admin = 'admin',
}

export const ROLES: readonly Role[] = [Role.Viewer, Role.Operator, Role.Admin];

/** True when `role` is `minimum` or a more powerful role. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
