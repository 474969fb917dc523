/** Runs every cleanup step even when one fails (each failure is logged, none is thrown): a test's afterAll. */
export async function cleanUp(steps: ReadonlyArray<() => unknown>): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      console.error(`cleanup: ${(err as Error).message}`);
    }
  }
}
