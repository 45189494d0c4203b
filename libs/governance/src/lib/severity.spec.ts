import { ActionClass } from '@aegis/contracts';
import { compareSeverity, mostSevere } from './severity';

describe('action class severity', () => {
  it('orders READ < SAFE < MODERATE < SENSITIVE < CRITICAL', () => {
    const shuffled = [ActionClass.Critical, ActionClass.Read, ActionClass.Sensitive, ActionClass.Safe, ActionClass.Moderate];
    expect([...shuffled].sort(compareSeverity)).toEqual([
      ActionClass.Read,
      ActionClass.Safe,
      ActionClass.Moderate,
      ActionClass.Sensitive,
      ActionClass.Critical,
    ]);
  });

  it('classifies a composite action by its most severe step', () => {
    expect(mostSevere([ActionClass.Read, ActionClass.Sensitive, ActionClass.Safe])).toBe(ActionClass.Sensitive);
    expect(mostSevere([ActionClass.Read])).toBe(ActionClass.Read);
    expect(() => mostSevere([])).toThrow(/at least one/);
  });
});
