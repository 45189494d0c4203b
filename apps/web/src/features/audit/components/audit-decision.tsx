const TONES: Record<string, 'good' | 'bad' | 'waiting' | 'neutral'> = {
  allowed: 'good',
  approved: 'good',
  refused: 'bad',
  pending: 'waiting',
  expired: 'neutral',
};

/** Governance's verdict on an audited act, in the API's own word (allowed, refused, pending, approved, expired). */
export function AuditDecision({ decision }: { decision: string }) {
  const tone = TONES[decision] ?? 'neutral';
  return (
    <span className={`audit-decision audit-decision--${tone}`} data-decision={decision}>
      {decision}
    </span>
  );
}
