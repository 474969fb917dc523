import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a plain web app; Electron loads the built files, browser mode serves them.
// Monaco is bundled (renderer/src/monaco.ts) and its worker is built by Vite as an ES module
// worker, so the page never fetches anything from the network.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // Monaco's editor core is one large lazy chunk by nature (~3 MB unminified source).
    chunkSizeWarningLimit: 4096,
    // Rolldown reports slow plugins when the machine is busy (a timing, not a problem): noise on the user's terminal.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
