import { isRole, Role, roleAtLeast } from './role';

describe('roleAtLeast', () => {
  it.each([
    [Role.Viewer, Role.Viewer, true],
    [Role.Viewer, Role.Operator, false],
    [Role.Viewer, Role.Admin, false],
    [Role.Operator, Role.Viewer, true],
    [Role.Operator, Role.Operator, true],
    [Role.Operator, Role.Admin, false],
    [Role.Admin, Role.Viewer, true],
    [Role.Admin, Role.Operator, true],
    [Role.Admin, Role.Admin, true],
  ])('%s at least %s is %s', (role, minimum, expected) => {
    expect(roleAtLeast(role, minimum)).toBe(expected);
  });
});

describe('isRole', () => {
  it('accepts the three roles and nothing else', () => {
    expect(['viewer', 'operator', 'admin'].every(isRole)).toBe(true);
    expect(['Admin', 'root', '', 1, null, undefined].some(isRole)).toBe(false);
  });
});
