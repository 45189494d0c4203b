import { ACTION_CLASSES, type ActionClass } from '@aegis/contracts';

/** Orders action classes from READ (harmless) to CRITICAL. */
export function compareSeverity(a: ActionClass, b: ActionClass): number {
  return ACTION_CLASSES.indexOf(a) - ACTION_CLASSES.indexOf(b);
}

/** An action made of several steps is as severe as its most severe step. */
export function mostSevere(classes: readonly ActionClass[]): ActionClass {
  if (classes.length === 0) throw new Error('mostSevere needs at least one action class');
  return classes.reduce((worst, next) => (compareSeverity(next, worst) > 0 ? next : worst));
}
