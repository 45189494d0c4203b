/** STUB (replaced by the approvals work): the live count of pending approvals beside the sidebar link. */
export function ApprovalsBadge() {
  return null;
}
