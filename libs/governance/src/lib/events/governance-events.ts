import { EventEmitter } from 'node:events';
import type { ApprovalDecidedEvent, ApprovalRequiredEvent } from '@aegis/contracts';
import { Injectable, Logger } from '@nestjs/common';

/** The events governance publishes, by name (the socket gateway forwards them under the same names). */
export interface GovernanceEventMap {
  'approval:required': [ApprovalRequiredEvent];
  'approval:decided': [ApprovalDecidedEvent];
}

export type GovernanceEventName = keyof GovernanceEventMap;

/** The in-process bus for approval events; a listener that throws is logged and cannot disturb governance. */
@Injectable()
export class GovernanceEvents {
  private readonly logger = new Logger(GovernanceEvents.name);
  /** Untyped inside: `on` and `emit` below are the typed surface. */
  private readonly emitter = new EventEmitter();

  /** Subscribes; the returned function unsubscribes. */
  on<Name extends GovernanceEventName>(name: Name, listener: (...payload: GovernanceEventMap[Name]) => void): () => void {
    const safe = (...payload: GovernanceEventMap[Name]) => {
      try {
        listener(...payload);
      } catch (error) {
        this.logger.error({ err: error, event: name }, 'a governance event listener failed');
      }
    };
    this.emitter.on(name, safe);
    return () => this.emitter.off(name, safe);
  }

  emit<Name extends GovernanceEventName>(name: Name, ...payload: GovernanceEventMap[Name]): void {
    this.emitter.emit(name, ...payload);
  }
}
