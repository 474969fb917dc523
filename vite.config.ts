import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a plain web app; Electron loads the built files, browser mode serves them.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
});
