import type { ApiComponents, ApprovalDecidedEvent, ApprovalRequiredEvent, MessageSendAck } from '@aegis/contracts';
import { answer } from '@aegis/testing';
import { DataSource } from 'typeorm';
import type { ChatClient, RedteamServer, RedteamUser } from '../redteam/redteam-server';
import { errorOf, RECORD_JUSTIFICATION, requestRecordRun, startCockpitServer } from '../testing/cockpit-server';
import { SocketRecorder } from '../testing/socket-recorder';

// The admin cockpit's approvals, server side (issue 12), against the whole API on a loopback port and a
// real PostgreSQL: approval events for every admin's sockets, and the approvals queue with its history
// tabs. The audit side is audit.integration-spec.ts.

type Schemas = ApiComponents['schemas'];
type Approval = Schemas['ApprovalDto'];
type ApprovalList = Schemas['ApprovalListDto'];

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

describe('approvals for the admin cockpit', () => {
  let server: RedteamServer;
  let dataSource: DataSource;

  const list = async (query: string): Promise<ApprovalList> =>
    (await server.as('root').get(`/api/approvals?${query}`).expect(200)).body as ApprovalList;
  const requestCritical = (who: RedteamUser, marker: string): Promise<string> => requestRecordRun(server, who, marker);
  const userId = async (username: string): Promise<string> => {
    const users = ((await server.as('root').get('/api/users').expect(200)).body as Schemas['UserListDto']).items;
    const user = users.find((item) => item.username === username);
    if (!user) throw new Error(`no user ${username}`);
    return user.id;
  };
  const listen = async (who: RedteamUser): Promise<{ socket: ChatClient; recorder: SocketRecorder }> => {
    const socket = await server.socket(who);
    return { socket, recorder: new SocketRecorder(socket) };
  };
  const count = (recorder: SocketRecorder, name: string, approvalId: string) =>
    recorder.events.filter((event) => event.name === name && (event.payload as { approvalId: string }).approvalId === approvalId).length;
  beforeAll(async () => {
    server = await startCockpitServer();
    dataSource = server.app.get(DataSource);
  });

  afterAll(async () => {
    await server?.close();
  });

  describe("the admins' room", () => {
    it("sends an HTTP request's approval events to every admin socket once, to the requester, and never to another operator", async () => {
      const root = await listen('root');
      const rootSecondTab = await listen('root');
      const admin2 = await listen('admin2');
      const opal = await listen('opal');
      const otto = await listen('otto');
      const vera = await listen('vera');

      const requiredByAll = [root, rootSecondTab, admin2, opal].map(({ recorder }) =>
        recorder.next<ApprovalRequiredEvent>('approval:required'),
      );
      const approvalId = await requestCritical('opal', 'room-http');
      for (const event of await Promise.all(requiredByAll)) {
        expect(event).toMatchObject({
          approvalId,
          tool: 'execute_command',
          actionClass: 'CRITICAL',
          runId: null,
          toolCallId: null,
          requestedBy: { name: 'opal' },
        });
      }

      const decidedByAll = [root, rootSecondTab, admin2, opal].map(({ recorder }) =>
        recorder.next<ApprovalDecidedEvent>('approval:decided'),
      );
      await server.as('root').post(`/api/approvals/${approvalId}/reject`, { reason: 'not during the freeze' }).expect(200);
      for (const event of await Promise.all(decidedByAll))
        expect(event).toMatchObject({ approvalId, status: 'rejected', comment: 'not during the freeze', decidedBy: { name: 'root' } });
      await settle();

      for (const { recorder } of [root, rootSecondTab, admin2, opal]) {
        expect(count(recorder, 'approval:required', approvalId)).toBe(1);
        expect(count(recorder, 'approval:decided', approvalId)).toBe(1);
      }
      // Someone else's request reaches neither another operator nor a viewer.
      for (const { recorder } of [otto, vera]) expect(recorder.names().filter((name) => name.startsWith('approval:'))).toEqual([]);
      for (const { socket } of [root, rootSecondTab, admin2, opal, otto, vera]) socket.disconnect();
    });

    it("sends a chat run's approval events once to an admin who is also in the conversation's room", async () => {
      const root = await listen('root');
      const admin2 = await listen('admin2');
      const otto = await listen('otto');
      server.fake.enqueue(
        'openai',
        answer({
          toolCalls: [
            {
              id: 'call_room',
              name: 'execute_command',
              arguments: { command: 'python3 record.py room-chat', justification: RECORD_JUSTIFICATION },
            },
          ],
        }),
        answer({ text: ['Recorded.'] }),
      );
      const required = root.recorder.next<ApprovalRequiredEvent>('approval:required');
      const requiredForAdmin2 = admin2.recorder.next<ApprovalRequiredEvent>('approval:required');
      const completed = root.recorder.next('message:completed');
      const ack = await new Promise<MessageSendAck>((resolve) =>
        root.socket.emit('message:send', { content: 'Record a run, please.' }, resolve),
      );
      if (!ack.ok) throw new Error(`not started: ${ack.message}`);
      const event = await required;
      expect(event).toMatchObject({ runId: ack.runId, toolCallId: 'call_room' });
      await requiredForAdmin2;

      // Four eyes: root asked (through the agent), so root may not decide; admin2 may.
      const own = await server.as('root').post(`/api/approvals/${event.approvalId}/approve`, { comment: 'mine' }).expect(403);
      expect(errorOf(own)).toMatchObject({
        code: 'SELF_APPROVAL_FORBIDDEN',
        message: 'You asked for this action; another admin must approve it (GOVERNANCE_FOUR_EYES is on)',
      });
      const [item] = (await list('status=pending')).items.filter((approval) => approval.id === event.approvalId);
      expect(item).toMatchObject({
        origin: 'chat',
        runId: ack.runId,
        conversationId: ack.conversationId,
        requestedBy: { name: 'root', role: 'admin', type: 'user' },
      });

      await server.as('admin2').post(`/api/approvals/${event.approvalId}/approve`, { comment: 'go ahead' }).expect(200);
      await completed;
      await settle();
      expect(count(root.recorder, 'approval:required', event.approvalId)).toBe(1);
      expect(count(root.recorder, 'approval:decided', event.approvalId)).toBe(1);
      expect(count(admin2.recorder, 'approval:decided', event.approvalId)).toBe(1);
      // The decision comes before the call's result, as before.
      const names = root.recorder.names();
      expect(names.indexOf('approval:decided')).toBeLessThan(names.indexOf('tool:result'));
      expect(otto.recorder.names().filter((name) => name.startsWith('approval:'))).toEqual([]);

      const again = await server.as('admin2').post(`/api/approvals/${event.approvalId}/approve`, { comment: 'twice' }).expect(409);
      expect(errorOf(again)).toMatchObject({
        code: 'APPROVAL_NOT_PENDING',
        message: expect.stringMatching(/^Already approved by admin2 at \d{4}-\d\d-\d\dT[\d:.]+Z; the action has run$/) as unknown,
      });
      for (const { socket } of [root, admin2, otto]) socket.disconnect();
    });

    it('stops sending approval events to a socket whose admin lost the role', async () => {
      const admin2 = await listen('admin2');
      const root = await listen('root');
      const admin2Id = await userId('admin2');
      await server.as('root').patch(`/api/users/${admin2Id}`, { role: 'operator' }).expect(200);

      const seenByRoot = root.recorder.next<ApprovalRequiredEvent>('approval:required');
      const told = admin2.recorder.next<{ code: string }>('run:error');
      const dropped = new Promise<string>((resolve) => admin2.socket.once('disconnect', resolve));
      const approvalId = await requestCritical('opal', 'room-demoted');
      await seenByRoot;
      // The idle socket is told its session ended and is disconnected; the client renews and reconnects as what it now is.
      expect(await told).toMatchObject({ code: 'SESSION_EXPIRED' });
      expect(await dropped).toBe('io server disconnect');
      await settle();
      expect(count(admin2.recorder, 'approval:required', approvalId)).toBe(0);

      // Even once the role is back, that socket stays out: it ended with the role it connected with.
      await server.as('root').patch(`/api/users/${admin2Id}`, { role: 'admin' }).expect(200);
      const next = await requestCritical('opal', 'room-restored');
      await root.recorder.find<ApprovalRequiredEvent>('approval:required', (event) => event.approvalId === next);
      await settle();
      expect(count(admin2.recorder, 'approval:required', next)).toBe(0);
      server.sessions.admin2 = await server.login('admin2');
      // A new sign-in with the role back is an admin socket again.
      const again = await listen('admin2');
      const heard = again.recorder.next<ApprovalRequiredEvent>('approval:required');
      const third = await requestCritical('opal', 'room-rejoined');
      expect(await heard).toMatchObject({ approvalId: third });
      for (const { socket } of [admin2, root, again]) socket.disconnect();
    });
  });

  describe('GET /api/approvals', () => {
    it('pages newest first, filters the history tabs, and says where each request came from', async () => {
      const ids: string[] = [];
      for (const marker of ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']) ids.push(await requestCritical('opal', marker));
      const key = await server.apiKey('otto');
      const viaKey = await server
        .withKey(key)
        .post('/api/tools/execute_command/execute', {
          args: { command: 'python3 record.py page-key' },
          justification: RECORD_JUSTIFICATION,
        })
        .expect(202);
      const keyApproval = (viaKey.body as Schemas['PendingApprovalDto']).approvalId;

      await server.as('root').post(`/api/approvals/${ids[0]}/reject`, { reason: 'duplicate of another request' }).expect(200);
      // A comment is optional on an approval (a rejection needs its reason).
      const approved = await server.as('root').post(`/api/approvals/${ids[1]}/approve`, {}).expect(200);
      await dataSource.query(`UPDATE approval_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [ids[2]]);

      // The queue, one at a time: newest first, every page linked to the next.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApprovalList = await list(`status=pending&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.indexOf(keyApproval)).toBeLessThan(seen.indexOf(ids[4]));
      expect(seen.indexOf(ids[4])).toBeLessThan(seen.indexOf(ids[3]));
      expect(seen).not.toContain(ids[0]);
      expect(seen).not.toContain(ids[2]);
      const byId = new Map((await list('status=pending&limit=200')).items.map((item) => [item.id, item]));
      expect(byId.get(keyApproval)).toMatchObject({
        origin: 'api_key',
        conversationId: null,
        runId: null,
        requestedBy: { type: 'api_key', name: 'otto', role: 'operator' },
      });
      expect(byId.get(ids[4])).toMatchObject({
        origin: 'http',
        tool: 'execute_command',
        actionClass: 'CRITICAL',
        args: { command: 'python3 record.py page-5' },
        justification: RECORD_JUSTIFICATION,
        requestedBy: { type: 'user', name: 'opal', role: 'operator' },
        status: 'pending',
        decidedBy: null,
        actionId: null,
        actionStatus: null,
      });
      const pending = byId.get(ids[4]) as Approval;
      expect(new Date(pending.expiresAt).getTime()).toBeGreaterThan(new Date(pending.createdAt).getTime());

      // The history tabs.
      const approvedTab = await list('status=approved,executing,executed,failed');
      expect(approvedTab.items.find((item) => item.id === ids[1])).toMatchObject({
        status: 'executed',
        decidedBy: { name: 'root' },
        comment: null,
        actionId: (approved.body as Schemas['ExecutedActionDto']).actionId,
        actionStatus: 'completed',
      });
      expect(approvedTab.items.every((item) => ['approved', 'executing', 'executed', 'failed'].includes(item.status))).toBe(true);
      // Repeated parameters work as well as commas.
      expect((await list('status=rejected&status=expired')).items.map((item) => item.id)).toEqual(expect.arrayContaining([ids[0], ids[2]]));
      expect((await list('status=rejected')).items.find((item) => item.id === ids[0])).toMatchObject({
        comment: 'duplicate of another request',
        decidedBy: { name: 'root' },
      });
      expect((await list('status=expired')).items.find((item) => item.id === ids[2])).toMatchObject({ status: 'expired', decidedBy: null });

      // Decisions explained in words.
      const rejectedAgain = await server.as('admin2').post(`/api/approvals/${ids[0]}/approve`, { comment: 'after all' }).expect(409);
      expect(errorOf(rejectedAgain).message).toMatch(/^Already rejected by root at .+Z: duplicate of another request$/);
      const late = await server.as('admin2').post(`/api/approvals/${ids[2]}/approve`, { comment: 'late' }).expect(410);
      expect(errorOf(late)).toMatchObject({
        code: 'APPROVAL_EXPIRED',
        message: expect.stringMatching(/^This request expired at .+Z without a decision; it can no longer run$/) as unknown,
      });

      // Bad input and the wrong role.
      expect(errorOf(await server.as('root').get('/api/approvals?status=done').expect(400)).code).toBe('VALIDATION_FAILED');
      expect(errorOf(await server.as('root').get('/api/approvals?cursor=bm90LWEtY3Vyc29y').expect(400)).message).toBe(
        'cursor must be the nextCursor of a previous page',
      );
      await server.as('root').get('/api/approvals?limit=0').expect(400);
      await server.as('opal').get('/api/approvals').expect(403);
    });
  });
});
