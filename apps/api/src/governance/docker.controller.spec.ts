import { callerOf, type Principal } from '@aegis/auth';
import { ActionClass, Role } from '@aegis/contracts';
import type { ExecutionOutcome } from '@aegis/governance';
import type { Response } from 'express';
import type { DockerLogFollows } from './docker-log-follow';
import { DockerController } from './docker.controller';
import type { DockerService } from './docker.service';

const principal = { kind: 'user', userId: 'u1', username: 'opal', role: Role.Operator } as unknown as Principal;
const caller = callerOf(principal, { ip: '127.0.0.1', userAgent: undefined });

function controllerAnswering(outcome: ExecutionOutcome) {
  const restart = jest.fn().mockResolvedValue(outcome);
  return { controller: new DockerController({ restart } as unknown as DockerService, {} as DockerLogFollows), restart };
}

function fakeResponse() {
  const status = jest.fn();
  return { response: { status } as unknown as Response, status };
}

describe('DockerController.restart', () => {
  it('answers 202 with the approval id and expiry when the policy makes the restart wait for an admin', async () => {
    const expiresAt = new Date('2026-11-29T13:00:00Z');
    const { controller, restart } = controllerAnswering({
      kind: 'pending',
      approvalId: 'a1',
      actionClass: ActionClass.Critical,
      expiresAt,
    });
    const { response, status } = fakeResponse();
    const body = await controller.restart(caller, 'web', { justification: 'The web container is stuck' }, response);
    expect(status).toHaveBeenCalledWith(202);
    expect(body).toEqual({ approvalId: 'a1', status: 'pending', actionClass: 'CRITICAL', expiresAt });
    expect(restart).toHaveBeenCalledWith(expect.objectContaining({ role: Role.Operator }), 'web', 'The web container is stuck');
  });

  it('answers the verified action (200) when it ran', async () => {
    const result = {
      status: 'completed' as const,
      actionClass: ActionClass.Moderate,
      output: {},
      verification: { verified: true, detail: 'running' },
      rollback: { available: false },
    };
    const { controller } = controllerAnswering({ kind: 'executed', actionId: 'x1', actionClass: ActionClass.Moderate, result });
    const { response, status } = fakeResponse();
    expect(await controller.restart(caller, 'web', {}, response)).toEqual({ actionId: 'x1', result });
    expect(status).not.toHaveBeenCalled();
  });
});
