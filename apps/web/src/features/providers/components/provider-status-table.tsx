import { formatDateTime } from '../../../lib/format';
import { formatRelativeTime } from '../../../lib/relative-time';
import { useProviders, type ProviderStatus } from '../api/get-providers';
import { RequestError } from './request-error';

const CIRCUIT_WORDS: Record<ProviderStatus['circuit'], { words: string; detail: string; tone: 'good' | 'bad' | 'waiting' }> = {
  closed: { words: 'Closed', detail: 'requests go through', tone: 'good' },
  open: { words: 'Open', detail: 'skipped after repeated failures', tone: 'bad' },
  'half-open': { words: 'Half-open', detail: 'one trial request decides', tone: 'waiting' },
  isolated: { words: 'Isolated', detail: 'held open, no requests', tone: 'bad' },
};

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelativeTime(iso)}
    </time>
  );
}

function Reachability({ provider }: { provider: ProviderStatus }) {
  const checked = provider.reachabilityCheckedAt;
  const words = provider.reachable === null ? 'Not checked yet' : provider.reachable ? 'Reachable' : 'Unreachable';
  const tone = provider.reachable === null ? 'neutral' : provider.reachable ? 'good' : 'bad';
  return (
    <span className="provider-cell">
      <span className={`provider-state provider-state--${tone}`}>{words}</span>
      {checked ? (
        <span className="provider-cell__detail muted">
          checked <When iso={checked} />
        </span>
      ) : null}
      {provider.lastSuccessAt ? (
        <span className="provider-cell__detail muted">
          last answered <When iso={provider.lastSuccessAt} />
        </span>
      ) : null}
    </span>
  );
}

function ProviderRow({ provider }: { provider: ProviderStatus }) {
  const circuit = CIRCUIT_WORDS[provider.circuit];
  return (
    <tr data-provider={provider.name} data-circuit={provider.circuit}>
      <th scope="row" data-label="Provider">
        <span className="provider-cell">
          <span className="mono">{provider.name}</span>
          <span className="provider-cell__detail muted">
            {provider.configured ? 'configured' : 'no key'}
            {provider.position !== null ? `, #${provider.position + 1} in the order` : ', not in the order'}
          </span>
          {provider.key ? <span className="provider-cell__detail mono muted">key {provider.key}</span> : null}
        </span>
      </th>
      <td data-label="Circuit">
        <span className="provider-cell">
          <span className={`provider-state provider-state--${circuit.tone}`}>{circuit.words}</span>
          <span className="provider-cell__detail muted">{circuit.detail}</span>
        </span>
      </td>
      <td data-label="Reachability">
        <Reachability provider={provider} />
      </td>
      <td data-label="Last failure">
        {provider.lastFailure ? (
          <span className="provider-cell">
            <When iso={provider.lastFailure.at} />
            <span className="provider-cell__detail provider-cell__reason">{provider.lastFailure.reason}</span>
          </span>
        ) : (
          <span className="muted">None since the server started</span>
        )}
      </td>
      <td data-label="Default model">
        <span className="mono">{provider.defaultModel}</span>
        {provider.embeddingModel ? <span className="provider-cell__detail muted"> embeds with {provider.embeddingModel}</span> : null}
      </td>
      <td data-label="Models">
        {provider.models.length === 0 ? (
          <span className="muted">None listed</span>
        ) : (
          <details className="provider-models">
            <summary aria-label={`${provider.models.length === 1 ? '1 model' : `${provider.models.length} models`} of ${provider.name}`}>
              {provider.models.length === 1 ? '1 model' : `${provider.models.length} models`}
            </summary>
            <ul className="provider-models__list">
              {provider.models.map((model) => (
                <li key={model} className="mono">
                  {model}
                </li>
              ))}
            </ul>
          </details>
        )}
      </td>
    </tr>
  );
}

/** Each provider's circuit, reachability, last failure and models; refreshed every 30 seconds. */
export function ProviderStatusTable() {
  const providers = useProviders();
  if (providers.isPending) {
    return (
      <div className="provider-skeleton" aria-busy="true" aria-label="Loading providers">
        {[0, 1, 2].map((row) => (
          <span key={row} className="skeleton provider-skeleton__row" />
        ))}
      </div>
    );
  }
  if (providers.isError) return <RequestError error={providers.error} context="Could not load the providers" />;
  const items = [...providers.data].sort((a, b) => (a.position ?? 99) - (b.position ?? 99));
  return (
    <table className="data-table stack-table provider-table" aria-label="Providers">
      <thead>
        <tr>
          <th scope="col">Provider</th>
          <th scope="col">Circuit</th>
          <th scope="col">Reachability</th>
          <th scope="col">Last failure</th>
          <th scope="col">Default model</th>
          <th scope="col">Models</th>
        </tr>
      </thead>
      <tbody>
        {items.map((provider) => (
          <ProviderRow key={provider.name} provider={provider} />
        ))}
      </tbody>
    </table>
  );
}
