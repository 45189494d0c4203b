import { ACTION_CLASSES } from '@aegis/contracts';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ActionStatus } from '../../../components/governance/action-status';
import { ClassBadge } from '../../../components/governance/class-badge';
import { formatDateTime } from '../../../lib/format';
import { formatRelativeTime } from '../../../lib/relative-time';
import { useActions, type ActionItem } from '../api/get-actions';
import { useTools } from '../api/get-tools';
import { ACTION_STATUSES, VERIFICATION_STATES, type ActionsSearch } from '../search';
import { RequestError } from './request-error';
import { RollbackControl } from './rollback-control';
import './tools.css';

const STATUS_WORDS: Record<(typeof ACTION_STATUSES)[number], string> = { running: 'Running', completed: 'Completed', failed: 'Failed' };
const VERIFICATION_WORDS: Record<(typeof VERIFICATION_STATES)[number], string> = {
  verified: 'Verified',
  failed: 'Verification failed',
  none: 'Not checked',
};

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelativeTime(iso)}
    </time>
  );
}

function actorWords(action: ActionItem): string {
  const name = action.actor.name ?? action.actor.id ?? 'unknown';
  if (action.actor.type === 'system') return 'the system';
  return action.actor.type === 'api_key' ? `${name} (API key)` : name;
}

function ActionRow({ action }: { action: ActionItem }) {
  const verification = action.verificationState;
  return (
    <tr
      data-action-id={action.id}
      data-tool={action.tool}
      data-status={action.status}
      data-verification={verification}
      data-rolled-back={action.rolledBackAt ? 'true' : undefined}
    >
      <td data-label="When">
        <When iso={String(action.createdAt)} />
      </td>
      <th scope="row" data-label="Tool">
        <span className="mono">{action.tool}</span>
        <span className="actions-table__id mono muted" title={action.id}>
          {action.id.slice(0, 8)}
        </span>
      </th>
      <td data-label="Class">
        <ClassBadge actionClass={action.actionClass} />
      </td>
      <td data-label="Who">
        {actorWords(action)} <span className="muted">({action.actor.role})</span>
      </td>
      <td data-label="Status">
        {/* A failure's reason is in the summary beside it. */}
        <ActionStatus status={action.status} />
      </td>
      <td data-label="Verification">
        <span className={`actions-verification actions-verification--${verification}`} title={action.verification?.detail}>
          {VERIFICATION_WORDS[verification]}
        </span>
      </td>
      <td data-label="Summary" className="actions-table__summary">
        {/* The status has its own column: the summary adds only what follows it ("completed; verified: …"). */}
        {action.summary === action.status ? null : action.summary}
        {action.rolledBackAt ? (
          <span className="actions-table__rolled-back">
            Rolled back{action.rolledBackByName ? ` by ${action.rolledBackByName}` : ''} <When iso={String(action.rolledBackAt)} />
          </span>
        ) : null}
      </td>
      <td data-label="Undo" className="actions-table__undo">
        <RollbackControl action={action} />
      </td>
    </tr>
  );
}

function Filters({ search }: { search: ActionsSearch }) {
  const navigate = useNavigate({ from: '/actions' });
  const tools = useTools();
  const [actor, setActor] = useState(search.actor ?? '');
  const update = (changes: Partial<ActionsSearch>) => void navigate({ search: (previous) => ({ ...previous, ...changes }) });
  const applyActor = (event: FormEvent) => {
    event.preventDefault();
    update({ actor: actor.trim() || undefined });
  };
  const toolNames = tools.data?.items.map((tool) => tool.name) ?? (search.tool ? [search.tool] : []);
  const filtered = Object.values(search).some((value) => value !== undefined);

  return (
    <form className="actions-filters" onSubmit={applyActor} aria-label="Filter actions">
      <div className="field">
        <label htmlFor="actions-actor">Who</label>
        <input
          id="actions-actor"
          type="search"
          placeholder="username or id"
          value={actor}
          onChange={(event) => setActor(event.target.value)}
          onBlur={() => actor.trim() !== (search.actor ?? '') && update({ actor: actor.trim() || undefined })}
        />
      </div>
      <div className="field">
        <label htmlFor="actions-tool">Tool</label>
        <select id="actions-tool" value={search.tool ?? ''} onChange={(event) => update({ tool: event.target.value || undefined })}>
          <option value="">Any tool</option>
          {toolNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="actions-class">Class</label>
        <select
          id="actions-class"
          value={search.class ?? ''}
          onChange={(event) =>
            update({
              class: (ACTION_CLASSES as readonly string[]).includes(event.target.value)
                ? (event.target.value as ActionsSearch['class'])
                : undefined,
            })
          }
        >
          <option value="">Any class</option>
          {ACTION_CLASSES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="actions-status">Status</label>
        <select
          id="actions-status"
          value={search.status ?? ''}
          onChange={(event) => update({ status: ACTION_STATUSES.find((status) => status === event.target.value) })}
        >
          <option value="">Any status</option>
          {ACTION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_WORDS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="actions-verification">Verification</label>
        <select
          id="actions-verification"
          value={search.verification ?? ''}
          onChange={(event) => update({ verification: VERIFICATION_STATES.find((state) => state === event.target.value) })}
        >
          <option value="">Any</option>
          {VERIFICATION_STATES.map((state) => (
            <option key={state} value={state}>
              {VERIFICATION_WORDS[state]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="actions-rollbackable">Can be undone</label>
        <select
          id="actions-rollbackable"
          value={search.rollbackable === undefined ? '' : String(search.rollbackable)}
          onChange={(event) => update({ rollbackable: event.target.value === '' ? undefined : event.target.value === 'true' })}
        >
          <option value="">Either</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="actions-from">From</label>
        <input
          id="actions-from"
          type="date"
          value={search.from ?? ''}
          max={search.to}
          onChange={(event) => update({ from: event.target.value || undefined })}
        />
      </div>
      <div className="field">
        <label htmlFor="actions-to">To</label>
        <input
          id="actions-to"
          type="date"
          value={search.to ?? ''}
          min={search.from}
          onChange={(event) => update({ to: event.target.value || undefined })}
        />
      </div>
      <div className="form-actions actions-filters__buttons">
        <button className="button button--small" type="submit">
          Apply
        </button>
        {filtered ? (
          <button
            className="button button--small button--link"
            type="button"
            onClick={() => {
              setActor('');
              void navigate({ search: {} });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The actions history: filters in the URL, newest first, older pages on demand, and rollback where it is possible. */
export function ActionsPage() {
  const search = useSearch({ from: '/actions' });
  const actions = useActions(search);
  const items = actions.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="actions-page">
      <Filters key={search.actor ?? ''} search={search} />
      {actions.isPending ? (
        <div className="tools-skeleton" aria-busy="true" aria-label="Loading the actions">
          {[0, 1, 2, 3].map((row) => (
            <span key={row} className="skeleton tools-skeleton__row" />
          ))}
        </div>
      ) : !actions.data ? (
        <RequestError error={actions.error} context="Could not load the actions" />
      ) : items.length === 0 ? (
        <p className="actions-empty muted">
          {Object.keys(search).length > 0
            ? 'No actions match these filters. Change or clear them to see more.'
            : 'No actions yet. Run a tool from Tools, or ask the agent in Chat to do something.'}
        </p>
      ) : (
        <>
          <table className="data-table stack-table actions-table" aria-label="Actions">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Tool</th>
                <th scope="col">Class</th>
                <th scope="col">Who</th>
                <th scope="col">Status</th>
                <th scope="col">Verification</th>
                <th scope="col">Summary</th>
                <th scope="col">Undo</th>
              </tr>
            </thead>
            <tbody>
              {items.map((action) => (
                <ActionRow key={action.id} action={action} />
              ))}
            </tbody>
          </table>
          <div className="actions-paging">
            {actions.hasNextPage ? (
              <button className="button" type="button" disabled={actions.isFetchingNextPage} onClick={() => void actions.fetchNextPage()}>
                {actions.isFetchingNextPage ? 'Loading…' : 'Load older actions'}
              </button>
            ) : (
              <span className="muted">{items.length === 1 ? 'One action' : `${items.length} actions`}; no older ones.</span>
            )}
            {actions.isFetchNextPageError ? <RequestError error={actions.error} context="Could not load older actions" /> : null}
          </div>
        </>
      )}
    </div>
  );
}
