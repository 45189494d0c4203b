/** The Aegis shield, the same drawing as public/favicon.svg. */
export function AegisMark({ size = 28 }: { size?: number }) {
  return (
    <svg className="aegis-mark" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M16 2 4 6.5v8.2c0 7.4 5.1 13.2 12 15.3 6.9-2.1 12-7.9 12-15.3V6.5L16 2Z" fill="#1f3a5f" />
      <path d="M16 5.2 7 8.6v6.1c0 5.8 3.8 10.4 9 12.2V5.2Z" fill="#2f5d8f" />
      <path d="m11.5 16.2 3.2 3.2 6.3-6.6" fill="none" stroke="#ffffff" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
