import { ActionClass, ErrorCode } from '@aegis/contracts';
import {
  type Caller,
  type ConfirmationDecision,
  GovernanceException,
  GovernanceExceptionCode,
  type ExecutionOutcome,
} from '@aegis/governance';
import type { ProviderStreamEvent } from '@aegis/providers';
import type { AgentEvent, AgentRunRequest } from './agent-run.types';
import { caller, finish, runId, runner, scriptedCascade, selected } from './agent-runner.fixture';

describe('AgentRunner', () => {
  describe('confirmations of SENSITIVE calls', () => {
    const writeCall: ProviderStreamEvent[] = [
      selected,
      { type: 'tool-call', toolCallId: 'w1', toolName: 'read_file', input: { path: 'x', justification: 'the file says so' } },
      finish('tool-calls'),
    ];
    const executed: ExecutionOutcome = {
      kind: 'executed',
      actionId: 'a',
      actionClass: ActionClass.Sensitive,
      result: {
        status: 'completed',
        actionClass: ActionClass.Sensitive,
        output: 'written',
        verification: null,
        rollback: { available: false },
      },
    };

    /** A registry that asks for a confirmation the way governance does, and records the decision. */
    function confirmingAgent(
      expiresInMs: number,
      decisions: (ConfirmationDecision | 'no confirm hook')[],
      onAsk: () => void = () => undefined,
    ) {
      return runner(scriptedCascade([writeCall]), async (_name, _args, who) => {
        const confirm = (who as Caller).confirm;
        if (!confirm) {
          decisions.push('no confirm hook');
          throw new GovernanceException(GovernanceExceptionCode.ConfirmationDeclined, 'nobody to ask');
        }
        onAsk();
        const decision = await confirm({
          confirmationId: 'k1',
          tool: 'write_file',
          actionClass: ActionClass.Sensitive,
          args: { path: 'x' },
          justification: 'the file says so',
          expiresAt: new Date(Date.now() + expiresInMs),
        });
        decisions.push(decision);
        if (decision !== 'confirmed') throw new GovernanceException(GovernanceExceptionCode.ConfirmationDeclined, decision);
        return executed;
      });
    }

    const request = (overrides: Partial<AgentRunRequest>, events: AgentEvent[]): AgentRunRequest => ({
      caller,
      runId,
      conversationId: 'c',
      messages: [],
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
      ...overrides,
    });

    it("passes the person's answer to governance and announces the request and the decision", async () => {
      const decisions: unknown[] = [];
      const events: AgentEvent[] = [];
      const asked: unknown[] = [];
      const result = await confirmingAgent(10_000, decisions as ConfirmationDecision[]).run(
        request(
          {
            confirm: (pending) => {
              asked.push(pending);
              return Promise.resolve('confirmed');
            },
          },
          events,
        ),
      );
      expect(decisions).toEqual(['confirmed']);
      expect(asked).toEqual([
        { toolCallId: 'w1', request: expect.objectContaining({ confirmationId: 'k1', justification: 'the file says so' }) as unknown },
      ]);
      expect(events.map((event) => event.type)).toEqual([
        'model-selected',
        'tool-call',
        'confirmation-required',
        'confirmation-decided',
        'tool-result',
        'text-delta',
      ]);
      expect(events.find((event) => event.type === 'confirmation-decided')).toMatchObject({
        toolCallId: 'w1',
        confirmationId: 'k1',
        decision: 'confirmed',
      });
      expect(result.toolCalls[0]).toMatchObject({ status: 'completed' });
    });

    it('declines when the person declines', async () => {
      const decisions: ConfirmationDecision[] = [];
      const result = await confirmingAgent(10_000, decisions).run(request({ confirm: () => Promise.resolve('declined') }, []));
      expect(decisions).toEqual(['declined']);
      expect(result.toolCalls[0]).toMatchObject({ status: 'refused', errorCode: ErrorCode.ConfirmationDeclined });
    });

    it('expires at expiresAt when nobody answers, and tells the asker to stop waiting', async () => {
      const decisions: ConfirmationDecision[] = [];
      let stopped: AbortSignal | undefined;
      const result = await confirmingAgent(50, decisions).run(
        request(
          {
            confirm: (_pending, signal) => {
              stopped = signal;
              return new Promise<never>(() => undefined);
            },
          },
          [],
        ),
      );
      expect(decisions).toEqual(['expired']);
      expect(stopped?.aborted).toBe(true);
      expect(result.toolCalls[0]).toMatchObject({ status: 'refused' });
    });

    it('resolves cancelled when the run is cancelled while waiting', async () => {
      const decisions: ConfirmationDecision[] = [];
      const controller = new AbortController();
      const result = await confirmingAgent(10_000, decisions, () => setTimeout(() => controller.abort(), 20)).run(
        request({ signal: controller.signal, confirm: () => new Promise<never>(() => undefined) }, []),
      );
      expect(decisions).toEqual(['cancelled']);
      expect(result.status).toBe('cancelled');
    });

    it('gives governance no way to confirm when the run has no one to ask', async () => {
      const decisions: (ConfirmationDecision | 'no confirm hook')[] = [];
      const result = await confirmingAgent(10_000, decisions).run(request({}, []));
      expect(decisions).toEqual(['no confirm hook']);
      expect(result.toolCalls[0]).toMatchObject({ status: 'refused' });
    });
  });
});
