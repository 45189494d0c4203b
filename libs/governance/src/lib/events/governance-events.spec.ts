import { ActionClass } from '@aegis/contracts';
import { Logger } from '@nestjs/common';
import { GovernanceEvents } from './governance-events';

const required = {
  approvalId: 'a',
  tool: 'apt_install',
  actionClass: ActionClass.Critical,
  requestedBy: { id: 'u', name: 'alice', userId: 'u' },
  justification: 'install curl for the probes',
  argsSha256: '0'.repeat(64),
  expiresAt: '2026-01-01T00:00:00.000Z',
  runId: null,
  toolCallId: null,
};

describe('GovernanceEvents', () => {
  it('delivers typed events until unsubscribed', () => {
    const events = new GovernanceEvents();
    const seen: string[] = [];
    const off = events.on('approval:required', (event) => seen.push(event.approvalId));
    events.emit('approval:required', required);
    off();
    events.emit('approval:required', required);
    expect(seen).toEqual(['a']);
  });

  it('keeps a throwing listener from disturbing the emitter or the other listeners', () => {
    const events = new GovernanceEvents();
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const seen: string[] = [];
    events.on('approval:required', () => {
      throw new Error('listener bug');
    });
    events.on('approval:required', (event) => seen.push(event.tool));
    expect(() => events.emit('approval:required', required)).not.toThrow();
    expect(seen).toEqual(['apt_install']);
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
