import type { ActionClass } from '@aegis/contracts';
import './governance.css';

/** An action class as the API spells it ('READ' … 'CRITICAL'); the enum's values and the OpenAPI strings both fit. */
export type ActionClassName = `${ActionClass}`;

export interface ClassBadgeProps {
  /** Null when governance never classified the action (unknown tool, invalid arguments). */
  actionClass: ActionClassName | null;
}

/**
 * An action class, colour-coded and always with its word (colour alone says nothing to many
 * people): READ grey, SAFE green, MODERATE blue, SENSITIVE amber, CRITICAL red.
 */
export function ClassBadge({ actionClass }: ClassBadgeProps) {
  if (actionClass === null) {
    return (
      <span className="class-badge class-badge--none" data-action-class="none" title="Governance did not classify this action">
        unclassified
      </span>
    );
  }
  return (
    <span
      className={`class-badge class-badge--${actionClass.toLowerCase()}`}
      data-action-class={actionClass}
      title={`Action class: ${actionClass}`}
    >
      <span className="visually-hidden">Action class </span>
      {actionClass}
    </span>
  );
}
