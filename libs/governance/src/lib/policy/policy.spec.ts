import { ACTION_CLASSES, ActionClass, Role, ROLES } from '@aegis/contracts';
import { decide, denialReason, POLICY, type PolicyDecision } from './policy';

describe('the policy table', () => {
  // Every cell, written out: a change to the table must change this list too.
  const cells: [ActionClass, Role, PolicyDecision][] = [
    [ActionClass.Read, Role.Viewer, 'allow'],
    [ActionClass.Read, Role.Operator, 'allow'],
    [ActionClass.Read, Role.Admin, 'allow'],
    [ActionClass.Safe, Role.Viewer, 'allow'],
    [ActionClass.Safe, Role.Operator, 'allow'],
    [ActionClass.Safe, Role.Admin, 'allow'],
    [ActionClass.Moderate, Role.Viewer, 'deny'],
    [ActionClass.Moderate, Role.Operator, 'allow'],
    [ActionClass.Moderate, Role.Admin, 'allow'],
    [ActionClass.Sensitive, Role.Viewer, 'deny'],
    [ActionClass.Sensitive, Role.Operator, 'deny'],
    [ActionClass.Sensitive, Role.Admin, 'justify'],
    [ActionClass.Critical, Role.Viewer, 'deny'],
    [ActionClass.Critical, Role.Operator, 'approve'],
    [ActionClass.Critical, Role.Admin, 'approve'],
  ];

  it('has exactly the 15 cells of role × class', () => {
    expect(cells).toHaveLength(ROLES.length * ACTION_CLASSES.length);
    expect(Object.keys(POLICY).sort()).toEqual([...ACTION_CLASSES].sort());
    for (const actionClass of ACTION_CLASSES) expect(Object.keys(POLICY[actionClass]).sort()).toEqual([...ROLES].sort());
    expect(new Set(cells.map(([actionClass, role]) => `${actionClass}/${role}`)).size).toBe(cells.length);
  });

  it.each(cells)('%s for a %s: %s', (actionClass, role, expected) => {
    expect(decide(role, actionClass)).toBe(expected);
  });

  it('never lets a lower role do more than a higher one', () => {
    const rank: Record<PolicyDecision, number> = { deny: 0, approve: 1, justify: 2, allow: 3 };
    for (const actionClass of ACTION_CLASSES) {
      const ranks = ROLES.map((role) => rank[decide(role, actionClass)]);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    }
  });

  it('explains a denial with the class and the role', () => {
    expect(denialReason(Role.Viewer, ActionClass.Moderate)).toBe(
      'MODERATE actions need an operator or an admin; the viewer role may not perform them',
    );
    expect(denialReason(Role.Operator, ActionClass.Sensitive)).toMatch(/^SENSITIVE actions need an admin with a written justification/);
  });
});
