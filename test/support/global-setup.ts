// Vitest global setup: starts shared test services once per run (the MongoDB-wire server is
// added by the MongoDB backend work). Returns the teardown.
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
