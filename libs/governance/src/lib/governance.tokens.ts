/** GovernanceSettings (verifyRequired, fourEyes, approvalTtlSeconds), from AppConfig.governance. */
export const GOVERNANCE_SETTINGS = Symbol('GOVERNANCE_SETTINGS');
/** ToolRegistryOptions: how the registry builds its catalog (tests may replace it). */
export const TOOL_REGISTRY_OPTIONS = Symbol('TOOL_REGISTRY_OPTIONS');
