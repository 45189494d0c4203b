import { type ActionClass, AegisError, type ApprovalDecidedEvent, type ApprovalRequiredEvent, ErrorCode, type ProviderName, type Role, roleAtLeast, type RunStatus, type ToolCallRecord } from '@aegis/contracts';
import type { AuditLog, Caller, ConfirmationDecision, ConfirmationRequest, GovernanceEvents, ToolRegistry } from '@aegis/governance';
import type { ChatMessage, ProviderCascade, ToolCallPart, ToolDefinition } from '@aegis/providers';
import { type BudgetExhausted, exhaustedBudget, type RunLimits } from './run-budget';

/** What a run reports while it goes; the socket gateway forwards each one. */
export type AgentEvent =
  | { type: 'model-selected'; provider: ProviderName; model: string }
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCallId: string; tool: string; args: unknown }
  | { type: 'tool-result'; call: ToolCallRecord }
  | { type: 'approval-required'; event: ApprovalRequiredEvent }
  | { type: 'approval-decided'; event: ApprovalDecidedEvent }
  | { type: 'confirmation-required'; toolCallId: string; request: ConfirmationRequest }
  | { type: 'confirmation-decided'; toolCallId: string; confirmationId: string; decision: ConfirmationDecision }
  | { type: 'warning'; code: string; message: string };

/** A SENSITIVE call of the agent, waiting for the chatting user (docs/agent.md "Confirmations"). */
export interface PendingConfirmation {
  toolCallId: string;
  request: ConfirmationRequest;
}

/** The person's own answer to a confirmation; expiry and cancellation are the runner's. */
export type ConfirmationAnswer = Extract<ConfirmationDecision, 'confirmed' | 'declined'>;

export interface AgentRunRequest {
  caller: Caller;
  /** A UUID; every governed action of the run is audited with it. */
  runId: string;
  conversationId: string;
  /** The conversation so far, already trimmed, ending with the user's turn. */
  messages: ChatMessage[];
  signal: AbortSignal;
  model?: string;
  onEvent: (event: AgentEvent) => void;
  /**
   * Asks the chatting user to confirm a SENSITIVE call and resolves with their answer. `signal`
   * aborts when the runner stops waiting (the request expired or the run was cancelled). Without
   * it, governance refuses every SENSITIVE call of the run.
   */
  confirm?: (pending: PendingConfirmation, signal: AbortSignal) => Promise<ConfirmationAnswer>;
  /**
   * The caller as it stands now, asked before each model turn and each tool call: a run outlives
   * the moment it started. Undefined (signed out, disabled, key revoked) stops the run; a lower
   * role is used from then on. Without it, `caller` is used throughout.
   */
  callerNow?: () => Promise<Caller | undefined>;
}

export interface AgentRunResult {
  status: RunStatus;
  text: string;
  provider: ProviderName | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costMicroDollars: number;
  steps: number;
  toolCalls: ToolCallRecord[];
  /** Why a run did not complete: the budget reached, or the provider error. */
  error: { code: string; message: string } | null;
}

/**
 * A tool the agent runs itself rather than through the host registry: it may only touch the
 * caller's own data inside Aegis (long-term memory), never the host.
 */
export interface AgentLocalTool {
  definition: ToolDefinition;
  /** Its class in the audit log and on its tool call (local tools are READ or SAFE: they touch only the caller's own data). */
  actionClass: ActionClass;
  run(args: Record<string, unknown>, context: { caller: Caller; conversationId: string; signal: AbortSignal }): Promise<unknown>;
}

export interface AgentRunnerOptions {
  limits: RunLimits;
  /** Default: none. */
  localTools?: readonly AgentLocalTool[];
  /** Where local tool calls are audited with the run id (registry tools are audited by governance). */
  audit?: Pick<AuditLog, 'append'>;
  /** Longest wait for an admin's decision; the approval's own expiry applies when sooner. */
  approvalTimeoutMs: number;
  systemPrompt: string;
}

export const DEFAULT_SYSTEM_PROMPT = [
  'You are Aegis, an operations assistant working on a server through governed tools.',
  'Use a tool when it helps; every call is checked by policy and may need an admin approval.',
  'For SENSITIVE or CRITICAL actions, fill `justification` with one honest sentence saying why.',
  'Report an action as done only when its tool result says status "completed" (verified).',
].join(' ');

const JUSTIFICATION_PROPERTY = 'justification';
/** What one model turn may write; the run's token budget caps it further. */
const MAX_OUTPUT_TOKENS_PER_STEP = 8_192;

class RunCancelled extends Error {}

const SESSION_ENDED = { code: ErrorCode.SessionExpired, message: 'The session that started this run has ended (signed out, disabled or revoked); the run stopped' };

/** The tool definitions a role may call directly, each schema extended with the justification governance asks for. */
export function toolsFor(registry: Pick<ToolRegistry, 'list'>, role: Role): ToolDefinition[] {
  return registry
    .list()
    .filter((tool) => roleAtLeast(role, tool.minRole))
    .map((tool) => {
      const schema = tool.argsSchema;
      const properties = (schema['properties'] as Record<string, unknown> | undefined) ?? {};
      return {
        name: tool.name,
        description: `${tool.description} (${tool.actionClass})`,
        inputSchema: {
          ...schema,
          properties: { ...properties, [JUSTIFICATION_PROPERTY]: { type: 'string', description: 'Why this action is needed (SENSITIVE and CRITICAL actions).' } },
          additionalProperties: false,
        },
      };
    });
}

function splitJustification(input: unknown): { args: Record<string, unknown>; justification: string | undefined } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { args: {}, justification: undefined };
  const { [JUSTIFICATION_PROPERTY]: justification, ...args } = input as Record<string, unknown>;
  return { args, justification: typeof justification === 'string' ? justification : undefined };
}

/**
 * The ReAct loop: the model streams (with the tools the caller's role could run directly), each
 * tool call goes through governance (run, wait for approval, or refused), the observation goes
 * back, until the model answers without a tool call or a limit or cancellation stops the run.
 */
export class AgentRunner {
  constructor(
    private readonly cascade: Pick<ProviderCascade, 'stream'>,
    private readonly registry: Pick<ToolRegistry, 'list' | 'execute'>,
    private readonly events: Pick<GovernanceEvents, 'on'>,
    private readonly options: AgentRunnerOptions,
  ) {}

  async run(request: AgentRunRequest): Promise<AgentRunResult> {
    const { runId, signal, onEvent } = request;
    let caller = request.caller;
    const local = this.options.localTools ?? [];
    const tools = [...toolsFor(this.registry, caller.role), ...local.map((tool) => tool.definition)];
    const messages: ChatMessage[] = [{ role: 'system', content: this.options.systemPrompt }, ...request.messages];
    const usage = { steps: 0, tokens: 0, startedAt: Date.now() };
    const result: AgentRunResult = {
      status: 'completed',
      text: '',
      provider: null,
      model: null,
      inputTokens: 0,
      outputTokens: 0,
      costMicroDollars: 0,
      steps: 0,
      toolCalls: [],
      error: null,
    };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.limits.deadlineMs);
    const runSignal = AbortSignal.any([signal, deadline.signal]);
    const unsubscribe = [
      this.events.on('approval:required', (event) => event.runId === runId && onEvent({ type: 'approval-required', event })),
      this.events.on('approval:decided', (event) => event.runId === runId && onEvent({ type: 'approval-decided', event })),
    ];
    const stop = (status: RunStatus, error: { code: string; message: string } | null) => Object.assign(result, { status, error });
    try {
      for (;;) {
        const exhausted: BudgetExhausted | undefined = exhaustedBudget(this.options.limits, usage, Date.now());
        if (exhausted) return stop('budget_exhausted', { code: ErrorCode.BudgetExceeded, message: `The run reached its ${exhausted} limit` });
        const standing = await this.standing(request, caller);
        if (!standing) return stop('failed', SESSION_ENDED);
        caller = standing;
        usage.steps += 1;
        result.steps = usage.steps;
        const step = await this.step(request, messages, tools, runSignal, result);
        usage.tokens = result.inputTokens + result.outputTokens;
        if (step.error) return stop('failed', step.error);
        if (step.calls.length === 0) return result;
        const assistantParts: ToolCallPart[] = step.calls.map((call) => ({ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: call.input }));
        messages.push({ role: 'assistant', content: step.text ? [{ type: 'text', text: step.text }, ...assistantParts] : assistantParts });
        for (const call of step.calls) {
          const standingNow = await this.standing(request, caller);
          if (!standingNow) return stop('failed', SESSION_ENDED);
          caller = standingNow;
          onEvent({ type: 'tool-call', toolCallId: call.toolCallId, tool: call.toolName, args: call.input });
          const localTool = local.find((tool) => tool.definition.name === call.toolName);
          const record = localTool ? await this.actLocally(localTool, call, caller, request.conversationId, runId, runSignal) : await this.act(call, request, caller, runSignal);
          result.toolCalls.push(record);
          onEvent({ type: 'tool-result', call: record });
          messages.push({
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output: observation(record), isError: record.status !== 'completed' }],
          });
        }
      }
    } catch (error) {
      if (error instanceof RunCancelled || runSignal.aborted) {
        if (deadline.signal.aborted && !signal.aborted) return stop('budget_exhausted', { code: ErrorCode.BudgetExceeded, message: 'The run reached its deadline limit' });
        return stop('cancelled', null);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      for (const off of unsubscribe) off();
    }
  }

  /** The caller now (never a higher role than before), or undefined when its session has ended. */
  private async standing(request: AgentRunRequest, before: Caller): Promise<Caller | undefined> {
    if (!request.callerNow) return before;
    const now = await request.callerNow();
    if (!now) return undefined;
    return roleAtLeast(now.role, before.role) ? { ...now, role: before.role } : now;
  }

  /** One model turn: streams text out, collects tool calls, adds usage and cost. */
  private async step(request: AgentRunRequest, messages: ChatMessage[], tools: ToolDefinition[], signal: AbortSignal, result: AgentRunResult) {
    const calls: { toolCallId: string; toolName: string; input: unknown }[] = [];
    let text = '';
    const stream = this.cascade.stream({
      messages,
      tools,
      model: request.model,
      signal,
      userId: request.caller.userId,
      conversationId: request.conversationId,
      maxOutputTokens: Math.max(1, Math.min(MAX_OUTPUT_TOKENS_PER_STEP, this.options.limits.maxTokens - result.inputTokens - result.outputTokens)),
    });
    for await (const event of stream) {
      if (signal.aborted) throw new RunCancelled();
      switch (event.type) {
        case 'model-selected':
          if (result.model !== event.model || result.provider !== event.provider) request.onEvent({ type: 'model-selected', provider: event.provider, model: event.model });
          result.provider = event.provider;
          result.model = event.model;
          break;
        case 'text-delta': {
          // A later step's text (after tool calls) starts a new paragraph, live and stored alike.
          const delta = text === '' && result.text !== '' && event.text !== '' ? `\n\n${event.text}` : event.text;
          text += event.text;
          result.text += delta;
          request.onEvent({ type: 'text-delta', text: delta });
          break;
        }
        case 'tool-call':
          calls.push({ toolCallId: event.toolCallId, toolName: event.toolName, input: event.input });
          break;
        case 'warning':
          request.onEvent({ type: 'warning', code: event.code, message: event.message });
          break;
        case 'finish':
          result.inputTokens += event.usage.inputTokens;
          result.outputTokens += event.usage.outputTokens;
          result.costMicroDollars += event.costMicroDollars;
          break;
        case 'error':
          if (signal.aborted) throw new RunCancelled();
          return { text, calls, error: { code: event.error.code, message: event.error.message } };
      }
    }
    if (signal.aborted) throw new RunCancelled();
    return { text, calls, error: null };
  }

  /** Runs one tool call through governance; refusals and failures become the observation. */
  private async act(call: { toolCallId: string; toolName: string; input: unknown }, request: AgentRunRequest, caller: Caller, signal: AbortSignal): Promise<ToolCallRecord> {
    const { runId } = request;
    const { args, justification } = splitJustification(call.input);
    const ask = request.confirm;
    // The model writes the justification, so a person confirms its SENSITIVE calls (governance asks through this).
    const confirm = ask ? (confirmation: ConfirmationRequest) => this.askToConfirm(request, ask, { toolCallId: call.toolCallId, request: confirmation }, signal) : undefined;
    const record: ToolCallRecord = { toolCallId: call.toolCallId, tool: call.toolName, args, status: 'failed', actionClass: null, output: null, actionId: null, approvalId: null, errorCode: null };
    // Governance says the class as soon as it decides it, so a refusal or failure after that still carries it.
    const onClassified = (actionClass: ActionClass) => {
      record.actionClass = actionClass;
    };
    try {
      // A decision can arrive while execute() is still storing the request: listen first.
      const decisions = this.collectDecisions(runId);
      try {
        const outcome = await this.registry.execute(call.toolName, args, { ...caller, runId, toolCallId: call.toolCallId, signal, confirm, onClassified }, justification);
        if (outcome.kind === 'executed') {
          return { ...record, status: outcome.result.status, actionClass: outcome.actionClass, output: outcome.result.output, actionId: outcome.actionId };
        }
        record.approvalId = outcome.approvalId;
        record.actionClass = outcome.actionClass;
        const waitMs = Math.min(this.options.approvalTimeoutMs, outcome.expiresAt.getTime() - Date.now());
        const decided = await decisions.waitFor(outcome.approvalId, waitMs, signal);
        if (!decided) return { ...record, status: 'expired', output: 'No admin decided on the approval request in time; the action did not run.' };
        if (decided.status === 'approved') {
          return { ...record, status: decided.actionStatus === 'completed' ? 'completed' : 'failed', actionId: decided.actionId, output: { approvedBy: decided.decidedBy?.name ?? null, comment: decided.comment, actionStatus: decided.actionStatus } };
        }
        const by = decided.decidedBy ? ` by ${decided.decidedBy.name}` : '';
        return { ...record, status: decided.status, output: `The approval request was ${decided.status}${by}${decided.comment ? `: ${decided.comment}` : ''}; the action did not run.` };
      } finally {
        decisions.close();
      }
    } catch (error) {
      if (signal.aborted) throw new RunCancelled();
      if (error instanceof AegisError) {
        const refused = error.code !== ErrorCode.Internal && error.code !== ErrorCode.VerificationFailed;
        const details = error.details && error.details.length > 0 ? ` (${error.details.join('; ')})` : '';
        return { ...record, status: refused ? 'refused' : 'failed', errorCode: error.code, output: `${error.message}${details}` };
      }
      return { ...record, status: 'failed', errorCode: ErrorCode.Internal, output: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Announces a confirmation, waits for the person's answer until the request expires or the run
   * stops ('expired' / 'cancelled'), and announces how it ended. Governance audits the outcome.
   */
  private async askToConfirm(request: AgentRunRequest, ask: NonNullable<AgentRunRequest['confirm']>, pending: PendingConfirmation, signal: AbortSignal): Promise<ConfirmationDecision> {
    request.onEvent({ type: 'confirmation-required', toolCallId: pending.toolCallId, request: pending.request });
    const decision = await waitForAnswer(ask, pending, signal);
    request.onEvent({ type: 'confirmation-decided', toolCallId: pending.toolCallId, confirmationId: pending.request.confirmationId, decision });
    return decision;
  }

  private async actLocally(
    tool: AgentLocalTool,
    call: { toolCallId: string; toolName: string; input: unknown },
    caller: Caller,
    conversationId: string,
    runId: string,
    signal: AbortSignal,
  ): Promise<ToolCallRecord> {
    const { args } = splitJustification(call.input);
    const record: ToolCallRecord = {
      toolCallId: call.toolCallId,
      tool: call.toolName,
      args,
      status: 'completed',
      actionClass: tool.actionClass,
      output: null,
      actionId: null,
      approvalId: null,
      errorCode: null,
    };
    let result: ToolCallRecord;
    try {
      result = { ...record, output: await tool.run(args, { caller, conversationId, signal }) };
    } catch (error) {
      if (signal.aborted) throw new RunCancelled();
      result =
        error instanceof AegisError
          ? { ...record, status: 'refused', errorCode: error.code, output: error.message }
          : { ...record, status: 'failed', errorCode: ErrorCode.Internal, output: error instanceof Error ? error.message : String(error) };
    }
    await this.options.audit?.append({
      actor: { type: caller.actor.type, id: caller.actor.id, name: caller.actor.name, role: caller.role },
      action: `tool.${tool.definition.name}`,
      actionClass: tool.actionClass,
      decision: result.status === 'refused' ? 'refused' : 'allowed',
      reason: result.errorCode ?? undefined,
      runId,
      args,
      result: { status: result.status },
      ip: caller.ip,
      userAgent: caller.userAgent,
    });
    return result;
  }

  private collectDecisions(runId: string) {
    const seen = new Map<string, ApprovalDecidedEvent>();
    const waiters = new Map<string, (event: ApprovalDecidedEvent) => void>();
    const off = this.events.on('approval:decided', (event) => {
      if (event.runId !== runId) return;
      seen.set(event.approvalId, event);
      waiters.get(event.approvalId)?.(event);
    });
    return {
      close: off,
      waitFor: (approvalId: string, timeoutMs: number, signal: AbortSignal) =>
        new Promise<ApprovalDecidedEvent | undefined>((resolve, reject) => {
          const known = seen.get(approvalId);
          if (known) return resolve(known);
          const timer = setTimeout(() => finish(undefined), Math.max(0, timeoutMs));
          const onAbort = () => {
            clearTimeout(timer);
            reject(new RunCancelled());
          };
          const finish = (event: ApprovalDecidedEvent | undefined) => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            waiters.delete(approvalId);
            resolve(event);
          };
          waiters.set(approvalId, finish);
          signal.addEventListener('abort', onAbort, { once: true });
        }),
    };
  }
}

/** The person's answer, or 'expired' at `expiresAt`, or 'cancelled' when the run stops first: whichever comes first. */
function waitForAnswer(ask: NonNullable<AgentRunRequest['confirm']>, pending: PendingConfirmation, signal: AbortSignal): Promise<ConfirmationDecision> {
  const stopWaiting = new AbortController();
  return new Promise<ConfirmationDecision>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      stopWaiting.abort();
      finish();
    };
    const onAbort = () => settle(() => resolve('cancelled'));
    const timer = setTimeout(() => settle(() => resolve('expired')), Math.max(0, pending.request.expiresAt.getTime() - Date.now()));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => ask(pending, stopWaiting.signal))
      .then(
        (answer) => settle(() => resolve(answer === 'confirmed' ? 'confirmed' : 'declined')),
        (error: unknown) => settle(() => reject(error instanceof Error ? error : new Error(String(error)))),
      );
  });
}

/** What the model reads back for one call. */
function observation(record: ToolCallRecord): unknown {
  return { status: record.status, ...(record.errorCode ? { error: record.errorCode } : {}), output: record.output };
}
