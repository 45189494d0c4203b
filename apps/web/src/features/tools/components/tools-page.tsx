import { Link, useRouteContext, useSearch } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { ClassBadge } from '../../../components/governance/class-badge';
import { useTools, type ToolCatalogItem } from '../api/get-tools';
import { RequestError } from './request-error';
import { ToolRunForm } from './tool-run-form';
import './tools.css';

function PolicyWords({ tool }: { tool: ToolCatalogItem }) {
  return (
    <span className="tools-table__policy">
      <span className={`tools-policy tools-policy--${tool.policy.decision}`} data-policy={tool.policy.decision}>
        {tool.policy.summary}
      </span>
      {tool.classifiedPerCall ? (
        <span className="muted tools-table__note">Classified per call: the program decides the class; this is the highest case.</span>
      ) : null}
    </span>
  );
}

function SelectedTool({ tool, callerIsAdmin }: { tool: ToolCatalogItem; callerIsAdmin: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView?.({ block: 'nearest' });
  }, [tool.name]);
  return (
    <section className="card tools-run" aria-labelledby="tool-run-heading">
      <div className="card__header">
        <h2 id="tool-run-heading" className="card__title" tabIndex={-1} ref={heading}>
          Run <span className="mono">{tool.name}</span>
        </h2>
        <Link to="/tools" search={{}} className="button button--small">
          Close
        </Link>
      </div>
      <p className="card__lead">{tool.description}</p>
      <ToolRunForm key={tool.name} tool={tool} callerIsAdmin={callerIsAdmin} />
    </section>
  );
}

/** The tool catalogue; picking a tool (kept in the URL) opens a form generated from its argument schema. */
export function ToolsPage() {
  const search = useSearch({ from: '/tools' });
  const { user } = useRouteContext({ from: '/tools' });
  const tools = useTools();

  if (tools.isPending) {
    return (
      <div className="tools-skeleton" aria-busy="true" aria-label="Loading the tools">
        {[0, 1, 2, 3].map((row) => (
          <span key={row} className="skeleton tools-skeleton__row" />
        ))}
      </div>
    );
  }
  if (tools.isError) return <RequestError error={tools.error} context="Could not load the tools" />;

  const selected = search.tool ? tools.data.items.find((tool) => tool.name === search.tool) : undefined;
  return (
    <div className="tools-page">
      {search.tool && !selected ? (
        <p className="alert alert--warning">There is no tool named {search.tool}. Pick one from the list below.</p>
      ) : null}
      {selected ? <SelectedTool tool={selected} callerIsAdmin={user.role === 'admin'} /> : null}
      <section className="card" aria-labelledby="tools-heading">
        <div className="card__header">
          <h2 id="tools-heading" className="card__title">
            Tool catalogue
          </h2>
        </div>
        <p className="card__lead">
          What each tool does and what governance asks of you ({tools.data.role}) to run it. Pick a tool to open its form.
        </p>
        <table className="data-table stack-table tools-table" aria-label="Tools">
          <thead>
            <tr>
              <th scope="col">Tool</th>
              <th scope="col">Class</th>
              <th scope="col">Minimum role</th>
              <th scope="col">What it does</th>
              <th scope="col">For you</th>
            </tr>
          </thead>
          <tbody>
            {tools.data.items.map((tool) => (
              <tr key={tool.name} data-tool={tool.name} aria-current={tool.name === selected?.name ? 'true' : undefined}>
                <th scope="row" data-label="Tool">
                  <Link to="/tools" search={{ tool: tool.name }} className="mono tools-table__link">
                    {tool.name}
                  </Link>
                </th>
                <td data-label="Class">
                  <ClassBadge actionClass={tool.actionClass} />
                </td>
                <td data-label="Minimum role">{tool.minRole}</td>
                <td data-label="What it does" className="tools-table__description">
                  {tool.description}
                </td>
                <td data-label="For you">
                  <PolicyWords tool={tool} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
