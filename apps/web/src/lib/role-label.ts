import { Role } from '@aegis/contracts';

export function roleLabel(role: Role): string {
  switch (role) {
    case Role.Viewer:
      return 'Viewer';
    case Role.Operator:
      return 'Operator';
    case Role.Admin:
      return 'Administrator';
  }
}
