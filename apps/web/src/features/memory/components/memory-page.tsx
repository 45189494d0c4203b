/** STUB (replaced by the memory work). */
export function MemoryPage() {
  return <p>Memory</p>;
}
