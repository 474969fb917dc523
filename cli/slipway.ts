import { main } from './main.js';

main(process.argv).catch((e: unknown) => {
  console.error(`slipway: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
