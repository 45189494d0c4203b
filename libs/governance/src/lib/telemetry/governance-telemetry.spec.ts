import { GovernanceTelemetry } from './governance-telemetry';

// The fan-out to the application's observers (docs/observability.md). What the registry reports is in
// registry/contributed-tools.spec.ts; the real stores and the sandbox in apps/api/src/metrics/metrics.integration-spec.ts.

describe('GovernanceTelemetry', () => {
  it('tells every observer, and keeps going when one throws: the others hear of it and the caller never does', () => {
    const telemetry = new GovernanceTelemetry();
    const heard: string[] = [];
    telemetry.observe({
      toolCalled: () => {
        throw new Error('observer broke');
      },
      auditAppended: () => {
        throw new Error('observer broke');
      },
      sandboxRan: () => undefined,
    });
    telemetry.observe({
      toolCalled: (report) => heard.push(`${report.tool} ${report.outcome}`),
      auditAppended: (outcome) => heard.push(`audit ${outcome}`),
      sandboxRan: (report) => heard.push(`${report.driver} ${report.outcome}`),
    });
    telemetry.toolCalled({ tool: 'read_file', outcome: 'completed' });
    telemetry.auditAppended('written');
    telemetry.sandboxRan({ driver: 'bwrap', outcome: 'ok', seconds: 0.01 });
    expect(heard).toEqual(['read_file completed', 'audit written', 'bwrap ok']);
  });
});
