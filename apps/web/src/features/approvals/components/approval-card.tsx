import { Link } from '@tanstack/react-router';
import { ActionStatus } from '../../../components/governance/action-status';
import { ClassBadge } from '../../../components/governance/class-badge';
import { Countdown } from '../../../components/governance/countdown';
import { ApiError } from '../../../lib/api-error';
import { formatFullTime, formatRelativeTime } from '../../../lib/relative-time';
import { isUuid } from '@aegis/contracts';
import { useApproveApproval, useRejectApproval } from '../api/decide-approval';
import type { Approval } from '../api/get-approvals';
import { ApprovalArguments } from './approval-arguments';
import { decisionSentence, refusalWords, requesterWords, statusKind } from './approval-words';
import { DecisionPanel } from './decision-panel';

function Origin({ approval }: { approval: Approval }) {
  switch (approval.origin) {
    case 'chat':
      return approval.conversationId && isUuid(approval.conversationId) ? (
        <Link to="/c/$conversationId" params={{ conversationId: approval.conversationId }}>
          a chat run (open the conversation)
        </Link>
      ) : (
        <>a chat run</>
      );
    case 'http':
      return <>an HTTP request</>;
    case 'api_key':
      return <>an API key</>;
  }
}

function RequestId({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.requestId) return null;
  return (
    <p className="approval-card__request-id muted">
      Request id <span className="mono">{error.requestId}</span>
    </p>
  );
}

/**
 * One approval request: who asked, for which tool and class, the exact arguments, why, from
 * where, and the time left; while pending, the decision. A refusal stays on the card in words.
 */
export function ApprovalCard({ approval }: { approval: Approval }) {
  const approve = useApproveApproval();
  const reject = useRejectApproval();
  const requester = requesterWords(approval);
  const pending = approval.status === 'pending';
  const decided = decisionSentence(approval);
  const refusal = approve.error ?? reject.error;
  const working = approve.isPending || reject.isPending;

  return (
    <article
      className="approval-card"
      aria-label={`Approval request: ${approval.tool}`}
      data-approval-id={approval.id}
      data-status={approval.status}
    >
      <header className="approval-card__header">
        <h2 className="approval-card__title">
          <span className="mono">{approval.tool}</span>
        </h2>
        <ClassBadge actionClass={approval.actionClass} />
        <ActionStatus status={statusKind(approval.status)} />
      </header>

      <dl className="approval-card__facts">
        <div>
          <dt>Requested by</dt>
          <dd>
            <strong>{requester.name}</strong> <span className="muted">({requester.kind})</span>{' '}
            <span className="tag">{requester.role}</span>
          </dd>
        </div>
        <div>
          <dt>From</dt>
          <dd>
            <Origin approval={approval} />
          </dd>
        </div>
        <div>
          <dt>Asked</dt>
          <dd>
            <time dateTime={approval.createdAt} title={formatFullTime(approval.createdAt)}>
              {formatRelativeTime(approval.createdAt)}
            </time>
          </dd>
        </div>
        {pending ? (
          <div>
            <dt>Expires</dt>
            <dd>
              <Countdown expiresAt={approval.expiresAt} prefix="in" />
            </dd>
          </div>
        ) : null}
      </dl>

      <figure className="approval-card__justification">
        <figcaption>Justification</figcaption>
        <blockquote>{approval.justification}</blockquote>
      </figure>

      <ApprovalArguments args={approval.args} argsSha256={approval.argsSha256} />

      {decided ? (
        <div className="approval-card__decision" role="status">
          <p>{decided}</p>
          {approval.comment && approval.status !== 'rejected' && approval.status !== 'expired' ? (
            <p className="muted">Comment: {approval.comment}</p>
          ) : null}
          {approval.comment && approval.status === 'rejected' ? <p className="muted">Reason: {approval.comment}</p> : null}
          {approval.actionId ? (
            <p className="muted">
              Action <span className="mono">{approval.actionId}</span>
            </p>
          ) : null}
        </div>
      ) : null}

      {refusal ? (
        <div className="alert alert--error" role="alert">
          <p>{refusalWords(refusal, approval)}</p>
          <RequestId error={refusal} />
        </div>
      ) : null}

      {pending ? (
        <DecisionPanel
          tool={approval.tool}
          pending={working}
          onApprove={(comment) => {
            reject.reset();
            approve.mutate({ id: approval.id, comment });
          }}
          onReject={(reason) => {
            approve.reset();
            reject.mutate({ id: approval.id, reason });
          }}
        />
      ) : null}
    </article>
  );
}
