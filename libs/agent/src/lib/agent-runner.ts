import { type ActionClass, AegisError, ErrorCode, roleAtLeast, type RunStatus, type ToolCallRecord } from '@aegis/contracts';
import type { Caller, ConfirmationDecision, ConfirmationRequest, GovernanceEvents, ToolRegistry } from '@aegis/governance';
import type { ChatMessage, ProviderCascade, ToolCallPart, ToolDefinition } from '@aegis/providers';
import {
  type AgentRunnerOptions,
  type AgentRunRequest,
  type AgentRunResult,
  type PendingConfirmation,
  RunCancelled,
} from './agent-run.types';
import { observation, splitJustification, toolsFor } from './agent-tools';
import { collectDecisions } from './approval-decisions';
import { waitForAnswer } from './confirmation-wait';
import { type BudgetExhausted, exhaustedBudget } from './run-budget';

export const DEFAULT_SYSTEM_PROMPT = [
  'You are Aegis, an operations assistant working on a server through governed tools.',
  'Use a tool when it helps; every call is checked by policy and may need an admin approval.',
  'For SENSITIVE or CRITICAL actions, fill `justification` with one honest sentence saying why.',
  'Report an action as done only when its tool result says status "completed" (verified).',
].join(' ');

/** What one model turn may write; the run's token budget caps it further. */
const MAX_OUTPUT_TOKENS_PER_STEP = 8_192;

const SESSION_ENDED = {
  code: ErrorCode.SessionExpired,
  message: 'The session that started this run has ended (signed out, disabled or revoked); the run stopped',
};

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
    const tools = toolsFor(this.registry, caller.role);
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
        if (exhausted)
          return stop('budget_exhausted', { code: ErrorCode.BudgetExceeded, message: `The run reached its ${exhausted} limit` });
        const standing = await this.standing(request, caller);
        if (!standing) return stop('failed', SESSION_ENDED);
        caller = standing;
        usage.steps += 1;
        result.steps = usage.steps;
        const step = await this.step(request, messages, tools, runSignal, result);
        usage.tokens = result.inputTokens + result.outputTokens;
        if (step.error) return stop('failed', step.error);
        if (step.calls.length === 0) return result;
        const assistantParts: ToolCallPart[] = step.calls.map((call) => ({
          type: 'tool-call',
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          input: call.input,
        }));
        messages.push({ role: 'assistant', content: step.text ? [{ type: 'text', text: step.text }, ...assistantParts] : assistantParts });
        for (const call of step.calls) {
          const standingNow = await this.standing(request, caller);
          if (!standingNow) return stop('failed', SESSION_ENDED);
          caller = standingNow;
          onEvent({ type: 'tool-call', toolCallId: call.toolCallId, tool: call.toolName, args: call.input });
          const record = await this.act(call, request, caller, runSignal);
          result.toolCalls.push(record);
          onEvent({ type: 'tool-result', call: record });
          messages.push({
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: call.toolCallId,
                toolName: call.toolName,
                output: observation(record),
                isError: record.status !== 'completed',
              },
            ],
          });
        }
      }
    } catch (error) {
      if (error instanceof RunCancelled || runSignal.aborted) {
        if (deadline.signal.aborted && !signal.aborted)
          return stop('budget_exhausted', { code: ErrorCode.BudgetExceeded, message: 'The run reached its deadline limit' });
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
  private async step(
    request: AgentRunRequest,
    messages: ChatMessage[],
    tools: ToolDefinition[],
    signal: AbortSignal,
    result: AgentRunResult,
  ) {
    const calls: { toolCallId: string; toolName: string; input: unknown }[] = [];
    let text = '';
    const stream = this.cascade.stream({
      messages,
      tools,
      model: request.model,
      signal,
      userId: request.caller.userId,
      conversationId: request.conversationId,
      maxOutputTokens: Math.max(
        1,
        Math.min(MAX_OUTPUT_TOKENS_PER_STEP, this.options.limits.maxTokens - result.inputTokens - result.outputTokens),
      ),
    });
    for await (const event of stream) {
      if (signal.aborted) throw new RunCancelled();
      switch (event.type) {
        case 'model-selected':
          if (result.model !== event.model || result.provider !== event.provider)
            request.onEvent({ type: 'model-selected', provider: event.provider, model: event.model });
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
  private async act(
    call: { toolCallId: string; toolName: string; input: unknown },
    request: AgentRunRequest,
    caller: Caller,
    signal: AbortSignal,
  ): Promise<ToolCallRecord> {
    const { runId } = request;
    const { args, justification } = splitJustification(call.input);
    const ask = request.confirm;
    // The model writes the justification, so a person confirms its SENSITIVE calls (governance asks through this).
    const confirm = ask
      ? (confirmation: ConfirmationRequest) =>
          this.askToConfirm(request, ask, { toolCallId: call.toolCallId, request: confirmation }, signal)
      : undefined;
    const record: ToolCallRecord = {
      toolCallId: call.toolCallId,
      tool: call.toolName,
      args,
      status: 'failed',
      actionClass: null,
      output: null,
      actionId: null,
      approvalId: null,
      errorCode: null,
    };
    // Governance says the class as soon as it decides it, so a refusal or failure after that still carries it.
    const onClassified = (actionClass: ActionClass) => {
      record.actionClass = actionClass;
    };
    try {
      // A decision can arrive while execute() is still storing the request: listen first.
      const decisions = collectDecisions(this.events, runId);
      try {
        const outcome = await this.registry.execute(
          call.toolName,
          args,
          { ...caller, runId, conversationId: request.conversationId, toolCallId: call.toolCallId, signal, confirm, onClassified },
          justification,
        );
        if (outcome.kind === 'executed') {
          return {
            ...record,
            status: outcome.result.status,
            actionClass: outcome.actionClass,
            output: outcome.result.output,
            actionId: outcome.actionId,
          };
        }
        record.approvalId = outcome.approvalId;
        record.actionClass = outcome.actionClass;
        const waitMs = Math.min(this.options.approvalTimeoutMs, outcome.expiresAt.getTime() - Date.now());
        const decided = await decisions.waitFor(outcome.approvalId, waitMs, signal);
        if (!decided)
          return { ...record, status: 'expired', output: 'No admin decided on the approval request in time; the action did not run.' };
        if (decided.status === 'approved') {
          return {
            ...record,
            status: decided.actionStatus === 'completed' ? 'completed' : 'failed',
            actionId: decided.actionId,
            output: { approvedBy: decided.decidedBy?.name ?? null, comment: decided.comment, actionStatus: decided.actionStatus },
          };
        }
        const by = decided.decidedBy ? ` by ${decided.decidedBy.name}` : '';
        return {
          ...record,
          status: decided.status,
          output: `The approval request was ${decided.status}${by}${decided.comment ? `: ${decided.comment}` : ''}; the action did not run.`,
        };
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
  private async askToConfirm(
    request: AgentRunRequest,
    ask: NonNullable<AgentRunRequest['confirm']>,
    pending: PendingConfirmation,
    signal: AbortSignal,
  ): Promise<ConfirmationDecision> {
    request.onEvent({ type: 'confirmation-required', toolCallId: pending.toolCallId, request: pending.request });
    const decision = await waitForAnswer(ask, pending, signal);
    request.onEvent({
      type: 'confirmation-decided',
      toolCallId: pending.toolCallId,
      confirmationId: pending.request.confirmationId,
      decision,
    });
    return decision;
  }
}
