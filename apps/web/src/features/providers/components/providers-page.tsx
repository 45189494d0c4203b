import { ProviderStatusTable } from './provider-status-table';
import { UsageSection } from './usage-section';
import './providers.css';

/** Providers and costs (admin): how each provider is doing, then what the models cost over time. */
export function ProvidersPage() {
  return (
    <div className="providers-page">
      <section className="card" aria-labelledby="providers-heading">
        <div className="card__header">
          <h2 id="providers-heading" className="card__title">
            Providers
          </h2>
        </div>
        <p className="card__lead">The cascade tries them in order; an open circuit skips a provider until a trial request succeeds.</p>
        <ProviderStatusTable />
      </section>
      <UsageSection />
    </div>
  );
}
