// npm run bench -- agent: orchestration overhead per ReAct step of the agent (AgentRunner), beside
// LangGraph.js's prebuilt ReAct agent (createReactAgent) on the same instant scripted model.
// Target: AgentRunner median ≤ 2 ms per step.
//
// Each run is TOOL_STEPS model turns that each ask for one tool call, then a final answer turn:
// STEPS = TOOL_STEPS + 1 model turns; per-step time = run time / STEPS. The model is in-process and
// answers at once (no network, no tokens generated): the turn it gives depends only on how many tool
// results the conversation already holds, so both agents see the same script. Tools are no-ops.
//
// Stand-ins on the Aegis side, as in libs/agent/src/lib/agent-runner.spec.ts: the cascade is an
// object with just `stream()` (an async generator of ProviderStreamEvents: model-selected, a
// tool-call or text-delta, finish); the registry is `{ list, execute }` with one Read tool whose
// execute resolves an `executed` outcome at once (no policy, audit, database or sandbox); the
// events are the real GovernanceEvents. Everything else is the real AgentRunner.
import { cpus } from 'node:os';
import { AgentRunner } from '@aegis/agent';
import { ActionClass, Role } from '@aegis/contracts';
import { type ExecutionOutcome, GovernanceEvents } from '@aegis/governance';
import type { ChatMessage, ProviderStreamEvent, ProviderStreamRequest } from '@aegis/providers';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { tool } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { measure, percentile, round, row, report, type Row } from './stats';

const RUNS = 200;
const WARMUP = 30;
const TOOL_STEPS = 5;
const STEPS = TOOL_STEPS + 1;
const TARGET_MEDIAN_MS = 2;
const TOOL = 'read_file';
const ANSWER = 'done';

const perStep = (samples: number[]) => samples.map((ms) => ms / STEPS);

// ── Aegis: AgentRunner with a scripted cascade and an in-memory registry ──────────────────────────

const usage = { inputTokens: 10, outputTokens: 5 };
const selected: ProviderStreamEvent = { type: 'model-selected', provider: 'openai', model: 'scripted', attempts: 1 };

/** The script: a tool call while fewer than TOOL_STEPS tool results are in the conversation, then the answer. */
function scriptedTurn(messages: readonly ChatMessage[]): ProviderStreamEvent[] {
  const results = messages.filter((message) => message.role === 'tool').length;
  if (results < TOOL_STEPS) {
    return [
      selected,
      { type: 'tool-call', toolCallId: `call-${results}`, toolName: TOOL, input: { path: `/srv/file-${results}` } },
      { type: 'finish', provider: 'openai', model: 'scripted', finishReason: 'tool-calls', usage, costMicroDollars: 1 },
    ];
  }
  return [
    selected,
    { type: 'text-delta', text: ANSWER },
    { type: 'finish', provider: 'openai', model: 'scripted', finishReason: 'stop', usage, costMicroDollars: 1 },
  ];
}

const scriptedCascade = {
  stream(request: ProviderStreamRequest): AsyncGenerator<ProviderStreamEvent, void, undefined> {
    const events = scriptedTurn(request.messages);
    return (async function* () {
      for (const event of events) yield await Promise.resolve(event);
    })();
  },
};

const executed: ExecutionOutcome = {
  kind: 'executed',
  actionId: 'a',
  actionClass: ActionClass.Read,
  result: { status: 'completed', actionClass: ActionClass.Read, output: 'contents', verification: null, rollback: { available: false } },
};
const registry = {
  list: () => [
    {
      name: TOOL,
      description: 'Read a file',
      actionClass: ActionClass.Read,
      minRole: Role.Viewer,
      argsSchema: { type: 'object', properties: { path: { type: 'string' } } },
    },
  ],
  execute: () => Promise.resolve(executed),
};
const runner = new AgentRunner(scriptedCascade, registry, new GovernanceEvents(), {
  limits: { maxSteps: 100, maxTokens: 1_000_000, deadlineMs: 60_000 },
  approvalTimeoutMs: 1_000,
  systemPrompt: 'sys',
});
const caller = { actor: { type: 'user' as const, id: 'u1', name: 'bench' }, userId: 'u1', role: Role.Operator };
const runId = '3f2a1c5e-8d4b-4c1a-9e7f-2b6d8a0c4e11';

async function aegisRun(): Promise<void> {
  const result = await runner.run({
    caller,
    runId,
    conversationId: 'c',
    messages: [{ role: 'user', content: 'read the files' }],
    signal: new AbortController().signal,
    onEvent: () => undefined,
  });
  if (result.status !== 'completed' || result.steps !== STEPS || result.toolCalls.length !== TOOL_STEPS || result.text !== ANSWER) {
    throw new Error(`aegis: unexpected run ${JSON.stringify({ status: result.status, steps: result.steps, error: result.error })}`);
  }
}

/** The floor: the same scripted turns and tool calls, read and called in a plain loop without any agent. */
async function aegisFloor(): Promise<void> {
  const messages: ChatMessage[] = [{ role: 'user', content: 'read the files' }];
  for (let step = 0; step < STEPS; step++) {
    let call: { toolCallId: string; toolName: string } | undefined;
    for await (const event of scriptedCascade.stream({ messages } as ProviderStreamRequest)) if (event.type === 'tool-call') call = event;
    if (!call) return;
    const outcome = await registry.execute();
    messages.push({
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output: outcome.kind, isError: false }],
    });
  }
}

// ── LangGraph: createReactAgent with a scripted BaseChatModel and a trivial tool ─────────────────

class ScriptedChatModel extends BaseChatModel {
  _llmType(): string {
    return 'scripted';
  }

  /** The tools are fixed by the script; binding changes nothing (as FakeListChatModel-style fakes do). */
  override bindTools(): this {
    return this;
  }

  _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const results = messages.filter((message) => ToolMessage.isInstance(message)).length;
    const message =
      results < TOOL_STEPS
        ? new AIMessage({
            content: '',
            tool_calls: [{ id: `call-${results}`, name: TOOL, args: { path: `/srv/file-${results}` }, type: 'tool_call' }],
          })
        : new AIMessage({ content: ANSWER });
    return Promise.resolve({ generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] });
  }
}

const readFile = tool(() => 'contents', {
  name: TOOL,
  description: 'Read a file',
  schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
});
const scriptedModel = new ScriptedChatModel({});
const graph = createReactAgent({ llm: scriptedModel, tools: [readFile] });

async function langGraphRun(): Promise<void> {
  const state = await graph.invoke({ messages: [new HumanMessage('read the files')] });
  const last = state.messages.at(-1);
  const tools = state.messages.filter((message) => ToolMessage.isInstance(message)).length;
  if (tools !== TOOL_STEPS || !last || last.content !== ANSWER || state.messages.length !== 2 + 2 * TOOL_STEPS) {
    throw new Error(`langgraph: unexpected run (${state.messages.length} messages, ${tools} tool results)`);
  }
}

/** The floor: the same model turns and tool calls through their invoke() methods, without the graph. */
async function langGraphFloor(): Promise<void> {
  const messages: BaseMessage[] = [new HumanMessage('read the files')];
  for (let step = 0; step < STEPS; step++) {
    const reply = await scriptedModel.invoke(messages);
    messages.push(reply);
    const call = reply.tool_calls?.[0];
    if (!call) return;
    messages.push(new ToolMessage({ tool_call_id: call.id ?? '', content: String(await readFile.invoke(call.args as { path: string })) }));
  }
}

// ── Measure ────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  // Each client is measured twice, alternating, so drift (JIT, GC, CPU clock) hits both alike.
  const samples = { aegis: [] as number[], langGraph: [] as number[], aegisFloor: [] as number[], langGraphFloor: [] as number[] };
  for (let round = 0; round < 2; round++) {
    samples.aegis.push(...(await measure(RUNS / 2, aegisRun, WARMUP)));
    samples.langGraph.push(...(await measure(RUNS / 2, langGraphRun, WARMUP)));
    samples.aegisFloor.push(...(await measure(RUNS / 2, aegisFloor, WARMUP)));
    samples.langGraphFloor.push(...(await measure(RUNS / 2, langGraphFloor, WARMUP)));
  }
  const aegis = perStep(samples.aegis);
  const langGraph = perStep(samples.langGraph);
  const median = (values: number[]) => percentile(values, 50);
  const rows: Row[] = [
    row('Aegis AgentRunner, per step', aegis, {
      medianUs: round(median(aegis) * 1000, 1),
      runMedianMs: round(median(samples.aegis)),
      target: median(aegis) <= TARGET_MEDIAN_MS,
    }),
    row('LangGraph createReactAgent, per step', langGraph, {
      medianUs: round(median(langGraph) * 1000, 1),
      runMedianMs: round(median(samples.langGraph)),
      timesAegis: round(median(langGraph) / median(aegis), 0),
    }),
    row('floor: scripted cascade + registry stub, no agent, per step', perStep(samples.aegisFloor), {
      medianUs: round(median(perStep(samples.aegisFloor)) * 1000, 1),
      runMedianMs: round(median(samples.aegisFloor)),
    }),
    row('floor: scripted chat model + tool invoke(), no graph, per step', perStep(samples.langGraphFloor), {
      medianUs: round(median(perStep(samples.langGraphFloor)) * 1000, 1),
      runMedianMs: round(median(samples.langGraphFloor)),
    }),
  ];
  report('agent', rows, [
    `${RUNS} runs per agent (two alternating halves, ${WARMUP} warm-up runs before each), each run ${TOOL_STEPS} tool steps + 1 final answer = ${STEPS} model turns; per step = run time / ${STEPS}.`,
    'Model: in-process, instant, scripted by the number of tool results so far (tool call, then the answer). Tools: no-ops returning a constant.',
    'Aegis stand-ins (as in agent-runner.spec.ts): cascade = object with stream() only; registry = { list, execute } resolving an executed outcome at once (no policy, audit, DB or sandbox); real GovernanceEvents.',
    'LangGraph: @langchain/langgraph createReactAgent (prebuilt, no checkpointer), a custom BaseChatModel whose bindTools() returns itself, a tool() from @langchain/core.',
    'Floor rows: the same model turns and tool calls driven by a plain loop, to show what the agents add on top.',
    `This machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`,
    `Target: Aegis median ≤ ${TARGET_MEDIAN_MS} ms per step (target = met).`,
  ]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
