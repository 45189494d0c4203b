import { ActionClass, Role } from '@aegis/contracts';
import { GovernanceEvents, type ExecutionOutcome } from '@aegis/governance';
import type { ProviderStreamEvent, ProviderStreamRequest } from '@aegis/providers';
import { AgentRunner } from './agent-runner';

// What the AgentRunner specs share: a scripted model cascade, a caller, run limits and a registry built on an `execute` callback.

const usage = { inputTokens: 10, outputTokens: 5 };
export const finish = (finishReason: 'stop' | 'tool-calls'): ProviderStreamEvent => ({
  type: 'finish',
  provider: 'openai',
  model: 'm',
  finishReason,
  usage,
  costMicroDollars: 3,
});
export const selected: ProviderStreamEvent = { type: 'model-selected', provider: 'openai', model: 'm', attempts: 1 };

/** A cascade that answers each step with the next scripted list of events and keeps the requests. */
export function scriptedCascade(steps: ProviderStreamEvent[][]) {
  const requests: ProviderStreamRequest[] = [];
  return {
    requests,
    stream(request: ProviderStreamRequest) {
      requests.push(structuredClone({ ...request, signal: undefined }));
      const events = steps.shift() ?? [selected, { type: 'text-delta', text: 'done' }, finish('stop')];
      return (async function* () {
        for (const event of events) yield await Promise.resolve(event);
      })();
    },
  };
}

export const descriptor = (name: string, minRole: Role) => ({
  name,
  description: name,
  actionClass: ActionClass.Read,
  minRole,
  argsSchema: { type: 'object', properties: { path: { type: 'string' } } },
});
export const caller = { actor: { type: 'user' as const, id: 'u1', name: 'opal' }, userId: 'u1', role: Role.Operator };
export const limits = { maxSteps: 4, maxTokens: 10_000, deadlineMs: 10_000 };
export const runId = '3f2a1c5e-8d4b-4c1a-9e7f-2b6d8a0c4e11';

/** A READ call that ran and completed with the output 'x'. */
export const executedRead: ExecutionOutcome = {
  kind: 'executed',
  actionId: 'a',
  actionClass: ActionClass.Read,
  result: { status: 'completed', actionClass: ActionClass.Read, output: 'x', verification: null, rollback: { available: false } },
};

/** An AgentRunner over `cascade` whose registry lists read_file and runs every call through `execute`. */
export function runner(
  cascade: ReturnType<typeof scriptedCascade>,
  execute: (name: string, args: unknown, who: unknown, justification?: string) => Promise<ExecutionOutcome>,
  maxSteps = 4,
) {
  const registry = { list: () => [descriptor('read_file', Role.Viewer)], execute };
  return new AgentRunner(cascade, registry, new GovernanceEvents(), {
    limits: { ...limits, maxSteps },
    approvalTimeoutMs: 1_000,
    systemPrompt: 'sys',
  });
}
