import type { ChatMessageView, MessageSendAck, RunErrorEvent } from '@aegis/contracts';
import { CheckFailed, expectStatus } from '../api-client';
import { isRecord, passed, type SmokeCheck } from '../check';
import { type SocketEvent, SocketIoClient } from '../socket-io-client';

const PROMPT = 'This is an automated smoke test of Aegis. Reply with the single word: pong. Do not use any tool.';
const SNIPPET_LENGTH = 60;

type TurnEnd = { kind: 'completed'; message: ChatMessageView } | { kind: 'error'; error: RunErrorEvent };

function turnEnd(runId: string, socket: SocketIoClient) {
  return (event: SocketEvent): TurnEnd | undefined => {
    if (!isRecord(event.payload)) return undefined;
    if (event.name === 'message:completed' && event.payload['runId'] === runId && isRecord(event.payload['message'])) {
      return { kind: 'completed', message: event.payload['message'] as unknown as ChatMessageView };
    }
    if (event.name === 'run:error' && (event.payload['runId'] === runId || event.payload['runId'] === null)) {
      return { kind: 'error', error: event.payload as unknown as RunErrorEvent };
    }
    // The agent was told not to use tools; if it asks to anyway, say no so that the turn ends.
    if (event.name === 'confirmation:required' && event.payload['runId'] === runId) {
      socket.emit('action:confirm', { id: event.payload['confirmationId'], decision: 'declined' });
    }
    return undefined;
  };
}

/**
 * 6. (--chat) One agent turn over the `/chat` socket, the way the web app sends it (there is no HTTP
 * chat route): message:send, then message:completed for the run. The conversation is deleted afterwards.
 */
export const chatCheck: SmokeCheck = {
  name: 'chat',
  needs: ['identity'],
  async run(context) {
    const { options, api } = context;
    const deadline = Date.now() + options.timeoutMs;
    const socket = await SocketIoClient.connect(api.baseUrl, '/chat', { Authorization: `Bearer ${options.apiKey}` }, options.timeoutMs);
    let started: { conversationId: string; runId: string } | undefined;
    let detail: string;
    try {
      const ack = (await socket.emitWithAck('message:send', { content: PROMPT }, options.timeoutMs)) as MessageSendAck | undefined;
      if (!ack?.ok) throw new CheckFailed(`message:send was refused: ${ack ? `${ack.code}: ${ack.message}` : 'no acknowledgement'}`);
      started = ack;
      const end = await socket.waitFor(turnEnd(ack.runId, socket), deadline, `end of the agent turn within ${options.timeoutMs / 1000} s`);
      if (end.kind === 'error') throw new CheckFailed(`the agent turn failed: ${end.error.code}: ${end.error.message}`);
      const { message } = end;
      if (message.status !== 'completed') throw new CheckFailed(`the agent turn ended ${String(message.status)}`);
      const snippet = message.content.trim().replace(/\s+/g, ' ');
      const quoted = snippet.length > SNIPPET_LENGTH ? `${snippet.slice(0, SNIPPET_LENGTH)}…` : snippet;
      const tokens = message.inputTokens + message.outputTokens;
      detail = `${message.provider ?? 'a provider'}/${message.model ?? 'a model'} answered "${quoted}" (${tokens} tokens)`;
    } catch (error) {
      // Best effort: stop the run and remove its conversation, then report the first failure.
      if (started) socket.emit('run:cancel', { runId: started.runId });
      socket.close();
      if (started) await api.delete(`/conversations/${started.conversationId}`).catch(() => undefined);
      throw error;
    }
    socket.close();
    expectStatus(await api.delete(`/conversations/${started.conversationId}`), 204, 'DELETE /api/conversations/:id');
    return passed(detail);
  },
};
