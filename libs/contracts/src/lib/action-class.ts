/** How much harm an action can do; governance decides per role and class (docs/governance.md "Policy"). */
export enum ActionClass {
  Read = 'READ',
  Safe = 'SAFE',
  Moderate = 'MODERATE',
  Sensitive = 'SENSITIVE',
  Critical = 'CRITICAL',
}

export const ACTION_CLASSES: readonly ActionClass[] = [
  ActionClass.Read,
  ActionClass.Safe,
  ActionClass.Moderate,
  ActionClass.Sensitive,
  ActionClass.Critical,
];
